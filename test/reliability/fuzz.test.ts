// 5. Spool and snapshot fuzz: truncation at every byte, every single-bit flip, zero blocks,
// duplicates, files that are not JSON (or not files). The readers never throw, never accept a
// bad checksum, keep every untouched record, and report each damaged file.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { JournalEvent, Snapshot } from '../../main/common/base/types.js';
import { appendEvent, newEventId, parseEventFile, readJournal, readSpool } from '../../main/node/journal/spool.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { emptyRegistry, foldEvents } from '../../main/common/journal/registry-fold.js';
import { canonicalJson } from '../../main/common/base/canonical-json.js';
import {
  buildSnapshot,
  listSnapshots,
  newestValidSnapshot,
  parseSnapshot,
  restoreDefault,
  writeSnapshot,
} from '../../main/node/snapshot/store.js';
import { INSTANCE, bindingsFor, eventFields, sampleFleet } from './helpers/fixtures.js';
import { figures, rng, seedFromEnv, tempState, type TempState } from './helpers/harness.js';

let st: TempState;
beforeEach(() => {
  st = tempState('fuzz');
});
afterEach(() => st.dispose());

type Verdict = { accepted: true; value: unknown } | { accepted: false; reason: string };

interface Tally {
  cases: number;
  rejected: number;
  acceptedIdentical: number;
}

/** Runs every mutation of `good` through `parse`; an accepted mutant must equal the original. */
function exhaust(good: Buffer, original: unknown, parse: (b: Buffer) => Verdict): Record<string, Tally> {
  const out: Record<string, Tally> = {};
  const run = (kind: string, b: Buffer): void => {
    const t = (out[kind] ??= { cases: 0, rejected: 0, acceptedIdentical: 0 });
    t.cases++;
    let v: Verdict;
    try {
      v = parse(b);
    } catch (err) {
      throw new Error(`${kind}: the reader threw on ${b.length} bytes: ${String(err)}`);
    }
    if (!v.accepted) {
      expect(v.reason).toMatch(/\S/);
      t.rejected++;
      return;
    }
    if (!isDeepStrictEqual(v.value, original))
      throw new Error(`${kind}: accepted a changed record: ${b.toString('utf8').slice(0, 200)}`);
    t.acceptedIdentical++;
  };
  for (let len = 0; len < good.length; len++) run('truncation', good.subarray(0, len));
  for (let i = 0; i < good.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const b = Buffer.from(good);
      b[i]! ^= 1 << bit;
      run('bit flip', b);
    }
  }
  for (const size of [1, 16, 512, 4096]) {
    for (let off = 0; off < good.length; off += Math.max(1, Math.floor(size / 2))) {
      const b = Buffer.from(good);
      b.fill(0, off, Math.min(b.length, off + size));
      run('zero block', b);
    }
  }
  run('zero-filled file', Buffer.alloc(good.length));
  for (const junk of [
    '',
    'null',
    '[]',
    '42',
    '"x"',
    '{}',
    '{"format":"fleetkeeper-event"}',
    '\u00ff\u00fe',
    'x'.repeat(5000),
  ])
    run('not a record', Buffer.from(junk));
  run('doubled content', Buffer.concat([good, good]));
  return out;
}

function describeTally(t: Record<string, Tally>): string {
  return Object.entries(t)
    .map(
      ([k, v]) =>
        `${k} ${v.cases} (${v.rejected} rejected${v.acceptedIdentical > 0 ? `, ${v.acceptedIdentical} identical accepted` : ''})`,
    )
    .join(', ');
}

describe('spool fuzz', () => {
  it('an event file: every truncation, every bit flip, zero blocks and junk are rejected with a reason unless identical', async () => {
    const e = await appendEvent(st.paths, eventFields(1));
    const name = `${e.id}.json`;
    const good = readFileSync(join(st.paths.spoolNew, name));
    const tally = exhaust(good, e, (b) => {
      const r = parseEventFile(name, b);
      return typeof r === 'string' ? { accepted: false, reason: r } : { accepted: true, value: r };
    });
    // Only dropping the trailing newline keeps a record: everything else is rejected.
    expect(tally.truncation?.acceptedIdentical).toBe(1);
    expect(tally['bit flip']?.acceptedIdentical).toBe(0);
    figures(`fuzz: one ${good.length}-byte event file: ${describeTally(tally)}; 0 throws, 0 bad records accepted`);
  });

  it('a spool with damaged, duplicated, foreign and non-file entries: every untouched event kept, every damaged file reported, the fold skips only those', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const events: JournalEvent[] = [];
    for (let i = 0; i < 200; i++)
      events.push(await appendEvent(st.paths, eventFields(i, new Date(Date.UTC(2026, 10, 23, 20, 0, 0, i)))));
    const damaged = new Set<string>();
    const kinds = ['truncate', 'flip', 'zero', 'garbage', 'empty'] as const;
    const counts: Record<string, number> = {};
    while (damaged.size < 60) {
      const e = events[Math.floor(rand() * events.length)] as JournalEvent;
      if (damaged.has(e.id)) continue;
      damaged.add(e.id);
      const file = join(st.paths.spoolNew, `${e.id}.json`);
      const b = readFileSync(file);
      const kind = kinds[Math.floor(rand() * kinds.length)] as (typeof kinds)[number];
      counts[kind] = (counts[kind] ?? 0) + 1;
      const body = b.length - 1; // the damage never touches only the trailing newline
      if (kind === 'truncate') writeFileSync(file, b.subarray(0, Math.floor(rand() * body)));
      else if (kind === 'flip') {
        b[Math.floor(rand() * body)]! ^= 1 << Math.floor(rand() * 8);
        writeFileSync(file, b);
      } else if (kind === 'zero') {
        const off = Math.floor(rand() * body);
        writeFileSync(file, b.fill(0, off, Math.min(body, off + 1 + Math.floor(rand() * 64))));
      } else if (kind === 'garbage')
        writeFileSync(file, Buffer.from(Array.from({ length: 300 }, () => Math.floor(rand() * 256))));
      else writeFileSync(file, '');
    }
    const untouched = events.filter((e) => !damaged.has(e.id));
    // Duplicates: an untouched event also in the archive, and one copied under another id.
    const dup = untouched[0] as JournalEvent;
    copyFileSync(join(st.paths.spoolNew, `${dup.id}.json`), join(st.paths.archive, `${dup.id}.json`));
    const alias = newEventId(new Date(Date.UTC(2026, 10, 23, 21)));
    copyFileSync(
      join(st.paths.spoolNew, `${(untouched[1] as JournalEvent).id}.json`),
      join(st.paths.spoolNew, `${alias}.json`),
    );
    // Foreign entries: not an event name, a directory, a dangling symlink, a FIFO, a huge file.
    writeFileSync(join(st.paths.spoolNew, 'notes.txt'), 'hello');
    const dirEntry = newEventId(new Date(Date.UTC(2026, 10, 23, 22)));
    mkdirSync(join(st.paths.spoolNew, `${dirEntry}.json`));
    const dangling = newEventId(new Date(Date.UTC(2026, 10, 23, 23)));
    symlinkSync(join(st.dir, 'nowhere'), join(st.paths.spoolNew, `${dangling}.json`));
    const fifo = newEventId(new Date(Date.UTC(2026, 10, 24, 0)));
    execFileSync('mkfifo', [join(st.paths.spoolNew, `${fifo}.json`)]);
    const huge = newEventId(new Date(Date.UTC(2026, 10, 24, 1)));
    writeFileSync(join(st.paths.spoolNew, `${huge}.json`), Buffer.alloc(8 * 1024 * 1024, 0x20));

    // A FIFO nobody writes to must not hang the reader (and with it the daemon's every save).
    const withDeadline = <T>(p: Promise<T>, what: string): Promise<T> =>
      Promise.race([
        p,
        new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what} hung on a FIFO in spool/new`)), 5_000)),
      ]);
    const read = await withDeadline(readJournal(st.paths), 'readJournal');
    expect(read.events.map((e) => e.id)).toEqual(untouched.map((e) => e.id));
    for (const e of read.events) expect(e).toEqual(untouched.find((u) => u.id === e.id));
    const reported = new Set(read.corrupt.map((c) => c.file.split('/').pop()));
    const expectedBad = [
      ...[...damaged].map((id) => `${id}.json`),
      `${alias}.json`,
      'notes.txt',
      `${dirEntry}.json`,
      `${dangling}.json`,
      `${fifo}.json`,
      `${huge}.json`,
    ];
    expect([...reported].sort()).toEqual(expectedBad.sort());
    expect(read.corrupt.every((c) => c.reason.length > 0)).toBe(true);

    // The fold applies exactly the untouched events, archives them, and leaves the damage in place, reported.
    const store = new RegistryStore(st.paths);
    const folded = await withDeadline(store.foldSpool(), 'foldSpool');
    // The duplicate in the archive is an archived event the (empty) registry lacks: a loud rebuild.
    expect(folded.rebuilt).toMatch(/rebuilt from the journal/);
    expect(folded.corrupt.length).toBe(expectedBad.length);
    expect(canonicalJson(folded.doc)).toBe(canonicalJson(foldEvents(emptyRegistry(), untouched).doc));
    expect(readdirSync(st.paths.spoolNew).sort()).toEqual(expectedBad.sort());
    expect((await readSpool(st.paths)).events).toEqual([]);
    figures(
      `fuzz: spool of 200 events with ${damaged.size} damaged (${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}), ` +
        `1 duplicate, 1 alias, 5 foreign entries (name, dir, dangling link, FIFO, 8 MB) (seed ${seed}): ` +
        `${read.events.length}/${untouched.length} untouched kept, ${read.corrupt.length} reported, 0 throws`,
    );
  });
});

describe('snapshot fuzz', () => {
  it('a snapshot file: every truncation, every bit flip, zero blocks and junk are rejected with a reason unless identical', async () => {
    const fleet = sampleFleet({ sessions: 1, windows: 2, panes: 2 });
    const snap = await writeSnapshot(st.paths, buildSnapshot(fleet, bindingsFor(fleet), 'interval', new Date()));
    const good = readFileSync(join(st.paths.snapshots, `${snap.id}.json`));
    const tally = exhaust(good, snap, (b) => {
      const r = parseSnapshot(b, snap.id);
      return r.ok ? { accepted: true, value: r.snapshot } : { accepted: false, reason: r.reason };
    });
    expect(tally['bit flip']?.acceptedIdentical ?? 0).toBeLessThanOrEqual(0);
    figures(`fuzz: one ${good.length}-byte snapshot: ${describeTally(tally)}; 0 throws, 0 bad snapshots accepted`);
  });

  it('a snapshot dir with damaged files (the newest among them): untouched ones listed, damage reported, the default is the newest valid', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const snaps: Snapshot[] = [];
    const base = Date.UTC(2026, 10, 23, 12);
    for (let i = 0; i < 30; i++) {
      const fleet = sampleFleet({ sessions: 1 + (i % 3), windows: 1, panes: 2 });
      snaps.push(
        await writeSnapshot(
          st.paths,
          buildSnapshot(fleet, bindingsFor(fleet), 'interval', new Date(base + i * 60_000)),
        ),
      );
    }
    const damaged = new Set<string>([(snaps[29] as Snapshot).id, (snaps[28] as Snapshot).id]);
    while (damaged.size < 10) damaged.add((snaps[Math.floor(rand() * snaps.length)] as Snapshot).id);
    let n = 0;
    for (const id of damaged) {
      const file = join(st.paths.snapshots, `${id}.json`);
      const b = readFileSync(file);
      const mode = n++ % 4;
      if (mode === 0) writeFileSync(file, b.subarray(0, Math.floor(rand() * (b.length - 1))));
      else if (mode === 1) {
        b[Math.floor(rand() * (b.length - 1))]! ^= 1 << Math.floor(rand() * 8);
        writeFileSync(file, b);
      } else if (mode === 2) writeFileSync(file, Buffer.alloc(b.length));
      else writeFileSync(file, '{"format":"fleetkeeper-snapshot"}');
    }
    // A copy under a newer id must not shadow the real newest; a FIFO and a directory are not snapshots.
    const newestGood = snaps.filter((s) => !damaged.has(s.id)).at(-1) as Snapshot;
    const aliasId = `${new Date(base + 31 * 60_000).toISOString().replace(/[-:.]/g, '')}-beef`;
    copyFileSync(join(st.paths.snapshots, `${newestGood.id}.json`), join(st.paths.snapshots, `${aliasId}.json`));
    const fifoId = `${new Date(base + 32 * 60_000).toISOString().replace(/[-:.]/g, '')}-f1f0`;
    execFileSync('mkfifo', [join(st.paths.snapshots, `${fifoId}.json`)]);
    const dirId = `${new Date(base + 33 * 60_000).toISOString().replace(/[-:.]/g, '')}-d1d1`;
    mkdirSync(join(st.paths.snapshots, `${dirId}.json`));

    const listing = await listSnapshots(st.paths);
    const untouched = snaps.filter((s) => !damaged.has(s.id)).reverse();
    expect(listing.valid.map((s) => s.id)).toEqual(untouched.map((s) => s.id));
    expect(listing.corrupt.map((c) => c.file).sort()).toEqual(
      [...[...damaged].map((id) => `${id}.json`), `${aliasId}.json`, `${fifoId}.json`, `${dirId}.json`].sort(),
    );
    expect((await newestValidSnapshot(st.paths))?.id).toBe(newestGood.id);
    expect(restoreDefault(listing, INSTANCE, new Set())?.id).toBe(newestGood.id);
    figures(
      `fuzz: snapshot dir of 30 with 10 damaged incl. the 2 newest, 1 alias, a FIFO and a dir (seed ${seed}): ${listing.valid.length} valid kept, ${listing.corrupt.length} reported, default = newest valid`,
    );
  });
});
