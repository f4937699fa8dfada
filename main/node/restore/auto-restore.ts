// restoreOnStart=auto: when the app or the daemon starts after a reboot, bring the previous
// server instance's fleet back by itself. The one case where Fleetkeeper starts a tmux server.
// Never twice for the same instance (recorded, under the writer lock, before anything is
// built: the app and a daemon starting together at login race for it), never over sessions
// that exist, never for an instance the user restored or dismissed.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../common/settings/settings-model.js';
import { errorMessage } from '../../common/base/errors.js';
import { pacingPolicy } from '../../common/restore/pacing.js';
import { tmuxSessionName } from '../../common/restore/plan.js';
import type { StatePaths } from '../base/state-dir.js';
import { withWriterLock } from '../base/writer-lock.js';
import { readRegularText } from '../base/safe-read.js';
import { writeFileDurable } from '../base/durable-file.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { instanceKey, readSnapshot, restoreCandidates } from '../snapshot/store.js';
import { readRestoreContext } from '../snapshot/restore-context.js';
import { liveNames } from './env.js';
import { restore } from './service.js';

export type AutoRestoreOutcome =
  | { kind: 'skipped'; why: string }
  | { kind: 'restored'; snapshotId: string; verified: number; resumes: number; ok: boolean; problems: string[] }
  | { kind: 'failed'; snapshotId: string; error: string };

export interface AutoRestoreDeps {
  paths: StatePaths;
  target: TmuxTarget;
  settings: Settings;
  claudeBin: string;
  verifyTimeoutS?: number;
  /** Aborted when the daemon or app stops: no more launches, no verify wait. */
  signal?: AbortSignal;
}

const MAX_FILE = 1024 * 1024;

function attemptsPath(paths: StatePaths): string {
  return join(paths.root, 'auto-restore.json');
}

async function readAttempts(paths: StatePaths): Promise<string[]> {
  try {
    const v = JSON.parse(await readRegularText(attemptsPath(paths), MAX_FILE)) as { instances?: unknown };
    return Array.isArray(v.instances) ? v.instances.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Claims `key` for this process; false when some process (this one earlier, the app, a daemon) had it. */
async function claim(paths: StatePaths, key: string): Promise<boolean> {
  return withWriterLock(paths, 'auto-restore', async () => {
    const seen = await readAttempts(paths);
    if (seen.includes(key)) return false;
    const instances = [key, ...seen].slice(0, 200);
    await writeFileDurable(
      attemptsPath(paths),
      `${JSON.stringify({ format: 'fleetkeeper-auto-restore', version: 1, instances })}\n`,
    );
    return true;
  });
}

/** The text of the notification for an outcome ("12 of 12 verified", or what failed). */
export function autoRestoreMessage(o: AutoRestoreOutcome): { title: string; body: string; ok: boolean } | null {
  if (o.kind === 'skipped') return null;
  if (o.kind === 'failed')
    return { title: 'Fleetkeeper: the fleet was not restored', body: `${o.snapshotId}: ${o.error}`, ok: false };
  const body = `${o.verified} of ${o.resumes} conversations verified${o.problems.length > 0 ? `; ${o.problems.join('; ')}` : ''}`;
  return { title: o.ok ? 'Fleetkeeper: fleet restored' : 'Fleetkeeper: fleet partly restored', body, ok: o.ok };
}

export async function autoRestoreOnStart(deps: AutoRestoreDeps): Promise<AutoRestoreOutcome> {
  if (deps.settings.restoreOnStart !== 'auto')
    return { kind: 'skipped', why: `restoreOnStart is ${deps.settings.restoreOnStart}` };
  const { listing, current, handled } = await readRestoreContext(deps.paths, deps.target);
  const pick = restoreCandidates(listing, current, handled)[0];
  if (pick === undefined) return { kind: 'skipped', why: 'no snapshot with sessions' };
  const key = instanceKey(pick.instance);
  if ((current !== null && key === instanceKey(current)) || handled.has(key))
    return { kind: 'skipped', why: 'the previous server was already restored or dismissed' };
  const snapshot = await readSnapshot(deps.paths, pick.id);
  const live = await liveNames(deps.target);
  const clash = snapshot.sessions.map((s) => tmuxSessionName(s.name)).filter((n) => live.sessions.has(n));
  if (clash.length > 0)
    return { kind: 'skipped', why: `its sessions exist already (${clash.map((n) => JSON.stringify(n)).join(', ')})` };
  if (!(await claim(deps.paths, key))) return { kind: 'skipped', why: 'already attempted for that server' };
  try {
    const report = await restore(deps.paths, deps.target, pick.id, {
      pacing: pacingPolicy(deps.settings.launch, availableParallelism()),
      verifyTimeoutS: deps.verifyTimeoutS ?? 60,
      claudeBin: deps.claudeBin,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    return {
      kind: 'restored',
      snapshotId: pick.id,
      verified: report.verification.filter((v) => v.status === 'verified').length,
      resumes: report.verification.length,
      ok: report.ok,
      problems: report.problems,
    };
  } catch (err) {
    return { kind: 'failed', snapshotId: pick.id, error: errorMessage(err) };
  }
}
