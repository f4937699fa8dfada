import type { Snapshot } from '../../common/base/types.js';
import { InvalidInputError } from '../../common/base/errors.js';
import { planRestore, type RestorePlan } from '../../common/restore/plan.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { queryInstance } from '../tmux/fleet-query.js';
import { gatherPlanEnv } from './env.js';
import { executePlan, type ExecuteResult } from './execute.js';
import { verifyResumes, type PaneVerification } from './verify.js';
import { readJournal } from '../journal/spool.js';
import {
  handledInstances,
  instanceKey,
  listSnapshots,
  markInstanceHandled,
  readSnapshot,
  restoreDefault,
} from '../snapshot/store.js';

export interface RestoreOptions {
  dryRun?: boolean;
  staggerMs?: number;
  verifyTimeoutS?: number;
  claudeBin: string;
  clock?: () => Date;
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
}

/**
 * A restore whose server died half-way still "succeeded" pane by pane: the remaining
 * new-session calls started a fresh server and the report said ok. Check the result against
 * the plan and against the server that answers now.
 */
async function completeness(target: TmuxTarget, plan: RestorePlan, executed: ExecuteResult): Promise<string[]> {
  const problems: string[] = [];
  const wanted = plan.sessions.filter((s) => s.action === 'create');
  const panes = wanted.reduce((n, s) => n + s.windows.reduce((m, w) => m + w.panes.length, 0), 0);
  if (executed.panes.length !== panes) problems.push(`${executed.panes.length} of ${panes} planned panes were created`);
  const now = await queryInstance(target).catch(() => null);
  if (now === null) problems.push('the tmux server went away during the restore');
  else if (instanceKey(now) !== instanceKey(executed.instance))
    problems.push(`the tmux server changed during the restore (pid ${executed.instance.pid} → ${now.pid})`);
  return problems;
}

/** Picks the snapshot to restore: the one named, else the restore default. */
export async function chooseSnapshot(paths: StatePaths, target: TmuxTarget, id?: string): Promise<Snapshot> {
  if (id !== undefined) return readSnapshot(paths, id);
  const [listing, current, handled] = await Promise.all([
    listSnapshots(paths),
    queryInstance(target).catch(() => null),
    handledInstances(paths),
  ]);
  const pick = restoreDefault(listing, current, handled);
  if (pick === null) throw new InvalidInputError('no snapshot with sessions to restore');
  return readSnapshot(paths, pick.id);
}

export async function planFor(paths: StatePaths, target: TmuxTarget, id?: string): Promise<RestorePlan> {
  const snapshot = await chooseSnapshot(paths, target, id);
  return planRestore(snapshot, await gatherPlanEnv(target));
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
  const plan = planRestore(snapshot, await gatherPlanEnv(target));
  if (opts.dryRun)
    return { snapshotId: snapshot.id, dryRun: true, plan, executed: null, verification: [], problems: [], ok: true };
  const since = clock();
  const executed = await executePlan(target, plan, { claudeBin: opts.claudeBin, staggerMs: opts.staggerMs ?? 1000 });
  const resumes = executed.panes.filter((p) => p.action === 'resume');
  const verification =
    resumes.length === 0
      ? []
      : await verifyResumes(resumes, executed.instance, async () => (await readJournal(paths)).events, {
          since,
          timeoutMs: (opts.verifyTimeoutS ?? 60) * 1000,
        });
  const problems = await completeness(target, plan, executed);
  // Only a complete restore retires the snapshot's instance from leading the restore offers.
  if (problems.length === 0) await markInstanceHandled(paths, instanceKey(snapshot.instance), 'restored');
  const ok = problems.length === 0 && verification.every((v) => v.status === 'verified');
  return { snapshotId: snapshot.id, dryRun: false, plan, executed, verification, problems, ok };
}
