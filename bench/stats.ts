// Timing helpers: wall-clock samples of in-process work and of child processes, and the row type
// of the printed table.
import { spawn } from 'node:child_process';

export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export const median = (s: readonly number[]): number => quantile(s, 0.5);

/** ms taken by `fn`, once. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Alternates the measured functions `reps` times (after `warmup` unrecorded rounds) so drift in
 * machine load hits all of them alike; returns the samples of each, in ms.
 */
export async function interleave<K extends string>(
  fns: Record<K, () => Promise<unknown>>,
  reps: number,
  warmup = 1,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(fns) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + reps; i++) {
    for (const k of keys) {
      const ms = await timeOnce(fns[k]);
      if (i >= warmup) out[k].push(ms);
    }
  }
  return out;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a child to completion; ms is spawn to exit. Rejects only when it cannot start. */
export function runChild(
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runChild but fails loudly on a non-zero exit: a benchmark of a failing command is worthless. */
export async function runOk(
  cmd: string,
  args: readonly string[],
  opts: Parameters<typeof runChild>[2] = {},
): Promise<RunResult> {
  const r = await runChild(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
  return r;
}

/** One line of the results table. `ratio` = ours / reference; `met` null when there is no target. */
export interface BenchRow {
  figure: string;
  ours: string;
  reference: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

export function ratioRow(
  figure: string,
  ours: number,
  ref: number,
  refName: string,
  maxRatio: number | null,
  note?: string,
): BenchRow {
  const ratio = ours / ref;
  const row: BenchRow = {
    figure,
    ours: fmtMs(ours),
    reference: `${fmtMs(ref)} (${refName})`,
    ratio,
    target: maxRatio === null ? 'report' : `≤ ${maxRatio}×`,
    met: maxRatio === null ? null : ratio <= maxRatio,
  };
  if (note !== undefined) row.note = note;
  return row;
}
