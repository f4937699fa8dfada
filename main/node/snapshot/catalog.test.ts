import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerInstance } from '../../common/base/types.js';
import { simpleFleet } from '../../../test/helpers/fixtures.js';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { buildSnapshot, listSnapshots, writeSnapshot } from './store.js';
import { SnapshotCatalog } from './catalog.js';

const A: ServerInstance = { socketPath: '/tmp/fk-test/default', pid: 100, startTime: 1_790_000_000 };
const fleet = simpleFleet(1, A);

let root: string;
let paths: StatePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-catalog-'));
  paths = ensureStateDir(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const save = (min: number) => writeSnapshot(paths, buildSnapshot(fleet, {}, 'interval', new Date(T0 + min * 60_000)));

/** Flips one byte in place: same size, new ctime. */
function flip(file: string, at: number): void {
  const b = readFileSync(file);
  b[at] = (b[at] ?? 0) ^ 0x04;
  writeFileSync(file, b);
}

describe('SnapshotCatalog', () => {
  it('agrees with a full listing and returns the newest snapshot read back now', async () => {
    for (let i = 0; i < 5; i++) await save(i);
    writeFileSync(join(paths.snapshots, 'junk.json'), '{');
    const cat = new SnapshotCatalog(paths);
    const v = await cat.view();
    expect(v.listing).toEqual(await listSnapshots(paths));
    expect(v.newest?.id).toBe(v.listing.valid[0]?.id);
  });

  it('notices a newest snapshot damaged after it was cached, and falls back to the previous one', async () => {
    const older = await save(0);
    const newer = await save(1);
    const cat = new SnapshotCatalog(paths);
    expect((await cat.view()).newest?.id).toBe(newer.id);
    flip(join(paths.snapshots, `${newer.id}.json`), 40);
    const v = await cat.view();
    expect(v.newest?.id).toBe(older.id);
    expect(v.listing.corrupt.map((c) => c.file)).toEqual([`${newer.id}.json`]);
    expect(v.listing.valid.map((s) => s.id)).toEqual([older.id]);
  });

  it('re-reads an older file whose bytes changed (same size) and drops files that vanished', async () => {
    const a = await save(0);
    const b = await save(1);
    await save(2);
    const cat = new SnapshotCatalog(paths);
    await cat.view();
    flip(join(paths.snapshots, `${a.id}.json`), 40);
    rmSync(join(paths.snapshots, `${b.id}.json`));
    const v = await cat.view();
    expect(v.listing.corrupt.map((c) => c.file)).toEqual([`${a.id}.json`]);
    expect(v.listing.valid).toHaveLength(1);
  });

  it('judges the newest by its bytes read now: equal bytes keep the verdict, changed ones are parsed again', async () => {
    const older = await save(0);
    const newer = await save(1);
    const file = join(paths.snapshots, `${newer.id}.json`);
    const cat = new SnapshotCatalog(paths, 1000);
    const first = (await cat.view()).newest;
    expect(first?.id).toBe(newer.id);
    // Handed out again for the same bytes, and frozen: no caller can change what the next view says.
    expect((await cat.view()).newest).toBe(first);
    expect(Object.isFrozen(first?.sessions[0]?.windows[0]?.panes[0])).toBe(true);
    // Damaged and repaired within one stamp-trusting period: each view reads the bytes again.
    flip(file, 40);
    expect((await cat.view()).newest?.id).toBe(older.id);
    flip(file, 40);
    const again = (await cat.view()).newest;
    expect(again?.id).toBe(newer.id);
    expect(again).toEqual(first);
  });

  it('takes a snapshot just written without parsing it again, but still checks its bytes on disk', async () => {
    const older = await save(0);
    const written = await save(1);
    const cat = new SnapshotCatalog(paths);
    const v = await cat.view([written]);
    expect(v).toEqual(await new SnapshotCatalog(paths).view());
    expect((await cat.view()).newest).toBe(v.newest); // the seeded verdict, reused for equal bytes
    // Changed behind the writer's back before the catalog looked: the bytes differ, so it is judged again.
    const third = await save(2);
    writeFileSync(join(paths.snapshots, `${third.id}.json`), '{');
    const w = await new SnapshotCatalog(paths).view([third]);
    expect(w.newest?.id).toBe(written.id);
    expect(w.listing.corrupt.map((c) => c.file)).toEqual([`${third.id}.json`]);
    expect(w.listing.valid.map((x) => x.id)).toEqual([written.id, older.id]);
  });

  it('is empty, not an error, when there are no snapshots', async () => {
    rmSync(paths.snapshots, { recursive: true });
    expect(await new SnapshotCatalog(paths).view()).toEqual({ listing: { valid: [], corrupt: [] }, newest: null });
  });
});

describe('SnapshotCatalog with restatEvery', () => {
  it('re-checks old files only every n-th view, but always re-validates the newest', async () => {
    const a = await save(0);
    const b = await save(1);
    const cat = new SnapshotCatalog(paths, 3);
    await cat.view(); // view 0: full
    flip(join(paths.snapshots, `${a.id}.json`), 40);
    expect((await cat.view()).listing.corrupt).toEqual([]); // view 1: old file not re-stat'ed
    flip(join(paths.snapshots, `${b.id}.json`), 40);
    const v2 = await cat.view(); // view 2: the newest is always read back
    expect(v2.newest).toBeNull();
    expect(v2.listing.corrupt.map((c) => c.file)).toContain(`${b.id}.json`);
    const v3 = await cat.view(); // view 3: full again
    expect(v3.listing.corrupt.map((c) => c.file).sort()).toEqual([`${a.id}.json`, `${b.id}.json`].sort());
  });
});
