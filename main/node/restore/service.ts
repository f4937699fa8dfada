import type { Snapshot } from '../../common/base/types.js';
import { errorMessage, InvalidInputError } from '../../common/base/errors.js';
import { restoreKeptTranscript } from '../claude/kept-transcripts.js';
import { readPaneContents, showPaneContents } from '../snapshot/pane-contents.js';
import { waitForPrompts } from './launch.js';
import { planRestore, type RestorePlan } from '../../common/restore/plan.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { queryInstance } from '../tmux/fleet-query.js';
import { gatherPlanEnv } from './env.js';
import { executePlan, type ExecuteResult } from './execute.js';
import { verifyResumes, type PaneVerification } from './verify.js';
import { registryProbe } from './verify-registry.js';
import { JournalTail } from './journal-tail.js';
import { isPartial, selectParts, type RestoreSelection } from '../../common/restore/select.js';
import type { PacingPolicy } from '../../common/restore/pacing.js';
import type { RestoreProgress } from '../../common/restore/progress.js';
import { readRestoreContext } from '../snapshot/restore-context.js';
import {
  instanceKey,
  markInstanceHandled,
  markUnverifiedRestore,
  readSnapshot,
  restoreDefault,
} from '../snapshot/store.js';

export interface RestoreOptions {
  dryRun?: boolean;
  /** Fixed pace between Claude starts when no `pacing` is given (default 1000). */
  staggerMs?: number;
  /** Starts paced by Claude's SessionStarts (the `launch` settings; `pacingPolicy`). */
  pacing?: PacingPolicy;
  /** Only these sessions / roles (`--session`, `--role`, the dashboard's ticks). */
  selection?: RestoreSelection;
  /** Ctrl-C / SIGTERM: stop launching, report what was created and what is missing. */
  signal?: AbortSignal;
  onProgress?: (e: RestoreProgress) => void;
  verifyTimeoutS?: number;
  claudeBin: string;
  clock?: () => Date;
  /** The `restorePrograms` setting (default: tmux-resurrect's list). */
  restorePrograms?: readonly string[];
}

export interface RestoreReport {
  snapshotId: string;
  dryRun: boolean;
  plan: RestorePlan;
  executed: ExecuteResult | null;
  verification: PaneVerification[];
  /** What kept the restore from completing (sessions or panes not created, the server gone). */
  problems: string[];
  /** True when every planned session and pane was created on one server that still runs and
   * every pane planned as a resume was verified (vacuously true for a dry run). */
  ok: boolean;
  /** Stopped by a signal before everything was launched. */
  interrupted?: boolean;
  /** What the snapshot still offers after this restore (unselected, deferred, not started). */
  remaining?: string[];
}

/**
 * A restore whose server died half-way still "succeeded" pane by pane: the remaining
 * new-session calls started a fresh server and the report said ok. Check the result against
 * the plan and against the server that answers now.
 */
async function completeness(target: TmuxTarget, plan: RestorePlan, executed: ExecuteResult): Promise<string[]> {
  const problems: string[] = [];
  const panes = plan.counts.panes;
  if (executed.panes.length !== panes) problems.push(`${executed.panes.length} of ${panes} planned panes were created`);
  const unstarted = executed.panes.filter((p) => p.notStarted !== undefined);
  if (unstarted.length > 0)
    problems.push(
      `${unstarted.length} Claude panes left as shells: ${[...new Set(unstarted.map((p) => p.notStarted))].join('; ')}`,
    );
  const now = await queryInstance(target).catch(() => null);
  if (now === null) problems.push('the tmux server went away during the restore');
  else if (instanceKey(now) !== instanceKey(executed.instance))
    problems.push(`the tmux server changed during the restore (pid ${executed.instance.pid} → ${now.pid})`);
  return problems;
}

/** Picks the snapshot to restore: the one named, else the restore default. */
export async function chooseSnapshot(paths: StatePaths, target: TmuxTarget, id?: string): Promise<Snapshot> {
  if (id !== undefined) return readSnapshot(paths, id);
  const { listing, current, handled } = await readRestoreContext(paths, target);
  const pick = restoreDefault(listing, current, handled);
  if (pick === null) throw new InvalidInputError('no snapshot with sessions to restore');
  return readSnapshot(paths, pick.id);
}

export async function planFor(
  paths: StatePaths,
  target: TmuxTarget,
  id?: string,
  restorePrograms?: readonly string[],
): Promise<RestorePlan> {
  const snapshot = await chooseSnapshot(paths, target, id);
  return planRestore(snapshot, {
    ...(await gatherPlanEnv(target, process.env, paths)),
    ...(restorePrograms ? { restorePrograms } : {}),
  });
}

/** Plan, execute, verify (DESIGN.md "Restore"). */
export async function restore(
  paths: StatePaths,
  target: TmuxTarget,
  id: string | undefined,
  opts: RestoreOptions,
): Promise<RestoreReport> {
  const clock = opts.clock ?? (() => new Date());
  const snapshot = await chooseSnapshot(paths, target, id);
  const full = planRestore(snapshot, {
    ...(await gatherPlanEnv(target, process.env, paths)),
    ...(opts.restorePrograms ? { restorePrograms: opts.restorePrograms } : {}),
  });
  const plan = selectParts(full, opts.selection);
  if (opts.dryRun)
    return { snapshotId: snapshot.id, dryRun: true, plan, executed: null, verification: [], problems: [], ok: true };
  const putBack = await putBackTranscripts(paths, plan);
  const contents = await readPaneContents(paths, snapshot).catch((err: unknown) => {
    putBack.push(`pane contents not shown: ${errorMessage(err)}`);
    return null;
  });
  const since = clock();
  const tail = new JournalTail(paths, since);
  const reported = new Set<string>();
  const progress = (e: RestoreProgress): void => {
    if (e.kind === 'pane' && (e.state === 'verified' || e.state === 'wrong')) reported.add(e.paneId);
    opts.onProgress?.(e);
  };
  const executed = await executePlan(target, plan, {
    claudeBin: opts.claudeBin,
    staggerMs: opts.staggerMs ?? 1000,
    ...(opts.pacing ? { pacing: opts.pacing } : {}),
    readEvents: () => tail.read(),
    probe: registryProbe(target),
    since,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: progress,
    ...(contents !== null && contents.size > 0
      ? { beforeLaunch: (r: ExecuteResult) => showContents(target, contents, r) }
      : {}),
  });
  const interrupted = opts.signal?.aborted === true;
  const resumes = executed.panes.filter((p) => p.action === 'resume');
  const verification =
    resumes.length === 0
      ? []
      : await verifyResumes(resumes, executed.instance, () => tail.read(), {
          since,
          // Interrupted: one look at what has answered so far, no waiting.
          timeoutMs: interrupted ? 0 : (opts.verifyTimeoutS ?? 60) * 1000,
          readRegistry: registryProbe(target),
          // Each look reads /proc for the unanswered panes: not more often while Claudes still start.
          pollMs: 500,
        });
  for (const v of verification) {
    if (reported.has(v.paneId)) continue;
    const p = resumes.find((r) => r.paneId === v.paneId);
    const detail = v.status === 'wrong' ? { detail: `got ${v.got ?? '?'}` } : {};
    progress({ kind: 'pane', role: v.role, target: p?.target ?? v.role, paneId: v.paneId, state: v.status, ...detail });
  }
  const problems = await completeness(target, plan, executed);
  problems.push(...putBack);
  const allVerified = verification.every((v) => v.status === 'verified');
  const remaining = remainingParts(plan, executed, verification);
  const source = instanceKey(snapshot.instance);
  // Only a complete, verified restore of everything retires the snapshot's instance from leading
  // the offers; one that did not verify never lets its own server displace it.
  if (problems.length === 0 && allVerified && remaining.length === 0 && !isPartial(opts.selection))
    await markInstanceHandled(paths, source, 'restored');
  else if (!allVerified || problems.length > 0) {
    const built = instanceKey(executed.instance);
    if (executed.instance.pid > 0 && built !== source) await markUnverifiedRestore(paths, built, source);
  }
  const ok = problems.length === 0 && allVerified;
  return { snapshotId: snapshot.id, dryRun: false, plan, executed, verification, problems, ok, interrupted, remaining };
}

/** The kept screens in the new plain-shell panes, once their shells have drawn a prompt. */
async function showContents(target: TmuxTarget, contents: Map<string, string>, r: ExecuteResult): Promise<void> {
  const panes = r.panes
    .filter((p) => p.action === 'shell' && p.command === undefined && contents.has(p.target))
    .map((p) => ({ paneId: p.paneId, text: contents.get(p.target) as string }));
  if (panes.length === 0) return;
  await waitForPrompts(
    target,
    panes.map((p) => p.paneId),
    10_000,
  );
  const failed = await showPaneContents(target, panes);
  if (failed.length > 0) r.warnings.push(`pane contents not shown in ${failed.join(', ')}`);
}

/** Kept transcripts back at their original paths before any resume needs them; failures named. */
async function putBackTranscripts(paths: StatePaths, plan: RestorePlan): Promise<string[]> {
  const problems: string[] = [];
  for (const s of plan.sessions) {
    if (s.action !== 'create' && s.action !== 'complete') continue;
    for (const p of s.windows.flatMap((w) => w.panes)) {
      const k = p.transcriptFromKept;
      if (k === undefined || p.action !== 'resume' || p.sessionId === undefined) continue;
      if (s.action === 'complete' && p.livePaneId === undefined) continue;
      await restoreKeptTranscript(paths, p.sessionId, k.original).catch((err: unknown) =>
        problems.push(`transcript ${k.original} not restored from Fleetkeeper's copy: ${errorMessage(err)}`),
      );
    }
  }
  return problems;
}

/** What this restore left on offer in its snapshot, one line each. */
function remainingParts(
  plan: RestorePlan,
  executed: ExecuteResult,
  verification: readonly PaneVerification[],
): string[] {
  const out: string[] = [];
  for (const s of plan.sessions) {
    if (s.action === 'not-selected') out.push(`session ${JSON.stringify(s.name)} (not selected)`);
    if (s.action !== 'create' && s.action !== 'complete') continue;
    if (executed.skippedSessions.includes(s.name)) out.push(`session ${JSON.stringify(s.name)} (not created)`);
    for (const p of s.windows.flatMap((w) => w.panes))
      if (p.deferred === true) out.push(`${p.target} role ${p.role} (${p.reason ?? 'deferred'})`);
  }
  for (const p of executed.panes)
    if (p.notStarted !== undefined) out.push(`${p.target} role ${p.role} (not started: ${p.notStarted})`);
  for (const v of verification)
    if (v.status !== 'verified') out.push(`role ${v.role} (${v.paneId}) ${v.status}: conversation ${v.expected}`);
  return out;
}
