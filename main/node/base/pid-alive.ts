import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** /proc/<pid>/stat as the command name and the fields after it (field 3 on), or null when gone. */
function procStat(pid: number): { comm: string; fields: string[] } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and ')': count from its last ')'.
  const close = stat.lastIndexOf(')');
  return { comm: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
}

function procStatFields(pid: number): string[] | null {
  return procStat(pid)?.fields ?? null;
}

/**
 * Linux process start time as written in /proc/<pid>/stat (clock ticks since boot), an opaque
 * token that tells a reused pid from the process that had it; null elsewhere or when gone.
 */
export function processStartToken(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  // Our own start never changes: read once (the writer lock asks at every save).
  if (pid === process.pid) return (ownStart ??= { token: procStatFields(pid)?.[19] ?? null }).token;
  return procStatFields(pid)?.[19] ?? null;
}
let ownStart: { token: string | null } | undefined;

/** Linux reports start times in USER_HZ ticks, fixed at 100 per second for user space. */
const USER_HZ = 100;

function bootTimeMs(): number | null {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    return m === null ? null : Number(m[1]) * 1000;
  } catch {
    return null;
  }
}

/**
 * A Linux process that is running (not a zombie waiting to be reaped): its name and when it
 * started; null when gone, exited or not on Linux.
 */
export function runningProcess(pid: number): { comm: string; startedAtMs: number | null } | null {
  if (process.platform !== 'linux') return null;
  const st = procStat(pid);
  const state = st?.fields[0];
  if (st === null || state === 'Z' || state === 'X' || state === 'x') return null;
  return { comm: st.comm, startedAtMs: ticksToEpochMs(st.fields[19] ?? null) };
}

/** A start time in clock ticks since boot as epoch ms; null without /proc/stat or a number. */
function ticksToEpochMs(ticks: string | null): number | null {
  const boot = bootTimeMs();
  const n = Number(ticks);
  return ticks === null || boot === null || !Number.isFinite(n) ? null : boot + (n * 1000) / USER_HZ;
}

/** `ps -o etime` elapsed time `[[dd-]hh:]mm:ss` in ms, or null. */
export function parseElapsed(text: string): number | null {
  const m = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (m === null) return null;
  const [, d, h, min, s] = m;
  return (((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min)) * 60 + Number(s)) * 1000;
}

/**
 * When process `pid` started, epoch ms (to within a second or two), or null when it is gone
 * or the platform does not say: /proc on Linux, `ps -o etime=` elsewhere (macOS).
 */
export function processStartedAtMs(pid: number, nowMs: number = Date.now()): number | null {
  if (process.platform === 'linux') {
    return ticksToEpochMs(processStartToken(pid));
  }
  if (process.platform === 'win32') return null;
  const r = spawnSync('ps', ['-o', 'etime=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000 });
  const elapsed = r.status === 0 ? parseElapsed(r.stdout) : null;
  return elapsed === null ? null : nowMs - elapsed;
}
