import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  UnsafeFileError,
  copyRegularFile,
  openRegularFile,
  readRegularFile,
  readRegularFileSync,
  readRegularText,
  readRegularTextSync,
} from './safe-read.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-safe-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const reasonOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    return err instanceof UnsafeFileError ? err.reason : `other: ${(err as NodeJS.ErrnoException).code}`;
  }
  return 'read';
};
const reasonOfSync = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return err instanceof UnsafeFileError ? err.reason : `other: ${(err as NodeJS.ErrnoException).code}`;
  }
  return 'read';
};

describe('safe reads', () => {
  it('reads a regular file whole, async and sync', async () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, 'x'.repeat(200_000));
    expect((await readRegularFile(f, 1 << 20)).length).toBe(200_000);
    expect(readRegularTextSync(f, 1 << 20)).toHaveLength(200_000);
    writeFileSync(f, '');
    expect(await readRegularText(f, 10)).toBe('');
  });

  it('refuses a FIFO at once, with no writer (a blocking open would wait forever)', async () => {
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(await reasonOf(readRegularFile(fifo, 1024))).toBe('not-regular');
    expect(await reasonOf(openRegularFile(fifo, 1024))).toBe('not-regular');
    expect(reasonOfSync(() => readRegularFileSync(fifo, 1024))).toBe('not-regular');
    await expect(readRegularFile(fifo, 1024)).rejects.toThrow(/a FIFO, not a regular file/);
  });

  it('refuses a symlink (even to a regular file), a directory and a device', async () => {
    const real = join(dir, 'real');
    writeFileSync(real, 'ok');
    symlinkSync(real, join(dir, 'link'));
    mkdirSync(join(dir, 'sub'));
    expect(await reasonOf(readRegularFile(join(dir, 'link'), 1024))).toBe('symlink');
    expect(reasonOfSync(() => readRegularFileSync(join(dir, 'link'), 1024))).toBe('symlink');
    expect(await reasonOf(readRegularFile(join(dir, 'sub'), 1024))).toBe('not-regular');
    expect(await reasonOf(readRegularFile('/dev/zero', 1024))).toBe('not-regular');
    expect(reasonOfSync(() => readRegularFileSync('/dev/zero', 1024))).toBe('not-regular');
  });

  it('refuses a file over the cap and passes ENOENT through', async () => {
    const f = join(dir, 'big');
    writeFileSync(f, 'x'.repeat(1025));
    expect(await reasonOf(readRegularFile(f, 1024))).toBe('too-large');
    expect(reasonOfSync(() => readRegularFileSync(f, 1024))).toBe('too-large');
    expect(await reasonOf(readRegularFile(join(dir, 'missing'), 1024))).toBe('other: ENOENT');
    expect(reasonOfSync(() => readRegularFileSync(join(dir, 'missing'), 1024))).toBe('other: ENOENT');
  });
});

describe('copyRegularFile', () => {
  it('copies a regular file byte for byte (0600, never over an existing file); refuses a FIFO or a symlink', async () => {
    const src = join(dir, 'src.jsonl');
    writeFileSync(src, Buffer.from('ünï\n'.repeat(50_000)));
    await copyRegularFile(src, join(dir, 'copy'), 1 << 22);
    expect(readFileSync(join(dir, 'copy')).equals(readFileSync(src))).toBe(true);
    expect(statSync(join(dir, 'copy')).mode & 0o777).toBe(0o600);
    await expect(copyRegularFile(src, join(dir, 'copy'), 1 << 22)).rejects.toThrow(/EEXIST/);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await reasonOf(copyRegularFile(fifo, join(dir, 'c2'), 1024))).toBe('not-regular');
    symlinkSync(src, join(dir, 'link'));
    expect(await reasonOf(copyRegularFile(join(dir, 'link'), join(dir, 'c3'), 1 << 22))).toBe('symlink');
    expect(await reasonOf(copyRegularFile(src, join(dir, 'c4'), 10))).toBe('too-large');
  });
});
