// Starts the Claudes of a restore in their new panes: waits for the shells' prompts, then types
// each `claude --resume <id>`, paced by the SessionStarts Claude reports (or a fixed stagger),
// braking after repeated failures and stopping when interrupted.
import type { ServerInstance } from '../../common/base/types.js';
import { errorMessage } from '../../common/base/errors.js';
import { resumeKeysArgs } from '../../common/restore/commands.js';
import {
  expire,
  newPacer,
  recordArrival,
  recordStart,
  slots,
  type Pacer,
  type PacingPolicy,
} from '../../common/restore/pacing.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { matchResumes } from './verify.js';
import { RESUME_TYPED_OPTION } from './env.js';
import type { ExecutedPane, ExecuteOptions, ExecuteResult } from './execute.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A new pane's shell is ready to read a line once it has drawn its prompt, i.e. the cursor has
 * moved off 0,0. Typing before that is not lost (the pty buffers it) but can be echoed twice or
 * swallowed by shells that flush typeahead, so we wait for it, bounded: an empty prompt never
 * moves the cursor, and then we type after the timeout anyway. Login profiles can be slow (seen
 * here: pyenv's rehash lock held every new bash for 60 s), hence a generous default and a warning.
 */
export async function waitForPrompts(
  target: TmuxTarget,
  paneIds: readonly string[],
  timeoutMs: number,
): Promise<Set<string>> {
  const waiting = new Set(paneIds);
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    const out = await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}\t#{cursor_x}\t#{cursor_y}']);
    for (const line of out.split('\n')) {
      const [id, x, y] = line.split('\t');
      if (id !== undefined && waiting.has(id) && (x !== '0' || y !== '0')) waiting.delete(id);
    }
    if (waiting.size > 0) await sleep(100);
  }
  return waiting;
}

export async function startClaudes(
  target: TmuxTarget,
  panes: ExecutedPane[],
  opts: ExecuteOptions,
  result: ExecuteResult,
): Promise<void> {
  const notReady = await waitForPrompts(
    target,
    panes.map((p) => p.paneId),
    opts.shellReadyTimeoutMs ?? 10_000,
  );
  for (const id of notReady) result.warnings.push(`pane ${id}: no shell prompt seen; typed the resume command anyway`);
  const paced = opts.pacing !== undefined && opts.readEvents !== undefined;
  const pacer = newPacer(
    paced
      ? (opts.pacing as PacingPolicy)
      : { maxOutstanding: 1, capMs: Infinity, brakeAfter: Infinity, staggerMs: opts.staggerMs },
  );
  const since = opts.since ?? new Date(0);
  let next = 0;
  for (;;) {
    if (paced) await observe(pacer, panes.slice(0, next), result.instance, opts, since);
    const stop = opts.signal?.aborted ? 'interrupted before it was started' : pacer.braked;
    if (stop !== null && stop !== undefined) {
      for (const p of panes.slice(next)) notStarted(p, stop, opts);
      if (pacer.braked !== null) result.warnings.push(pacer.braked);
      return;
    }
    if (next >= panes.length) return;
    const { launch, waitMs } = slots(pacer, Date.now());
    for (const p of panes.slice(next, next + launch)) {
      next++;
      try {
        await runTmux(target, [
          ...resumeKeysArgs(p.paneId, opts.claudeBin, p.sessionId ?? '', p.command),
          ';',
          ...['set-option', '-p', '-t', p.paneId, RESUME_TYPED_OPTION, '1'],
        ]);
        p.startedAt = new Date().toISOString();
        recordStart(pacer, p.paneId, Date.now());
        opts.onProgress?.({ kind: 'pane', role: p.role, target: p.target, paneId: p.paneId, state: 'typed' });
      } catch (err) {
        result.warnings.push(`pane ${p.target} (${p.paneId}): resume not typed: ${errorMessage(err)}`);
        notStarted(p, `resume not typed: ${errorMessage(err)}`, opts);
      }
    }
    if (next >= panes.length) return;
    if (launch === 0) await pause(paced ? Math.min(waitMs, 150) : waitMs, opts.signal);
  }
}

function notStarted(p: ExecutedPane, why: string, opts: ExecuteOptions): void {
  p.action = 'shell';
  p.notStarted = why;
  opts.onProgress?.({
    kind: 'pane',
    role: p.role,
    target: p.target,
    paneId: p.paneId,
    state: 'not-started',
    detail: why,
  });
}

/** Feeds the pacer what the journal says about the starts so far, and the cap's verdicts. */
const PROBE_EVERY_MS = 500;
const lastProbe = new WeakMap<Pacer, number>();

async function observe(
  pacer: Pacer,
  started: ExecutedPane[],
  instance: ServerInstance,
  opts: ExecuteOptions,
  since: Date,
): Promise<void> {
  const waiting = started.filter((p) => p.startedAt !== undefined && !pacer.outcomes.has(p.paneId));
  const silentSoFar = started.filter((p) => pacer.outcomes.get(p.paneId) === 'silent');
  const look = [...waiting, ...silentSoFar];
  if (look.length > 0 && opts.readEvents) {
    const got = matchResumes(look, instance, await opts.readEvents(), since);
    for (const p of look) {
      const id = got.get(p.paneId);
      if (id === undefined) continue;
      recordArrival(pacer, p.paneId, id === p.sessionId);
      const state = id === p.sessionId ? 'verified' : 'wrong';
      opts.onProgress?.({
        kind: 'pane',
        role: p.role,
        target: p.target,
        paneId: p.paneId,
        state,
        ...(state === 'wrong' ? { detail: `got ${id}` } : {}),
      });
    }
  }
  // Claude's own sessions/<pid>.json names the conversation as soon as it runs, often before the
  // hook's event lands (hooks queue up under load): a right id there frees the slot at once. A
  // different id is only believed at the cap (the file may be written before the resume loads).
  const outstanding = started.filter((p) => pacer.outstanding.has(p.paneId));
  // Reading /proc for every pane is not free on a loaded machine: at most twice a second.
  if (outstanding.length > 0 && opts.probe && Date.now() - (lastProbe.get(pacer) ?? 0) >= PROBE_EVERY_MS) {
    lastProbe.set(pacer, Date.now());
    const found = await opts.probe(outstanding).catch(() => new Map<string, string>());
    for (const p of outstanding) {
      if (found.get(p.paneId) !== p.sessionId) continue;
      recordArrival(pacer, p.paneId, true);
      opts.onProgress?.({ kind: 'pane', role: p.role, target: p.target, paneId: p.paneId, state: 'verified' });
    }
  }
  // Before calling a start silent, ask Claude's own registry (a config dir without our hooks).
  const due = started.filter((p) => (pacer.outstanding.get(p.paneId) ?? Infinity) + pacer.policy.capMs <= Date.now());
  if (due.length > 0 && opts.probe) {
    const found = await opts.probe(due).catch(() => new Map<string, string>());
    for (const p of due) {
      const id = found.get(p.paneId);
      if (id === undefined) continue;
      recordArrival(pacer, p.paneId, id === p.sessionId);
      const state = id === p.sessionId ? 'verified' : 'wrong';
      opts.onProgress?.({ kind: 'pane', role: p.role, target: p.target, paneId: p.paneId, state });
    }
  }
  for (const paneId of expire(pacer, Date.now())) {
    const p = started.find((x) => x.paneId === paneId);
    if (p)
      opts.onProgress?.({
        kind: 'pane',
        role: p.role,
        target: p.target,
        paneId,
        state: 'silent',
        detail: 'cap reached, next start goes ahead',
      });
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
