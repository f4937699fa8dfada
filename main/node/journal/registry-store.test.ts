import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  statSync,
  existsSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { appendEvent, readJournal, type EventFields } from './spool.js';
import { RegistryStore, type ConfLike } from './registry-store.js';
import { openConfRegistry } from './registry-conf.js';
import { bindingsOf, emptyRegistry, foldEvents } from '../../common/journal/registry-fold.js';
import { WriteFailedError } from '../../common/base/errors.js';
import { ABANDONED_TEMP_AGE_MS } from '../base/temp-sweep.js';
import { spawnSync } from 'node:child_process';

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;

let dir: string;
let paths: StatePaths;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-registry-'));
  paths = ensureStateDir(join(dir, 'state'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(role: string, sessionId: string, at: string, source = 'startup'): EventFields {
  return {
    kind: 'session-start',
    at,
    sessionId,
    transcriptPath: `/c/projects/x/${sessionId}.jsonl`,
    cwd: `/w/${role}`,
    source,
    pane: {
      instance: { socketPath: '/tmp/tmux-1/default', pid: 7, startTime: 1700000000 },
      paneId: '%4',
      role,
      sessionName: 'w',
      windowIndex: 0,
      paneIndex: 1,
    },
  };
}

const spoolFiles = (): string[] => readdirSync(paths.spoolNew);
const archiveFiles = (): string[] => readdirSync(paths.archive);

describe('RegistryStore', () => {
  it('folds the spool into registry.json (0600), then archives, and bindings() agrees', async () => {
    const s1 = randomUUID();
    const s2 = randomUUID();
    await appendEvent(paths, start('api', s1, '2024-05-01T10:00:00.000Z'));
    await appendEvent(paths, start('web', s2, '2024-05-01T10:00:01.000Z'));
    const store = new RegistryStore(paths);
    const r = await store.foldSpool();
    expect(r.applied).toBe(2);
    expect(r.corrupt).toEqual([]);
    expect(spoolFiles()).toEqual([]);
    expect(archiveFiles()).toHaveLength(2);
    const file = join(paths.root, 'registry.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).roles.api.start.sessionId).toBe(s1);
    const b = await new RegistryStore(paths).bindings();
    expect(Object.keys(b)).toEqual(['api', 'web']);
    expect(b.api?.sessionId).toBe(s1);
    expect((await store.foldSpool()).applied).toBe(0);
  });

  it('bindings() includes events still in the spool without archiving them', async () => {
    const s = randomUUID();
    await appendEvent(paths, start('api', s, '2024-05-01T10:00:00.000Z'));
    expect((await new RegistryStore(paths).bindings()).api?.sessionId).toBe(s);
    expect(spoolFiles()).toHaveLength(1);
  });

  it('a damaged registry.json is rebuilt from archive + spool, loudly, and the damaged file is kept', async () => {
    const store = new RegistryStore(paths);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await appendEvent(paths, start('api', ids[0] as string, '2024-05-01T10:00:00.000Z'));
    await appendEvent(paths, start('web', ids[1] as string, '2024-05-01T10:00:01.000Z'));
    await store.foldSpool();
    await appendEvent(paths, start('api', ids[2] as string, '2024-05-01T11:00:00.000Z', 'clear'));
    const file = join(paths.root, 'registry.json');
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    const loaded = await new RegistryStore(paths).load();
    expect(loaded.rebuilt).toBe(true);
    expect(loaded.reason).toMatch(/registry rebuilt from the journal \(3 events\).*does not parse/);
    const expected = foldEvents(emptyRegistry(), (await readJournal(paths)).events).doc;
    expect(loaded.doc).toEqual(expected);
    expect(bindingsOf(loaded.doc).api?.sessionId).toBe(ids[2]);
    expect(readdirSync(paths.root).filter((f) => f.startsWith('registry.json.damaged-'))).toHaveLength(1);
    // The rebuilt file is good: the next load is quiet.
    expect((await new RegistryStore(paths).load()).rebuilt).toBe(false);
  });

  it('a structurally invalid registry, a deleted one, and a rolled-back one are all rebuilt', async () => {
    const s = randomUUID();
    await appendEvent(paths, start('api', s, '2024-05-01T10:00:00.000Z'));
    await new RegistryStore(paths).foldSpool();
    const file = join(paths.root, 'registry.json');
    const emptyButValid = JSON.stringify(emptyRegistry());

    writeFileSync(
      file,
      JSON.stringify({ version: 1, roles: { api: { start: 'x' } }, applied: {}, unbound: 0, malformed: 0 }),
    );
    let l = await new RegistryStore(paths).load();
    expect([l.rebuilt, l.reason]).toEqual([true, expect.stringMatching(/is invalid: role "api"/)]);

    rmSync(file);
    l = await new RegistryStore(paths).load();
    expect([l.rebuilt, l.reason]).toEqual([
      true,
      expect.stringMatching(/missing or empty while the archive holds 1 events/),
    ]);

    writeFileSync(file, emptyButValid);
    l = await new RegistryStore(paths).load();
    expect([l.rebuilt, l.reason]).toEqual([true, expect.stringMatching(/lacks 1 archived events/)]);
    expect(bindingsOf(l.doc).api?.sessionId).toBe(s);
  });

  it('a fresh state dir loads empty without a rebuild', async () => {
    const l = await new RegistryStore(paths).load();
    expect(l).toEqual({ doc: emptyRegistry(), rebuilt: false });
  });

  it('archives only after the registry that includes the events is persisted', async () => {
    await appendEvent(paths, start('api', randomUUID(), '2024-05-01T10:00:00.000Z'));
    await appendEvent(paths, start('web', randomUUID(), '2024-05-01T10:00:01.000Z'));
    const real = openConfRegistry(paths);
    const seenAtWrite: string[][] = [];
    const observing: ConfLike = {
      get path() {
        return real.path;
      },
      get store() {
        return real.store;
      },
      set store(v) {
        seenAtWrite.push(spoolFiles());
        real.store = v;
      },
    };
    await new RegistryStore(paths, () => observing).foldSpool();
    expect(seenAtWrite).toHaveLength(1);
    expect(seenAtWrite[0]).toHaveLength(2);
    expect(spoolFiles()).toEqual([]);
  });

  it('a store whose writer fails, or reports success after a short write, archives nothing', async () => {
    await appendEvent(paths, start('api', randomUUID(), '2024-05-01T10:00:00.000Z'));
    const real = openConfRegistry(paths);
    const failing: ConfLike = {
      path: real.path,
      get store() {
        return real.store;
      },
      set store(_v) {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    await expect(new RegistryStore(paths, () => failing).foldSpool()).rejects.toThrow(/ENOSPC/);
    expect(spoolFiles()).toHaveLength(1);

    // What conf → atomically can do on a full disk: the write "succeeds" but the file is short.
    const shortWriter: ConfLike = {
      path: real.path,
      get store() {
        return real.store;
      },
      set store(v) {
        const text = JSON.stringify(v, undefined, '\t');
        writeFileSync(real.path, text.slice(0, text.length - 10));
      },
    };
    const err = await new RegistryStore(paths, () => shortWriter).foldSpool().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WriteFailedError);
    expect((err as Error).message).toMatch(/read-back failed/);
    expect(spoolFiles()).toHaveLength(1);
    expect(archiveFiles()).toEqual([]);

    // With a healthy store the same events fold and archive, and the damaged file is repaired.
    // (The rebuild reads the whole journal, spool included, so the fold itself adds nothing.)
    const r = await new RegistryStore(paths).foldSpool();
    expect(r.rebuilt).toMatch(/does not parse/);
    expect(Object.keys(r.doc.applied)).toHaveLength(1);
    expect(Object.keys(bindingsOf(r.doc))).toEqual(['api']);
    expect(archiveFiles()).toHaveLength(1);
    expect(spoolFiles()).toEqual([]);
    expect(existsSync(real.path)).toBe(true);
  });

  it('re-folding after a crash between persist and archive applies nothing twice', async () => {
    await appendEvent(paths, start('api', randomUUID(), '2024-05-01T10:00:00.000Z'));
    const store = new RegistryStore(paths);
    // Persist without archiving, as if the process died right after the store write.
    const real = openConfRegistry(paths);
    const doc = foldEvents(emptyRegistry(), (await readJournal(paths)).events).doc;
    real.store = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    const r = await store.foldSpool();
    expect(r.applied).toBe(0);
    expect(spoolFiles()).toEqual([]);
    expect(archiveFiles()).toHaveLength(1);
    expect((await store.load()).doc).toEqual(doc);
  });
  it('sweeps the store temp files a writer killed mid-persist left behind, and nothing else', async () => {
    await appendEvent(paths, start('api', randomUUID(), '2024-05-01T10:00:00.000Z'));
    const store = new RegistryStore(paths);
    const old = join(paths.root, 'registry.json.tmp-1732391234a1b2c3');
    const fresh = join(paths.root, 'registry.json.tmp-1732391299d4e5f6');
    const other = join(paths.root, 'settings.json.tmp-1732391234a1b2c3');
    const deadOurs = join(paths.root, `.tmp-registry.json.${deadPid()}.0a1b2c3d`);
    const liveOurs = join(paths.root, `.tmp-registry.json.${process.pid}.0a1b2c3d`);
    const deadOther = join(paths.root, `.tmp-settings.json.${deadPid()}.0a1b2c3d`);
    for (const f of [old, fresh, other, deadOurs, liveOurs, deadOther]) writeFileSync(f, '{"version":1,"rol');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);
    utimesSync(other, hourAgo, hourAgo);
    await store.foldSpool();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(other)).toBe(true);
    // Ours carry the writer's pid: a dead writer's goes at once, a live one's stays.
    expect(existsSync(deadOurs)).toBe(false);
    expect(existsSync(liveOurs)).toBe(true);
    expect(existsSync(deadOther)).toBe(true);
    // conf's carry no pid: gone once older than any write takes.
    expect(await store.sweepStoreTemps(new Date(Date.now() + ABANDONED_TEMP_AGE_MS))).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });
});
