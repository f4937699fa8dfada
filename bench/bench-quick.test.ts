// CI smoke check of the benchmarks: the quick mode end to end, as `node dist/bench/run.js
// --quick` runs it (real tmux on isolated sockets, the real CLI, daemon and restore). Asserts
// correctness only — every figure measured, restores exact, no hook event lost, no pane output
// read by the control client — never speed.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOutcome } from './run.js';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
const runJs = join(repo, 'dist', 'bench', 'run.js');

beforeAll(() => {
  if (!existsSync(runJs)) throw new Error(`${runJs} was not built`);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [runJs, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

describe('bench --quick', () => {
  it('measures every figure and every correctness check passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fk-bench-test-'));
    try {
      const out = join(dir, 'out.json');
      const r = await run(['--quick', '--json', out]);
      expect(r.stderr).not.toMatch(/bench failed|CORRECTNESS FAILURES/);
      expect(r.code).toBe(0);
      const { rows, failures } = JSON.parse(readFileSync(out, 'utf8')) as BenchOutcome;
      expect(failures).toEqual([]);
      const figures = rows.map((x) => x.figure);
      for (const want of [
        'daemon save, 10 panes',
        'fleetkeeper save, 10 panes',
        'restore, 10 panes (no client)',
        'restore, 20 panes (no client)',
        'daemon save, 20 panes, 2 Claude-like',
        'hook session-start p50, alone',
        'hook session-start p50, 20 at once',
        'daemon at rest, 10 panes, fresh state dir',
      ]) {
        expect(figures).toContain(want);
      }
      for (const x of rows.filter((y) => y.ratio !== null))
        expect(Number.isFinite(x.ratio) && (x.ratio ?? 0) > 0, x.figure).toBe(true);
      const correctness = rows.filter((x) => x.figure.startsWith('restore correctness'));
      expect(correctness.length).toBe(2);
      for (const c of correctness) {
        expect(c.ours).toBe('0 mismatches, 0 clients');
        expect(c.met).toBe(true);
      }
      expect(rows.find((x) => x.figure === 'hook events recorded')?.met).toBe(true);
      expect(rows.find((x) => x.figure.startsWith('control client while a pane prints'))?.ours).toMatch(/ 0 %output$/);
      // The table printed for people holds the same rows.
      for (const f of figures) expect(r.stdout).toContain(f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
