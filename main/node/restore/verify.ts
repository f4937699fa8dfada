// Did each resumed pane come back with exactly its own conversation? Two sources of ground truth:
// the journal (Claude's SessionStart hook, recorded with the pane it fired in) and the new
// process's own `sessions/<pid>.json` (which also covers a config dir without our hooks). A
// SessionStart of any source, or a registry file, naming another conversation is WRONG at once.
import type { JournalEvent, ServerInstance } from '../../common/base/types.js';
import { sameInstance } from '../../common/tmux/server-instance.js';
import type { ExecutedPane } from './execute.js';

export type VerifyStatus = 'verified' | 'wrong' | 'silent';

export interface PaneVerification {
  role: string;
  paneId: string;
  expected: string;
  got: string | null;
  status: VerifyStatus;
  /** Which source answered: the hook journal or the new Claude's own registry file. */
  via?: 'hook' | 'claude-registry';
}

/** paneId → the session id the live Claude's registry file names (panes without one are absent). */
export type RegistryProbe = (panes: readonly ExecutedPane[]) => Promise<Map<string, string>>;

export interface VerifyOptions {
  since: Date;
  timeoutMs: number;
  pollMs?: number;
  /** The second source: read the new processes' registry files for panes the hooks did not answer. */
  readRegistry?: RegistryProbe;
}

/**
 * One pass over the events: per pane, the expected id if any SessionStart since the restore
 * named it, else the first other id (a startup, clear or compact with another id is as wrong
 * as a resume of the wrong conversation, and known at once).
 */
export function matchResumes(
  expected: readonly ExecutedPane[],
  instance: ServerInstance,
  events: readonly JournalEvent[],
  since: Date,
): Map<string, string> {
  const wanted = new Set(expected.map((p) => p.paneId));
  const got = new Map<string, string>();
  const relevant = events
    .filter((e) => e.kind === 'session-start' && e.sessionId !== undefined && e.pane !== null)
    .filter((e) => Date.parse(e.at) >= since.getTime())
    .filter((e) => e.pane !== null && sameInstance(e.pane.instance, instance) && wanted.has(e.pane.paneId))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const e of relevant) {
    const paneId = e.pane?.paneId;
    if (paneId === undefined || e.sessionId === undefined) continue;
    // The expected id wins if it showed up at all: a pane that resumed correctly stays verified.
    const expectedId = expected.find((p) => p.paneId === paneId)?.sessionId;
    if (!got.has(paneId) || e.sessionId === expectedId) got.set(paneId, e.sessionId);
  }
  return got;
}

function verdicts(
  expected: readonly ExecutedPane[],
  got: Map<string, string>,
  registry: Map<string, string>,
): PaneVerification[] {
  return expected.map((p) => {
    const exp = p.sessionId ?? '';
    const hook = got.get(p.paneId) ?? null;
    const reg = registry.get(p.paneId) ?? null;
    // A right answer from either source verifies; otherwise the first wrong one says what runs.
    const [g, via] =
      hook === exp
        ? [hook, 'hook' as const]
        : reg !== null && (reg === exp || hook === null)
          ? [reg, 'claude-registry' as const]
          : [hook, 'hook' as const];
    const status: VerifyStatus = g === null ? 'silent' : g === exp ? 'verified' : 'wrong';
    const v: PaneVerification = { role: p.role, paneId: p.paneId, expected: exp, got: g, status };
    if (g !== null) v.via = via;
    return v;
  });
}

export async function verifyResumes(
  expected: readonly ExecutedPane[],
  instance: ServerInstance,
  readEvents: () => Promise<JournalEvent[]>,
  opts: VerifyOptions,
): Promise<PaneVerification[]> {
  const deadline = Date.now() + opts.timeoutMs;
  const pollMs = opts.pollMs ?? 250;
  const registry = new Map<string, string>();
  const wrongReads = new Map<string, { id: string; n: number }>();
  for (;;) {
    const got = matchResumes(expected, instance, await readEvents(), opts.since);
    const unsure = expected.filter((p) => got.get(p.paneId) !== p.sessionId && registry.get(p.paneId) !== p.sessionId);
    if (opts.readRegistry && unsure.length > 0) {
      const read = await opts.readRegistry(unsure).catch(() => new Map<string, string>());
      for (const [paneId, id] of read) {
        // A file is rewritten in place: another id counts once two reads in a row agree on it.
        wrongReads.set(paneId, wrongReads.get(paneId)?.id === id ? { id, n: 2 } : { id, n: 1 });
        registry.set(paneId, id);
      }
    }
    // Every pane answered (right or wrong): no need to wait for the timeout.
    const answered = (p: ExecutedPane): boolean =>
      got.has(p.paneId) ||
      registry.get(p.paneId) === p.sessionId ||
      (registry.has(p.paneId) && (wrongReads.get(p.paneId)?.n ?? 0) >= 2);
    if (expected.every(answered) || Date.now() >= deadline) return verdicts(expected, got, registry);
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
