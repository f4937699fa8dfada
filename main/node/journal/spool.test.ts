import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import {
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  truncateSync,
  utimesSync,
  statSync,
  symlinkSync,
  mkdirSync,
} from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import {
  appendEvent,
  archiveEvents,
  newEventId,
  readArchive,
  readJournal,
  readSpool,
  sweepSpoolTmp,
  type EventFields,
} from './spool.js';
import { hasValidChecksum } from '../base/checksum.js';

let dir: string;
let paths: StatePaths;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-spool-'));
  paths = ensureStateDir(join(dir, 'state'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function startFields(at: string, role = 'api'): EventFields {
  return {
    kind: 'session-start',
    at,
    sessionId: randomUUID(),
    transcriptPath: '/tmp/t.jsonl',
    cwd: '/home/u/api',
    source: 'startup',
    pane: {
      instance: { socketPath: '/tmp/tmux-1/x', pid: 42, startTime: 1700000000 },
      paneId: '%3',
      role,
      sessionName: 'work',
      windowIndex: 1,
      paneIndex: 0,
    },
  };
}

describe('newEventId', () => {
  it('sorts by time and is unique and filename-safe', () => {
    const a = newEventId(new Date('2024-05-01T12:00:00.001Z'));
    const b = newEventId(new Date('2024-05-01T12:00:00.002Z'));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^20240501T120000001Z-\d{10}-[0-9a-f]{16}$/);
    const many = new Set(Array.from({ length: 1000 }, () => newEventId(new Date(0))));
    expect(many.size).toBe(1000);
  });
});

describe('appendEvent / readSpool', () => {
  it('round-trips events with valid checksums, 0600 files, nothing left in tmp', async () => {
    const written = [];
    for (let i = 0; i < 5; i++) written.push(await appendEvent(paths, startFields(`2024-05-01T12:00:0${i}.000Z`)));
    const read = await readSpool(paths);
    expect(read.corrupt).toEqual([]);
    expect(read.events).toEqual(written);
    for (const e of read.events) expect(hasValidChecksum(e)).toBe(true);
    expect(readdirSync(paths.spoolTmp)).toEqual([]);
    for (const f of readdirSync(paths.spoolNew)) expect(statSync(join(paths.spoolNew, f)).mode & 0o777).toBe(0o600);
  });

  it('sorts by (at, id) regardless of write order', async () => {
    await appendEvent(paths, startFields('2024-05-01T12:00:09.000Z'));
    await appendEvent(paths, startFields('2024-05-01T12:00:01.000Z'));
    await appendEvent(paths, { kind: 'malformed', at: '2024-05-01T12:00:05.000Z', pane: null, problem: 'x', raw: '{' });
    const ats = (await readSpool(paths)).events.map((e) => e.at);
    expect(ats).toEqual(['2024-05-01T12:00:01.000Z', '2024-05-01T12:00:05.000Z', '2024-05-01T12:00:09.000Z']);
  });

  it('refuses to write an invalid event and leaves nothing behind', async () => {
    await expect(
      appendEvent(paths, { ...startFields('2024-05-01T12:00:00.000Z'), sessionId: 'not-a-uuid' }),
    ).rejects.toThrow(/not a UUID/);
    expect(readdirSync(paths.spoolNew)).toEqual([]);
    expect(readdirSync(paths.spoolTmp)).toEqual([]);
  });

  it('missing directories read as empty', async () => {
    rmSync(paths.spoolNew, { recursive: true });
    expect(await readSpool(paths)).toEqual({ events: [], corrupt: [] });
  });
});

describe('a reader survives damaged files and keeps every good neighbour', () => {
  async function withNeighbours(
    damage: (file: string, size: number) => void,
  ): Promise<{ good: number; corrupt: { file: string; reason: string }[]; victim: string }> {
    const before = await appendEvent(paths, startFields('2024-05-01T12:00:00.000Z'));
    const victim = await appendEvent(paths, startFields('2024-05-01T12:00:01.000Z'));
    const after = await appendEvent(paths, startFields('2024-05-01T12:00:02.000Z'));
    const file = join(paths.spoolNew, `${victim.id}.json`);
    damage(file, statSync(file).size);
    const read = await readSpool(paths);
    expect(read.events.map((e) => e.id)).toEqual([before.id, after.id]);
    return { good: read.events.length, corrupt: read.corrupt, victim: file };
  }

  // Offsets into the file: nothing, one byte, the middle, and just the closing brace missing.
  const cuts: [string, (size: number) => number][] = [
    ['0 bytes', () => 0],
    ['1 byte', () => 1],
    ['half', (size) => Math.floor(size / 2)],
    ['all but the closing brace', (size) => size - 2],
  ];
  for (const [label, at] of cuts) {
    it(`torn: truncated to ${label}`, async () => {
      const r = await withNeighbours((file, size) => truncateSync(file, at(size)));
      expect(r.corrupt).toHaveLength(1);
      expect(r.corrupt[0]?.file).toBe(r.victim);
      expect(r.corrupt[0]?.reason).toMatch(label === '0 bytes' ? /empty/ : /not JSON.*torn/);
    });
  }

  it('one flipped bit inside a value', async () => {
    const r = await withNeighbours((file) => {
      const buf = readFileSync(file);
      const at = buf.indexOf('/home/u/api') + 7;
      buf[at] = (buf[at] as number) ^ 0x01;
      writeFileSync(file, buf);
    });
    expect(r.corrupt.map((c) => c.reason)).toEqual(['checksum mismatch']);
  });

  it('a file that is not JSON at all', async () => {
    const r = await withNeighbours((file) => writeFileSync(file, 'hello, I am not an event\n'));
    expect(r.corrupt[0]?.reason).toMatch(/not JSON/);
  });

  it('a zero-filled file (what a crash can leave after a metadata-only journal replay)', async () => {
    const r = await withNeighbours((file, size) => writeFileSync(file, Buffer.alloc(size)));
    expect(r.corrupt[0]?.reason).toMatch(/NUL/);
  });

  it('valid JSON of the wrong format, and an event under another file name', async () => {
    const r = await withNeighbours((file) =>
      writeFileSync(file, JSON.stringify({ format: 'something-else', version: 1 })),
    );
    expect(r.corrupt[0]?.reason).toMatch(/wrong format/);
    const other = await appendEvent(paths, startFields('2024-05-01T12:00:03.000Z'));
    const renamed = join(paths.spoolNew, `${newEventId()}.json`);
    writeFileSync(renamed, readFileSync(join(paths.spoolNew, `${other.id}.json`)));
    const read = await readSpool(paths);
    expect(read.corrupt.map((c) => c.reason)).toContain(`id ${JSON.stringify(other.id)} does not match the file name`);
    expect(read.events.map((e) => e.id)).toContain(other.id);
  });

  it('a FIFO, a symlink and a directory under event names are reported, never read (a FIFO used to hang the reader)', async () => {
    const link = join(paths.spoolNew, `${newEventId()}.json`);
    symlinkSync(join(dir, 'nowhere'), link);
    const sub = join(paths.spoolNew, `${newEventId()}.json`);
    mkdirSync(sub);
    const r = await withNeighbours((file) => {
      rmSync(file);
      execFileSync('mkfifo', [file]);
    });
    expect(r.good).toBe(2);
    expect(r.corrupt.map((c) => c.file).sort()).toEqual([r.victim, link, sub].sort());
    expect(r.corrupt.every((c) => /unreadable/.test(c.reason))).toBe(true);
  }, 10_000);
});

describe('archive', () => {
  it('moves events unchanged, is idempotent, and readJournal merges without duplicates', async () => {
    const a = await appendEvent(paths, startFields('2024-05-01T12:00:00.000Z'));
    const b = await appendEvent(paths, startFields('2024-05-01T12:00:01.000Z'));
    const bytes = readFileSync(join(paths.spoolNew, `${a.id}.json`));
    await archiveEvents(paths, [a.id]);
    await archiveEvents(paths, [a.id]);
    expect(readFileSync(join(paths.archive, `${a.id}.json`)).equals(bytes)).toBe(true);
    expect((await readSpool(paths)).events.map((e) => e.id)).toEqual([b.id]);
    expect((await readArchive(paths)).events.map((e) => e.id)).toEqual([a.id]);
    // The same event in both places (a crash between the two directory syncs) is read once.
    writeFileSync(join(paths.spoolNew, `${a.id}.json`), bytes);
    const j = await readJournal(paths);
    expect(j.events.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(j.corrupt).toEqual([]);
  });

  it('an id that is in neither place is an error, not silence', async () => {
    await expect(archiveEvents(paths, [newEventId()])).rejects.toThrow(/archiving/);
    await expect(archiveEvents(paths, ['../../etc/passwd'])).rejects.toThrow(/not an event id/);
  });
});

describe('sweepSpoolTmp', () => {
  const tmpOf = (pid: number): string =>
    join(paths.spoolTmp, `${newEventId().replace(/-\d{10}-/, `-${String(pid).padStart(10, '0')}-`)}.json`);

  it('removes the temps of dead hooks and of reused pids, keeps a live write, and judges other names by age', async () => {
    const dead = tmpOf(spawnSync(process.execPath, ['-e', '']).pid as number);
    const inFlight = tmpOf(process.pid);
    // Our pid, but written before this process started: a dead hook's pid that we reused.
    const reused = tmpOf(process.pid);
    const strayOld = join(paths.spoolTmp, 'stray-old');
    const strayNew = join(paths.spoolTmp, 'stray-new');
    for (const f of [dead, inFlight, reused, strayOld, strayNew]) writeFileSync(f, '{"half');
    const beforeWeStarted = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    utimesSync(reused, beforeWeStarted, beforeWeStarted);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(strayOld, hourAgo, hourAgo);
    expect(await sweepSpoolTmp(paths)).toBe(3);
    expect(readdirSync(paths.spoolTmp).sort()).toEqual([inFlight.split('/').pop(), 'stray-new'].sort());
  });
});
