import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteFailedError } from '../../common/base/errors.js';
import {
  durableWrite,
  durableWriteSync,
  nodeFs,
  tempPathFor,
  writeFileDurable,
  type DurableFs,
} from './durable-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileDurable', () => {
  it('a write that claims every byte but stores half fails with the previous content still in place', async () => {
    const target = join(dir, 'status.json');
    writeFileSync(target, 'previous\n');
    const lying: DurableFs = {
      ...nodeFs,
      write: async (h, buf, off, len, pos) => {
        await nodeFs.write(h, buf, off, Math.floor(len / 2), pos);
        return len;
      },
    };
    await expect(writeFileDurable(target, 'x'.repeat(10_000), lying)).rejects.toThrow(WriteFailedError);
    expect(readFileSync(target, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['status.json']);
  });

  it('writes, replaces and reads back', async () => {
    const target = join(dir, 'a.json');
    await writeFileDurable(target, 'one');
    await writeFileDurable(target, 'two');
    expect(readFileSync(target, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});

describe('durableWrite / durableWriteSync (the one write loop)', () => {
  const calls = (log: string[]): DurableFs =>
    Object.fromEntries(
      Object.entries(nodeFs).map(([op, f]) => [
        op,
        (...a: unknown[]) => {
          log.push(op);
          return (f as (...x: unknown[]) => unknown)(...a);
        },
      ]),
    ) as unknown as DurableFs;

  it('stages in another directory (Maildir tmp → new) and skips the read-back when asked', async () => {
    mkdirSync(join(dir, 'tmp'));
    mkdirSync(join(dir, 'new'));
    const log: string[] = [];
    const data = Buffer.from('event\n');
    await durableWrite(
      { tmp: join(dir, 'tmp', 'e.json'), target: join(dir, 'new', 'e.json'), data, mode: 0o600, readBack: false },
      calls(log),
    );
    expect(log).toEqual(['open', 'write', 'fsync', 'close', 'rename', 'open', 'fsync', 'close']);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'new', 'e.json'), 'utf8')).toBe('event\n');
    expect(statSync(join(dir, 'new', 'e.json')).mode & 0o777).toBe(0o600);
  });

  it('the blocking form writes the same way and fails the same way, leaving no temp', () => {
    const target = join(dir, 'settings.json');
    durableWriteSync({ tmp: tempPathFor(target), target, data: Buffer.from('one'), mode: 0o600, readBack: true });
    expect(readFileSync(target, 'utf8')).toBe('one');
    // The staging name is taken by a directory: open fails, nothing is replaced or left.
    const tmp = tempPathFor(target);
    mkdirSync(tmp);
    expect(() => durableWriteSync({ tmp, target, data: Buffer.from('two'), mode: 0o600, readBack: false })).toThrow(
      WriteFailedError,
    );
    rmSync(tmp, { recursive: true });
    expect(readFileSync(target, 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('a failed rename removes the temp and names the target', async () => {
    const target = join(dir, 'gone', 'a.json');
    const tmp = join(dir, 'staged');
    await expect(durableWrite({ tmp, target, data: Buffer.from('x'), mode: 0o600, readBack: false })).rejects.toThrow(
      /a\.json/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
