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

function procStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and ')': count from its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Linux process start time as written in /proc/<pid>/stat (clock ticks since boot), an opaque
 * token that tells a reused pid from the process that had it; null elsewhere or when gone.
 */
export function processStartToken(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  return procStatFields(pid)?.[19] ?? null;
}

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
    const ticks = processStartToken(pid);
    const boot = bootTimeMs();
    return ticks === null || boot === null ? null : boot + (Number(ticks) * 1000) / USER_HZ;
  }
  if (process.platform === 'win32') return null;
  const r = spawnSync('ps', ['-o', 'etime=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000 });
  const elapsed = r.status === 0 ? parseElapsed(r.stdout) : null;
  return elapsed === null ? null : nowMs - elapsed;
}
