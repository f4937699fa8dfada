import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Binding, FleetState } from '../../common/base/types.js';
import { InvalidInputError, WriteFailedError } from '../../common/base/errors.js';
import { computeHealth } from '../../common/health/health.js';
import { nodeFs, type DurableFs } from '../base/durable-file.js';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { buildSnapshot, listSnapshots, parseSnapshot, restoreDefault, writeSnapshot } from './store.js';

const SID = '3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b';
const INST = { socketPath: '/tmp/fk-test/default', pid: 4242, startTime: 1_790_000_000 };

function fleet(): FleetState {
  const pane = (index: number, role: string, cmd: string) => ({
    index,
    id: `%${index}`,
    role,
    cwd: `/home/u/${role}`,
    currentCommand: cmd,
    title: `t${index}`,
    active: index === 0,
    binding: null,
  });
  return {
    instance: { ...INST },
    sessions: [
      {
        name: 'work',
        id: '$0',
        windows: [
          {
            index: 0,
            id: '@0',
            name: 'w',
            layout: 'b25d,80x24,0,0,0',
            active: true,
            zoomed: false,
            panes: [pane(0, 'api', 'claude'), pane(1, 'constructor', 'bash'), pane(2, 'deploy', 'bash')],
          },
        ],
      },
    ],
  };
}

const binding: Binding & { extra?: string } = {
  sessionId: SID,
  transcriptPath: '/t/a.jsonl',
  cwd: '/home/u/api',
  source: 'startup',
  boundAt: '2026-11-23T20:00:00.000Z',
  eventId: 'e1',
  extra: 'not ours',
};

let root: string;
let paths: StatePaths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-snapw-'));
  paths = ensureStateDir(join(root, 'state'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildSnapshot', () => {
  it('binds each pane by role, strips fields a snapshot may not hold, and deep-copies', () => {
    const f = fleet();
    const snap = buildSnapshot(f, { api: binding }, 'manual', new Date('2026-11-23T20:30:01.123Z'));
    expect(snap.id).toMatch(/^20261123T203001123Z-[0-9a-f]{4}$/);
    expect(snap.savedAt).toBe('2026-11-23T20:30:01.123Z');
    const panes = snap.sessions[0]!.windows[0]!.panes;
    expect(panes[0]!.binding).toEqual({
      sessionId: SID,
      transcriptPath: '/t/a.jsonl',
      cwd: '/home/u/api',
      source: 'startup',
      boundAt: '2026-11-23T20:00:00.000Z',
      eventId: 'e1',
    });
    expect(panes[1]!.binding).toBeNull(); // role "constructor" does not hit Object.prototype
    expect(panes[2]!.binding).toBeNull();
    f.sessions[0]!.windows[0]!.panes[0]!.cwd = '/changed';
    expect(panes[0]!.cwd).toBe('/home/u/api');
  });

  it('gives distinct ids that sort in time order', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add(buildSnapshot(fleet(), {}, 'interval', new Date(1_790_000_000_000)).id);
    expect(ids.size).toBeGreaterThan(190); // 4 hex per ms: collisions possible but rare; writeSnapshot refuses to clobber
    const a = buildSnapshot(fleet(), {}, 'interval', new Date(1_790_000_000_000)).id;
    const b = buildSnapshot(fleet(), {}, 'interval', new Date(1_790_000_000_001)).id;
    expect(a < b).toBe(true);
  });
});

describe('writeSnapshot', () => {
  it('writes 0600, reads back valid, and keeps durationMs', async () => {
    const snap = await writeSnapshot(paths, {
      ...buildSnapshot(fleet(), { api: binding }, 'manual', new Date()),
      durationMs: 37,
    });
    const file = join(paths.snapshots, `${snap.id}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back = parseSnapshot(readFileSync(file), snap.id);
    expect(back.ok && back.snapshot).toEqual(snap);
    expect(snap.durationMs).toBe(37);
    expect(readdirSync(paths.snapshots)).toEqual([`${snap.id}.json`]);
  });

  it('refuses an invalid draft without touching the disk', async () => {
    const f = fleet();
    f.sessions[0]!.windows[0]!.panes[0]!.role = 'bad role';
    await expect(writeSnapshot(paths, buildSnapshot(f, {}, 'manual', new Date()))).rejects.toThrow(InvalidInputError);
    expect(readdirSync(paths.snapshots)).toEqual([]);
  });

  it('refuses to clobber an existing id', async () => {
    const draft = buildSnapshot(fleet(), {}, 'manual', new Date());
    await writeSnapshot(paths, draft);
    await expect(writeSnapshot(paths, { ...draft, trigger: 'interval' })).rejects.toThrow(/already exists/);
  });

  // Each fault: the write fails loudly, nothing new counts, the previous newest is byte-identical
  // and is still the restore default.
  const faults: Array<[string, () => DurableFs]> = [
    [
      'a write that reports success but writes fewer bytes',
      () => ({
        ...nodeFs,
        write: async (h, buf, off, len, pos) => {
          const n = Math.max(1, Math.floor(len / 2));
          await h.write(buf, off, n, pos);
          return len;
        },
      }),
    ],
    ['a write that returns 0 (disk full)', () => ({ ...nodeFs, write: async () => 0 })],
    [
      'ENOSPC on write',
      () => ({
        ...nodeFs,
        write: async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      }),
    ],
    [
      'fsync failure on the file',
      () => {
        let n = 0;
        return {
          ...nodeFs,
          fsync: async (h) => {
            if (n++ === 0) throw new Error('EIO: fsync failed');
            return nodeFs.fsync(h);
          },
        };
      },
    ],
    [
      'fsync failure on the directory',
      () => {
        let n = 0;
        return {
          ...nodeFs,
          fsync: async (h) => {
            if (n++ === 1) throw new Error('EIO: dir fsync failed');
            return nodeFs.fsync(h);
          },
        };
      },
    ],
    [
      'rename failure',
      () => ({
        ...nodeFs,
        rename: async () => {
          throw new Error('EXDEV: rename failed');
        },
      }),
    ],
    [
      'read-back returns flipped bytes',
      () => ({
        ...nodeFs,
        readFile: async (p) => {
          const b = Buffer.from(await nodeFs.readFile(p));
          b[Math.floor(b.length / 2)]! ^= 0x04;
          return b;
        },
      }),
    ],
    [
      'bytes change on disk between the durable write and the validation read',
      () => {
        let reads = 0;
        return {
          ...nodeFs,
          readFile: async (p) => {
            const b = Buffer.from(await nodeFs.readFile(p));
            if (++reads === 2) b[40]! ^= 0x01;
            return b;
          },
        };
      },
    ],
  ];
  for (const [name, make] of faults) {
    it(`fails with WriteFailedError and keeps the previous newest: ${name}`, async () => {
      const old = await writeSnapshot(
        paths,
        buildSnapshot(fleet(), { api: binding }, 'interval', new Date(Date.now() - 60_000)),
      );
      const oldFile = join(paths.snapshots, `${old.id}.json`);
      const before = readFileSync(oldFile);
      const draft = buildSnapshot(fleet(), { api: binding }, 'interval', new Date());
      await expect(writeSnapshot(paths, draft, make())).rejects.toThrow(WriteFailedError);
      expect(readFileSync(oldFile).equals(before)).toBe(true);
      expect(readdirSync(paths.snapshots)).toEqual([`${old.id}.json`]); // no temp, no half file
      const listing = await listSnapshots(paths);
      expect(listing.corrupt).toEqual([]);
      expect(listing.valid.map((s) => s.id)).toEqual([old.id]);
      expect(restoreDefault(listing, INST, new Set())?.id).toBe(old.id);
    });
  }
});

describe('corruption on disk', () => {
  it('rejects bit flips and truncation at many offsets with a reason, never throwing', async () => {
    const snap = await writeSnapshot(paths, buildSnapshot(fleet(), { api: binding }, 'interval', new Date()));
    const bytes = readFileSync(join(paths.snapshots, `${snap.id}.json`));
    let rejected = 0;
    for (let off = 0; off < bytes.length; off++) {
      for (const bit of [0x01, 0x20, 0x80]) {
        const b = Buffer.from(bytes);
        b[off]! ^= bit;
        const r = parseSnapshot(b, snap.id);
        // Only a flip inside insignificant whitespace could leave the content intact.
        if (r.ok) expect(JSON.parse(b.toString('utf8'))).toEqual(snap);
        else {
          rejected++;
          expect(r.reason.length).toBeGreaterThan(0);
        }
      }
      // Cutting only the trailing newline leaves the whole document: every other cut is torn.
      if (off < bytes.length - 1) expect(parseSnapshot(bytes.subarray(0, off), snap.id).ok).toBe(false);
    }
    expect(rejected).toBeGreaterThan(bytes.length * 3 * 0.9);
  });

  it('lists a damaged file as corrupt with its reason, and it does not count as newest', async () => {
    const older = await writeSnapshot(paths, buildSnapshot(fleet(), {}, 'interval', new Date(Date.now() - 30_000)));
    const newer = await writeSnapshot(paths, buildSnapshot(fleet(), {}, 'interval', new Date()));
    const file = join(paths.snapshots, `${newer.id}.json`);
    const text = readFileSync(file, 'utf8').replace('"/home/u/api"', '"/home/u/apx"');
    writeFileSync(file, text);
    writeFileSync(join(paths.snapshots, 'notes.txt'), 'hello');
    const listing = await listSnapshots(paths);
    expect(listing.valid.map((s) => s.id)).toEqual([older.id]);
    expect(listing.corrupt).toEqual([
      { file: `${newer.id}.json`, reason: expect.stringMatching(/checksum mismatch/) },
      { file: 'notes.txt', reason: expect.stringMatching(/not a snapshot file name/) },
    ]);
  });

  it('takes age from the validated savedAt, never the file mtime', async () => {
    const now = new Date('2026-11-23T21:00:00.000Z');
    const snap = await writeSnapshot(
      paths,
      buildSnapshot(fleet(), {}, 'interval', new Date(now.getTime() - 20 * 60_000)),
    );
    utimesSync(join(paths.snapshots, `${snap.id}.json`), now, now);
    const listing = await listSnapshots(paths);
    const h = computeHealth({
      now,
      newest: listing.valid[0] ?? null,
      intervalS: 60,
      graceS: 30,
      staleAfterS: 300,
      server: 'running',
      lastSaveError: null,
      hooks: 'installed',
      unboundClaudePanes: 0,
      problems: [],
    });
    expect(h.state).toBe('stale');
    expect(h.ageSeconds).toBe(1200);
  });
});
