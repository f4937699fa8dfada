import type { Snapshot } from '../common/types.js';
import { InvalidInputError } from '../common/errors.js';
import { planRestore, type RestorePlan } from '../common/restore-plan.js';
import type { StatePaths } from './state-dir.js';
import type { TmuxTarget } from './tmux-exec.js';
import { queryInstance } from './fleet-query.js';
import { gatherPlanEnv } from './restore-env.js';
import { executePlan, type ExecuteResult } from './restore-execute.js';
import { verifyResumes, type PaneVerification } from './restore-verify.js';
import { readJournal } from './spool.js';
import {
  handledInstances,
  instanceKey,
  listSnapshots,
  markInstanceHandled,
  readSnapshot,
  restoreDefault,
} from './snapshot-store.js';

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
  /** True when every pane planned as a resume was verified (vacuously true for a dry run). */
  ok: boolean;
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
export async function restore(paths: StatePaths, target: TmuxTarget, id: string | undefined, opts: RestoreOptions): Promise<RestoreReport> {
  const clock = opts.clock ?? (() => new Date());
  const snapshot = await chooseSnapshot(paths, target, id);
  const plan = planRestore(snapshot, await gatherPlanEnv(target));
  if (opts.dryRun) return { snapshotId: snapshot.id, dryRun: true, plan, executed: null, verification: [], ok: true };
  const since = clock();
  const executed = await executePlan(target, plan, { claudeBin: opts.claudeBin, staggerMs: opts.staggerMs ?? 1000 });
  const resumes = executed.panes.filter((p) => p.action === 'resume');
  const verification = resumes.length === 0
    ? []
    : await verifyResumes(resumes, executed.instance, async () => (await readJournal(paths)).events, {
      since,
      timeoutMs: (opts.verifyTimeoutS ?? 60) * 1000,
    });
  await markInstanceHandled(paths, instanceKey(snapshot.instance), 'restored');
  const ok = verification.every((v) => v.status === 'verified');
  return { snapshotId: snapshot.id, dryRun: false, plan, executed, verification, ok };
}
