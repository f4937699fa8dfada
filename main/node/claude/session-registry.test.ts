import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegistryEntry } from './session-registry.js';

// Claude's sessions/<pid>.json read for a live process: only its own file counts, and a file
// planted as a FIFO or a symlink is refused at once instead of hanging or redirecting the save.
const ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const root = mkdtempSync(join(tmpdir(), 'fk-registry-'));
mkdirSync(join(root, 'sessions'));
const child = spawn('sleep', ['60'], { stdio: 'ignore' });
const pid = child.pid as number;
const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
afterAll(() => {
  child.kill();
  rmSync(root, { recursive: true, force: true });
});
const write = (o: Record<string, unknown>, name = `${pid}.json`): void =>
  writeFileSync(
    join(root, 'sessions', name),
    JSON.stringify({ pid, sessionId: ID, cwd: '/p', procStart: ticks, ...o }),
  );

describe('readRegistryEntry', () => {
  it("accepts the live process's own file", () => {
    write({});
    expect(readRegistryEntry(root, pid, ticks)).toEqual({
      kind: 'ok',
      entry: { pid, sessionId: ID, cwd: '/p', procStart: ticks },
    });
  });

  it('refuses a file left by an earlier process with the same pid', () => {
    write({ procStart: String(Number(ticks) - 1000) });
    const r = readRegistryEntry(root, pid, ticks);
    expect(r.kind === 'unavailable' && r.why).toMatch(/earlier process/);
  });

  it('missing file, missing dir', () => {
    expect(readRegistryEntry(root, 999_999_999, '1')).toMatchObject({
      kind: 'unavailable',
      why: expect.stringMatching(/does not exist/),
    });
    expect(readRegistryEntry(join(root, 'nope'), pid, ticks)).toMatchObject({ kind: 'unavailable' });
  });

  it('a FIFO or a symlink planted as the file is refused at once', () => {
    rmSync(join(root, 'sessions', `${pid}.json`), { force: true });
    execFileSync('mkfifo', [join(root, 'sessions', `${pid}.json`)]);
    const t0 = Date.now();
    const fifo = readRegistryEntry(root, pid, ticks);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fifo.kind === 'unavailable' && fifo.why).toMatch(/FIFO|not a regular file/);
    rmSync(join(root, 'sessions', `${pid}.json`));
    write({}, 'real.json');
    symlinkSync(join(root, 'sessions', 'real.json'), join(root, 'sessions', `${pid}.json`));
    const link = readRegistryEntry(root, pid, ticks);
    expect(link.kind === 'unavailable' && link.why).toMatch(/symbolic link/);
  });

  it('a huge file is not read', () => {
    rmSync(join(root, 'sessions', `${pid}.json`), { force: true });
    writeFileSync(join(root, 'sessions', `${pid}.json`), 'x'.repeat(200_000));
    const r = readRegistryEntry(root, pid, ticks);
    expect(r.kind === 'unavailable' && r.why).toMatch(/too large/);
  });
});
