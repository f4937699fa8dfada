import { join } from 'node:path';
import { errorMessage } from '../../common/base/errors.js';
import type { StatePaths } from '../base/state-dir.js';
import { readLockHolder } from '../base/writer-lock.js';
import { daemonAlive, readDaemonStatus, type DaemonStatus } from './status.js';

/** The headless daemon holds this for its whole life (one daemon per state dir). */
export function daemonLockPaths(paths: StatePaths): StatePaths {
  return { ...paths, lockFile: join(paths.root, 'daemon.lock') };
}

/**
 * Who saves this state dir on a clock right now: the headless daemon (it holds daemon.lock)
 * or the tray app (its in-process daemon writes daemon-status.json). A status file whose
 * writer is gone, or that says "stopped", means nobody saves: `status` must say so rather
 * than report the dead saver's interval as if it still applied.
 */
export interface SaverState {
  running: boolean;
  pid: number | null;
  /** The lock owner ("daemon (pid 12)") or "app or daemon" when known only from the status file. */
  owner: string | null;
  /** The running saver's clock; null when none runs (callers fall back to the settings). */
  intervalS: number | null;
  staleAfterS: number | null;
  /** One line: "daemon pid 12 running, saving every 60s", "the daemon stopped (…)", "no daemon or app has run …". */
  detail: string;
}

export async function readSaverState(paths: StatePaths): Promise<SaverState> {
  const [holder, status] = await Promise.all([
    readLockHolder(daemonLockPaths(paths)).catch(() => null),
    readDaemonStatus(paths).catch((err: unknown) => errorMessage(err)),
  ]);
  const s: DaemonStatus | null = typeof status === 'string' ? null : status;
  const alive = s !== null && daemonAlive(s);
  if (holder !== null || alive) {
    const sameProcess = s !== null && alive && (holder === null || holder.pid === s.pid);
    const pid = holder?.pid ?? s?.pid ?? null;
    const intervalS = sameProcess ? s.intervalS : null;
    return {
      running: true,
      pid,
      owner: holder?.owner ?? 'app or daemon',
      intervalS,
      staleAfterS: sameProcess ? s.staleAfterS : null,
      detail: `${holder !== null ? 'daemon' : 'saver'} pid ${pid ?? '?'} running${intervalS !== null ? `, saving every ${intervalS}s` : ''}`,
    };
  }
  const detail =
    typeof status === 'string'
      ? `no daemon is running (its status file is unreadable: ${status})`
      : s === null
        ? 'no daemon or app has run on this state dir'
        : s.state === 'stopped'
          ? `the daemon stopped (pid ${s.pid}, last save attempt ${s.lastAttemptAt ?? 'never'})`
          : `the daemon (pid ${s.pid}) is gone without stopping (killed?); its status file is stale`;
  return { running: false, pid: null, owner: null, intervalS: null, staleAfterS: null, detail };
}
