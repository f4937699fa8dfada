// Shared plumbing for the reliability suite: a fresh build of dist/ for the child processes,
// temp state dirs, line-talking worker processes, seeded randomness and the count scale.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tempState as sharedTempState, type TempState } from '../../helpers/fixtures.js';
import { ensureDist } from '../../helpers/dist-build.js';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const WORKERS = join(import.meta.dirname, 'workers');
export const BIN = join(REPO, 'bin', 'fleetkeeper.js');

/** FK_RELIABILITY_SCALE (default 1 = the full counts); never below 1 iteration. */
export function scaled(count: number): number {
  const raw = Number(process.env.FK_RELIABILITY_SCALE ?? '1');
  const s = Number.isFinite(raw) && raw > 0 ? raw : 1;
  return Math.max(1, Math.round(count * s));
}

/** The child processes run the built JS (the hook runs from dist/ in production too). */
export function ensureBuilt(): void {
  ensureDist({ quiet: true });
}

export type { TempState };

/** `$TMPDIR/fk-rel-<prefix>-XXXXXX` with a state dir inside (the shared fixture). */
export function tempState(prefix: string): TempState {
  return sharedTempState(`rel-${prefix}`);
}

/** Mulberry32: reproducible randomness; the seed is printed with the figures. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFromEnv(): number {
  const s = Number(process.env.FK_RELIABILITY_SEED);
  return Number.isInteger(s) ? s : Math.floor(Math.random() * 2 ** 31);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A child that talks in lines on stdout; `lines` grows as they arrive. */
export class LineProc {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];
  private buf = '';

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => {
      this.buf += d.toString('utf8');
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    child.stdin?.on('error', () => undefined);
    this.exited = new Promise((res) =>
      child.on('exit', (code, signal) => {
        res({ code, signal });
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves once a line satisfies `pred` (or rejects when the child exits first). */
  async waitLine(pred: (l: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let scanned = 0;
    for (;;) {
      for (; scanned < this.lines.length; scanned++)
        if (pred(this.lines[scanned] as string)) return this.lines[scanned] as string;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`worker ${this.pid} exited before the line arrived; stderr: ${this.stderr}`);
      if (Date.now() > end)
        throw new Error(`timed out waiting for a line from worker ${this.pid}; stderr: ${this.stderr}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, end - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

export function startWorker(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): LineProc {
  const child = spawn(process.execPath, [join(WORKERS, script), ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  return new LineProc(child);
}

/** Prints one figures line (collected into docs/reliability.md by hand). */
export function figures(line: string): void {
  console.log(line);
}
