import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerInstance } from '../../common/base/types.js';
import { simpleFleet } from '../../../test/helpers/fixtures.js';
import { CorruptFileError, InvalidInputError } from '../../common/base/errors.js';
import { DEFAULT_RETENTION } from '../../common/snapshot/retention.js';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import {
  applyRetention,
  buildSnapshot,
  handledInstances,
  instanceKey,
  listSnapshots,
  markInstanceHandled,
  markUnverifiedRestore,
  newestValidSnapshot,
  newestValidSummary,
  readSnapshot,
  restoreCandidates,
  restoreDefault,
  sweepSnapshotAndStatusTemps,
  writeSnapshot,
} from './store.js';
import { contentsPath, writePaneContents } from './pane-contents.js';

const A: ServerInstance = { socketPath: '/tmp/fk-test/default', pid: 100, startTime: 1_790_000_000 };
const B: ServerInstance = { socketPath: '/tmp/fk-test/default', pid: 200, startTime: 1_790_090_000 };

const fleet = (instance: ServerInstance, sessions: number) => simpleFleet(sessions, instance);

let root: string;
let paths: StatePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-snaps-'));
  paths = ensureStateDir(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const save = (inst: ServerInstance, sessions: number, minutesAfterT0: number) =>
  writeSnapshot(paths, buildSnapshot(fleet(inst, sessions), {}, 'interval', new Date(T0 + minutesAfterT0 * 60_000)));

describe('listing and reading', () => {
  it('lists a snapshot this process just wrote from memory: the same listing, without reading it again', async () => {
    await save(A, 2, 0);
    const mine = await save(A, 1, 5);
    expect(await listSnapshots(paths, [mine])).toEqual(await listSnapshots(paths));
    // Proof it was not re-read: bytes changed behind our back are only seen by a plain listing.
    writeFileSync(join(paths.snapshots, `${mine.id}.json`), '{');
    expect((await listSnapshots(paths)).corrupt.map((c) => c.file)).toEqual([`${mine.id}.json`]);
    expect((await listSnapshots(paths, [mine])).valid.map((s) => s.id)).toContain(mine.id);
  });

  it('lists newest savedAt first with counts, and finds the newest valid', async () => {
    const a = await save(A, 2, 0);
    const b = await save(A, 1, 5);
    const listing = await listSnapshots(paths);
    expect(listing.valid.map((s) => s.id)).toEqual([b.id, a.id]);
    expect(listing.valid[1]).toMatchObject({
      sessions: 2,
      windows: 2,
      panes: 2,
      claudePanes: 0,
      trigger: 'interval',
      file: `${a.id}.json`,
    });
    expect((await newestValidSnapshot(paths))?.id).toBe(b.id);
  });

  it('newestValidSnapshot/Summary skip a damaged newest file and agree with the listing', async () => {
    await save(A, 1, 0);
    const mid = await save(A, 2, 5);
    const top = await save(A, 3, 10);
    writeFileSync(join(paths.snapshots, `${top.id}.json`), '{"torn":');
    expect((await newestValidSnapshot(paths))?.id).toBe(mid.id);
    const listing = await listSnapshots(paths);
    expect(await newestValidSummary(paths)).toEqual(listing.valid[0]);
    expect(listing.corrupt.map((c) => c.file)).toEqual([`${top.id}.json`]);
  });

  it('returns an empty listing when the directory does not exist', async () => {
    rmSync(paths.snapshots, { recursive: true });
    expect(await listSnapshots(paths)).toEqual({ valid: [], corrupt: [] });
    expect(await newestValidSnapshot(paths)).toBeNull();
  });

  it('readSnapshot: unknown id and path characters are InvalidInputError, a damaged file CorruptFileError', async () => {
    const a = await save(A, 1, 0);
    expect((await readSnapshot(paths, a.id)).checksum).toBe(a.checksum);
    await expect(readSnapshot(paths, '20261123T120000000Z-ffff')).rejects.toThrow(InvalidInputError);
    for (const bad of ['../state/x', `${a.id}/../${a.id}`, '', 'a b']) {
      await expect(readSnapshot(paths, bad)).rejects.toThrow(InvalidInputError);
    }
    writeFileSync(join(paths.snapshots, `${a.id}.json`), '{"format":"fleetkeeper-snapshot"');
    await expect(readSnapshot(paths, a.id)).rejects.toThrow(CorruptFileError);
  });

  it('a copy renamed to another id does not count', async () => {
    const a = await save(A, 1, 0);
    const other = '20301123T120000000Z-abcd';
    writeFileSync(join(paths.snapshots, `${other}.json`), JSON.stringify(await readSnapshot(paths, a.id)));
    const listing = await listSnapshots(paths);
    expect(listing.valid.map((s) => s.id)).toEqual([a.id]);
    expect(listing.corrupt[0]?.reason).toMatch(/named .* but holds/);
  });
});

describe('temp files', () => {
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', '']);
    return r.pid as number;
  }

  it('listing ignores temp files; sweep removes those of dead writers and reused pids, keeps a write in flight', async () => {
    const a = await save(A, 1, 0);
    const dead = join(paths.snapshots, `.tmp-${a.id}.json.${deadPid()}.0a1b2c3d`);
    const inFlight = join(paths.snapshots, `.tmp-x.json.${process.pid}.deadbeef`);
    const oldOwn = join(paths.snapshots, `.tmp-y.json.${process.pid}.cafe0001`);
    const rootTemp = join(paths.root, `.tmp-daemon-status.json.${deadPid()}.00ff00ff`);
    const unrelatedRoot = join(paths.root, '.tmp-registry.json.1.abcd');
    for (const f of [dead, inFlight, oldOwn, rootTemp, unrelatedRoot]) writeFileSync(f, '{"half":');
    // Our pid on a temp written before this process started: its writer died and we got the pid.
    const beforeWeStarted = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    utimesSync(oldOwn, beforeWeStarted, beforeWeStarted);
    // A write in flight stays however long it takes.
    const longAgo = new Date(Date.now() - process.uptime() * 1000 + 1_000);
    utimesSync(inFlight, longAgo, longAgo);

    const listing = await listSnapshots(paths);
    expect(listing).toEqual({ valid: [expect.objectContaining({ id: a.id })], corrupt: [] });

    expect(await sweepSnapshotAndStatusTemps(paths)).toBe(3);
    expect(readdirSync(paths.snapshots).sort()).toEqual([`.tmp-x.json.${process.pid}.deadbeef`, `${a.id}.json`].sort());
    expect(readdirSync(paths.root)).toContain('.tmp-registry.json.1.abcd'); // not ours to judge
    expect(readdirSync(paths.root)).not.toContain(`.tmp-daemon-status.json`);
    expect(await sweepSnapshotAndStatusTemps(paths)).toBe(0);
  });
});

describe('restore default', () => {
  it('skips snapshots of an empty server: an empty server never displaces the last fleet', async () => {
    const full = await save(A, 3, 0);
    await save(A, 0, 1);
    await save(A, 0, 2);
    const listing = await listSnapshots(paths);
    expect(listing.valid).toHaveLength(3);
    expect(restoreCandidates(listing, A).map((s) => s.id)).toEqual([full.id]);
    expect(restoreDefault(listing, A, new Set())?.id).toBe(full.id);
    expect(restoreDefault(listing, null, new Set())?.id).toBe(full.id);
  });

  it('after a reboot returns the previous instance newest, even when the new server was saved since', async () => {
    await save(A, 3, 0);
    const aNewest = await save(A, 3, 10);
    await save(B, 0, 20); // new server, empty
    const bSmall = await save(B, 1, 30); // the user opened one session
    let listing = await listSnapshots(paths);
    expect(restoreDefault(listing, B, new Set())?.id).toBe(aNewest.id);
    expect(restoreDefault(listing, null, new Set())?.id).toBe(bSmall.id); // no server now: B was the last one
    expect(restoreCandidates(listing, B).map((s) => s.id)[0]).toBe(aNewest.id);

    await markInstanceHandled(paths, instanceKey(A), 'restored');
    const handled = await handledInstances(paths);
    expect(handled).toEqual(new Set([instanceKey(A)]));
    expect(restoreDefault(listing, B, handled)?.id).toBe(bSmall.id);

    listing = { valid: [], corrupt: [] };
    expect(restoreDefault(listing, B, handled)).toBeNull();
  });

  it('a server built by a restore that did not verify never displaces its source until that is handled', async () => {
    const C: ServerInstance = { ...B, pid: 300, startTime: B.startTime + 1000 };
    const aNewest = await save(A, 3, 0);
    await save(B, 3, 10); // the restored fleet, saved by the daemon since
    await markUnverifiedRestore(paths, instanceKey(B), instanceKey(A));
    const listing = await listSnapshots(paths);
    // The next reboot (server C): A leads again, not B.
    expect(restoreDefault(listing, C, await handledInstances(paths))?.id).toBe(aNewest.id);
    expect(restoreDefault(listing, null, await handledInstances(paths))?.id).toBe(aNewest.id);
    // Once A is restored completely (or dismissed), B is an ordinary previous server.
    await markInstanceHandled(paths, instanceKey(A), 'restored');
    expect(restoreDefault(listing, C, await handledInstances(paths))?.instance).toEqual(B);
    // A verified restore recorded later never turns a handled instance unverified.
    await markInstanceHandled(paths, instanceKey(B), 'restored');
    await markUnverifiedRestore(paths, instanceKey(B), instanceKey(A));
    expect(await handledInstances(paths)).toContain(instanceKey(B));
  });

  it('with no current server the newest snapshot with sessions leads', async () => {
    await save(A, 2, 0);
    const b = await save(B, 2, 10);
    expect(restoreDefault(await listSnapshots(paths), null, new Set())?.id).toBe(b.id);
  });

  it('a damaged handled file forgets (protecting more), and is rewritten 0600 on the next mark', async () => {
    writeFileSync(
      join(paths.root, 'restore-handled.json'),
      '{"format":"fleetkeeper-handled","version":1,"instances":{"x":{"how":"restored","at":"2026-01-01T00:00:00.000Z"}},"checksum":"sha256:00"}',
    );
    expect(await handledInstances(paths)).toEqual(new Set());
    await markInstanceHandled(paths, instanceKey(B), 'dismissed');
    await markInstanceHandled(paths, instanceKey(A), 'restored');
    expect(await handledInstances(paths)).toEqual(new Set([instanceKey(A), instanceKey(B)]));
    expect(statSync(join(paths.root, 'restore-handled.json')).mode & 0o777).toBe(0o600);
  });
});

describe('applyRetention', () => {
  it('thins old snapshots but keeps the newest and the unhandled previous instance newest', async () => {
    const now = new Date(T0 + 40 * 86_400_000);
    const aNewest = await save(A, 2, 0); // 40 days old: beyond daily retention
    await save(A, 2, -60);
    const bIds: string[] = [];
    // Instance B: one snapshot every 6 hours for 39 days, then every 10 minutes for the last 3 hours.
    for (let m = 24 * 60; m < 40 * 24 * 60 - 180; m += 360) bIds.push((await save(B, 1, m)).id);
    for (let m = 40 * 24 * 60 - 180; m <= 40 * 24 * 60; m += 10) bIds.push((await save(B, 1, m)).id);
    const total = (await listSnapshots(paths)).valid.length;

    const deleted = await applyRetention(paths, now, DEFAULT_RETENTION, B);
    const left = (await listSnapshots(paths)).valid;
    const leftIds = new Set(left.map((s) => s.id));
    expect(left.length + deleted.length).toBe(total);
    expect(leftIds.has(aNewest.id)).toBe(true); // protected: A not restored or dismissed
    expect(leftIds.has(bIds[bIds.length - 1]!)).toBe(true);
    const ageH = (s: { savedAt: string }) => (now.getTime() - Date.parse(s.savedAt)) / 3600_000;
    expect(left.filter((s) => ageH(s) <= 2)).toHaveLength(13); // dense: every 10 min in the last 2 h
    expect(left.filter((s) => ageH(s) > 30 * 24 && s.id !== aNewest.id)).toHaveLength(0);
    // sparse: at most one per UTC day between 2 and 30 days
    const days = left.filter((s) => ageH(s) > 48 && ageH(s) <= 30 * 24).map((s) => s.savedAt.slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    expect(days.length).toBeGreaterThanOrEqual(27);

    expect(await applyRetention(paths, now, DEFAULT_RETENTION, B)).toEqual([]); // idempotent
    // A kept pane-contents sidecar goes with its snapshot.
    await writePaneContents(paths, aNewest.id, { 'a:0.0': 'screen' });
    expect(existsSync(contentsPath(paths, aNewest.id))).toBe(true);
    await markInstanceHandled(paths, instanceKey(A), 'dismissed');
    expect(await applyRetention(paths, now, DEFAULT_RETENTION, B)).toEqual([aNewest.id]);
    expect(existsSync(contentsPath(paths, aNewest.id))).toBe(false);
  });
});
