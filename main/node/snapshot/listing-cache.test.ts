import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatePaths } from '../base/state-dir.js';
import { simpleFleet, tempState, type TempState } from '../../../test/helpers/fixtures.js';
import { buildSnapshot, writeSnapshot } from './writer.js';
import { listSnapshots } from './reader.js';
import { fileStamp, listingCachePath } from './listing-cache.js';

let state: TempState;
let paths: StatePaths;
beforeEach(() => {
  state = tempState('listing-cache');
  paths = state.paths;
});
afterEach(() => state.dispose());

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const save = (sessions: number, min: number) =>
  writeSnapshot(paths, buildSnapshot(simpleFleet(sessions), {}, 'interval', new Date(T0 + min * 60_000)));
const cached = () => listSnapshots(paths, [], { cache: true });
type CacheFile = { entries: Array<{ file: string; summary: { sessions: number } }> };
const readCache = (): CacheFile => JSON.parse(readFileSync(listingCachePath(paths), 'utf8')) as CacheFile;

describe('the snapshot listing cache', () => {
  it('gives the same listing as reading every file, and is then what a listing reads', async () => {
    const a = await save(2, 0);
    await save(1, 1);
    writeFileSync(join(paths.snapshots, 'junk.json'), '{');
    const plain = await listSnapshots(paths);
    expect(await cached()).toEqual(plain);
    expect(readCache().entries).toHaveLength(2); // valid verdicts only
    // Proof the second listing used it: an entry edited in the cache is what comes back.
    const c = readCache();
    const entry = c.entries.find((e) => e.file === `${a.id}.json`)!;
    entry.summary.sessions = 7;
    writeFileSync(listingCachePath(paths), JSON.stringify(c));
    expect((await cached()).valid.find((s) => s.id === a.id)?.sessions).toBe(7);
    expect((await listSnapshots(paths)).valid.find((s) => s.id === a.id)?.sessions).toBe(2);
  });

  it('reads a file again when its bytes (and so its identity) changed, and forgets files that are gone', async () => {
    const a = await save(2, 0);
    const b = await save(1, 1);
    await cached();
    const file = join(paths.snapshots, `${a.id}.json`);
    const bytes = readFileSync(file);
    bytes[40] = (bytes[40] ?? 0) ^ 0x04;
    writeFileSync(file, bytes);
    rmSync(join(paths.snapshots, `${b.id}.json`));
    const v = await cached();
    expect(v.corrupt.map((c) => c.file)).toEqual([`${a.id}.json`]);
    expect(v.valid).toEqual([]);
    expect(readCache().entries).toEqual([]);
  });

  it('ignores a damaged, foreign or hostile cache and rewrites it', async () => {
    const a = await save(2, 0);
    const plain = await listSnapshots(paths);
    // The file's real identity: only the summaries themselves can make these entries wrong.
    const stamp = await fileStamp(join(paths.snapshots, `${a.id}.json`));
    for (const bad of [
      '{',
      JSON.stringify({ format: 'fleetkeeper-snapshot-listing', version: 2, entries: [] }),
      JSON.stringify({ format: 'something-else', version: 1, entries: [] }),
      // An entry naming another file, a summary with a bad instance: neither is believed.
      JSON.stringify({
        format: 'fleetkeeper-snapshot-listing',
        version: 1,
        entries: [
          { file: `${a.id}.json`, stamp, summary: { ...plain.valid[0], file: 'other.json' } },
          { file: `${a.id}.json`, stamp, summary: { ...plain.valid[0], instance: { pid: -1 } } },
        ],
      }),
    ]) {
      writeFileSync(listingCachePath(paths), bad);
      expect(await cached()).toEqual(plain);
      expect(readCache().entries.map((e) => e.file)).toEqual([`${a.id}.json`]);
    }
  });
});
