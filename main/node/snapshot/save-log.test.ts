import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { appendSaveRecord, readSaveLog, saveLogPath } from './save-log.js';

let root: string;
let paths: StatePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-savelog-'));
  paths = ensureStateDir(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('save log', () => {
  it('appends ok and failed attempts, reads them back oldest first from a given time', async () => {
    await appendSaveRecord(paths, {
      at: '2026-11-23T10:00:00.000Z',
      trigger: 'interval',
      ok: true,
      snapshotId: 'a',
      durationMs: 7,
    });
    await appendSaveRecord(paths, {
      at: '2026-11-23T10:01:00.000Z',
      trigger: 'interval',
      ok: false,
      error: 'tmux hung',
    });
    await appendSaveRecord(paths, { at: '2026-11-23T09:59:00.000Z', trigger: 'manual', ok: true });
    const all = await readSaveLog(paths, new Date(0));
    expect(all.map((r) => r.at)).toEqual([
      '2026-11-23T09:59:00.000Z',
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:01:00.000Z',
    ]);
    expect(all[2]).toEqual({ at: '2026-11-23T10:01:00.000Z', trigger: 'interval', ok: false, error: 'tmux hung' });
    expect(await readSaveLog(paths, new Date('2026-11-23T10:00:30.000Z'))).toHaveLength(1);
    expect(statSync(saveLogPath(paths)).mode & 0o777).toBe(0o600);
  });

  it('skips torn and foreign lines', async () => {
    await appendSaveRecord(paths, { at: '2026-11-23T10:00:00.000Z', trigger: 'interval', ok: true });
    appendFileSync(saveLogPath(paths), '{"at":"2026-11-23T10:0\n[1,2]\n{"at":"x","trigger":"interval","ok":true}\n');
    await appendSaveRecord(paths, { at: '2026-11-23T10:02:00.000Z', trigger: 'interval', ok: true });
    expect(await readSaveLog(paths, new Date(0))).toHaveLength(2);
  });

  it('compacts to the last week once past 1 MB', async () => {
    const old = '2026-11-01T00:00:00.000Z';
    const line = `${JSON.stringify({ at: old, trigger: 'interval', ok: false, error: 'x'.repeat(1000) })}\n`;
    appendFileSync(saveLogPath(paths), line.repeat(1100));
    await appendSaveRecord(
      paths,
      { at: '2026-11-23T10:00:00.000Z', trigger: 'interval', ok: true },
      new Date('2026-11-23T10:00:01.000Z'),
    );
    expect(statSync(saveLogPath(paths)).size).toBeLessThan(200);
    expect(await readSaveLog(paths, new Date(0))).toHaveLength(1);
  });
});
