import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteFailedError } from '../../common/base/errors.js';
import { nodeFs, writeFileDurable, type DurableFs } from './durable-file.js';

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
