// Did each resumed pane come back with exactly its own conversation? Ground truth is the
// journal: Claude's SessionStart(source "resume") hook, recorded with the pane it fired in.
import type { JournalEvent, ServerInstance } from '../../common/base/types.js';
import type { ExecutedPane } from './execute.js';

export type VerifyStatus = 'verified' | 'wrong' | 'silent';

export interface PaneVerification {
  role: string;
  paneId: string;
  expected: string;
  got: string | null;
  status: VerifyStatus;
}

export interface VerifyOptions {
  since: Date;
  timeoutMs: number;
  pollMs?: number;
}

function sameInstance(a: ServerInstance, b: ServerInstance): boolean {
  return a.socketPath === b.socketPath && a.pid === b.pid && a.startTime === b.startTime;
}

/** One pass over the events: the first matching resume per pane, in event time order. */
export function matchResumes(
  expected: readonly ExecutedPane[],
  instance: ServerInstance,
  events: readonly JournalEvent[],
  since: Date,
): Map<string, string> {
  const wanted = new Set(expected.map((p) => p.paneId));
  const got = new Map<string, string>();
  const relevant = events
    .filter((e) => e.kind === 'session-start' && e.source === 'resume' && e.sessionId !== undefined && e.pane !== null)
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

function verdicts(expected: readonly ExecutedPane[], got: Map<string, string>): PaneVerification[] {
  return expected.map((p) => {
    const g = got.get(p.paneId) ?? null;
    const exp = p.sessionId ?? '';
    const status: VerifyStatus = g === null ? 'silent' : g === exp ? 'verified' : 'wrong';
    return { role: p.role, paneId: p.paneId, expected: exp, got: g, status };
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
  for (;;) {
    const got = matchResumes(expected, instance, await readEvents(), opts.since);
    // Every pane answered (right or wrong): no need to wait for the timeout.
    if (expected.every((p) => got.has(p.paneId)) || Date.now() >= deadline) return verdicts(expected, got);
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
