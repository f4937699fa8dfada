import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureStateDir, type StatePaths } from './state-dir.js';
import { acquireWriterLock, readLockHolder, withWriterLock } from './writer-lock.js';
import { LockedError } from '../../common/base/errors.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const distLock = join(repo, 'dist', 'main', 'node', 'base', 'writer-lock.js');

let dir: string;
let paths: StatePaths;

beforeAll(() => {
  // Child processes need the compiled module; other people's type errors must not stop us.
  expect(statSync(distLock).mtimeMs).toBeGreaterThanOrEqual(
    statSync(join(repo, 'main/node/base/writer-lock.ts')).mtimeMs,
  );
}, 120_000);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-lock-'));
  paths = ensureStateDir(join(dir, 'state'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** A child process that tries the lock once and reports; holds it `holdMs` if it got it. */
function child(holdMs: number, waitMs = 0): Promise<{ got: boolean; pid: number; error?: string }> {
  const code = `
    const { acquireWriterLock } = await import(${JSON.stringify(pathToFileURL(distLock).href)});
    const paths = JSON.parse(process.argv[1]);
    try {
      const lock = await acquireWriterLock(paths, 'child ' + process.pid, { waitMs: ${waitMs} });
      await new Promise((r) => setTimeout(r, ${holdMs}));
      await lock.release();
      console.log(JSON.stringify({ got: true, pid: process.pid }));
    } catch (e) {
      console.log(JSON.stringify({ got: false, pid: process.pid, error: e.message }));
    }`;
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', code, JSON.stringify(paths)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', rej);
    p.on('close', () => {
      try {
        res(JSON.parse(out));
      } catch {
        rej(new Error(`child said ${JSON.stringify(out)}`));
      }
    });
  });
}

describe('writer lock', () => {
  it('excludes a second acquirer until released, and names the holder', async () => {
    const lock = await acquireWriterLock(paths, 'test A');
    expect(lock.holderPid).toBe(process.pid);
    expect(await readLockHolder(paths)).toEqual({ pid: process.pid, owner: 'test A' });
    const err = await acquireWriterLock(paths, 'test B').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as LockedError).holderPid).toBe(process.pid);
    expect((err as Error).message).toMatch(/test A/);
    const other = await child(0);
    expect(other.got).toBe(false);
    expect(other.error).toMatch(new RegExp(`locked by process ${process.pid}`));
    await lock.release();
    expect(existsSync(paths.lockFile)).toBe(false);
    expect(await readLockHolder(paths)).toBeNull();
    expect((await child(0)).got).toBe(true);
  });

  it('waits up to waitMs for a holder to let go', async () => {
    const lock = await acquireWriterLock(paths, 'holder');
    setTimeout(() => void lock.release(), 200);
    const t0 = Date.now();
    const second = await acquireWriterLock(paths, 'waiter', { waitMs: 5_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    await second.release();
    const held = await acquireWriterLock(paths, 'holder2');
    const t1 = Date.now();
    await expect(acquireWriterLock(paths, 'impatient', { waitMs: 300 })).rejects.toBeInstanceOf(LockedError);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(280);
    await held.release();
  });

  it("takes over a dead process's lock", async () => {
    const pid = deadPid();
    writeFileSync(
      paths.lockFile,
      JSON.stringify({
        pid,
        owner: 'crashed daemon',
        startedAt: '2024-01-01T00:00:00.000Z',
        token: 'x',
        pidStart: null,
      }),
    );
    expect(await readLockHolder(paths)).toBeNull();
    const lock = await acquireWriterLock(paths, 'successor');
    expect(JSON.parse(readFileSync(paths.lockFile, 'utf8')).owner).toBe('successor');
    await lock.release();
  });

  it('a reused pid with another start time is not the holder', async () => {
    // Our own pid is alive, but the recorded start time says it was another process.
    writeFileSync(
      paths.lockFile,
      JSON.stringify({ pid: process.pid, owner: 'old', startedAt: '', token: 'x', pidStart: '1' }),
    );
    const lock = await acquireWriterLock(paths, 'new');
    await lock.release();
  });

  it('release never removes a lock that is no longer ours', async () => {
    const lock = await acquireWriterLock(paths, 'first');
    rmSync(paths.lockFile);
    const second = await acquireWriterLock(paths, 'second');
    await lock.release();
    expect(await readLockHolder(paths)).toEqual({ pid: process.pid, owner: 'second' });
    await second.release();
  });

  it('withWriterLock releases even when fn throws', async () => {
    await expect(withWriterLock(paths, 'boom', async () => Promise.reject(new Error('inner')))).rejects.toThrow(
      'inner',
    );
    expect(existsSync(paths.lockFile)).toBe(false);
    expect(await withWriterLock(paths, 'ok', async () => 7)).toBe(7);
  });

  it('8 processes racing for one lock (free, then dead-held): exactly one wins each time', async () => {
    for (const setup of ['free', 'stale'] as const) {
      if (setup === 'stale')
        writeFileSync(
          paths.lockFile,
          JSON.stringify({ pid: deadPid(), owner: 'dead', startedAt: '', token: 'y', pidStart: null }),
        );
      const results = await Promise.all(Array.from({ length: 8 }, () => child(1_500)));
      const winners = results.filter((r) => r.got);
      expect(winners, JSON.stringify(results)).toHaveLength(1);
      expect(existsSync(paths.lockFile)).toBe(false);
    }
  });
});
