import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive, processStartedAtMs } from './pid-alive.js';

// One sweeper for the temp files our killed writers leave behind (snapshots, the state
// dir's JSON files, the journal spool, Claude's settings). A temp is abandoned when the
// process that wrote it is gone. A live pid is only the writer when that process started
// before the temp was last written; one that started later got the pid by reuse.

/** Only for temps whose name carries no pid (conf's `atomically`): older than any write takes. */
export const ABANDONED_TEMP_AGE_MS = 10 * 60_000;

/** Start times are known to a second or two (boot time is whole seconds, `ps` says seconds). */
const START_TIME_SLACK_MS = 2_000;

/**
 * Whether the temp's writer still runs, i.e. the temp may be a write in flight. A process
 * holding `pid` that started after the temp's last write is not its writer (pid reuse).
 */
export function writerStillRuns(
  pid: number,
  tempMtimeMs: number,
  startedAtMs: (pid: number) => number | null = processStartedAtMs,
): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  const started = startedAtMs(pid);
  return started === null || started <= tempMtimeMs + START_TIME_SLACK_MS;
}

/**
 * How one kind of temp is named: null when `name` is not one, else the writer's pid, or
 * null for a name that carries none (then the age decides).
 */
export type TempMatcher = (name: string) => { pid: number | null } | null;

/**
 * Removes the temps in `dir` that `match` recognises and whose writer is gone. Returns how
 * many were removed. A missing dir sweeps nothing; anything else that is not a regular file
 * (a directory, a link) is left alone, as is a file that vanished or cannot be removed now
 * (the next sweep tries again).
 */
export async function sweepTemps(dir: string, match: TempMatcher, now: Date = new Date()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const temp = match(name);
    if (temp === null) continue;
    const path = join(dir, name);
    try {
      const st = await lstat(path);
      if (!st.isFile()) continue;
      const inFlight =
        temp.pid === null ? now.getTime() - st.mtimeMs < ABANDONED_TEMP_AGE_MS : writerStillRuns(temp.pid, st.mtimeMs);
      if (inFlight) continue;
      await unlink(path);
      removed++;
    } catch {
      continue;
    }
  }
  return removed;
}
