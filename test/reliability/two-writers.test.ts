// 10. Two writers: several app/daemon/CLI processes fold the registry at once while hooks
// keep appending, and some are SIGKILLed while holding the lock. One writer at a time (an
// O_EXCL marker inside the lock never collides, apart from the marker a killed holder left),
// and 0 lost registry updates: the registry equals the fold of the whole journal.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendEvent, readJournal } from '../../main/node/journal/spool.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { emptyRegistry, foldEvents } from '../../main/common/journal/registry-fold.js';
import { canonicalJson } from '../../main/common/base/canonical-json.js';
import { eventFields } from './helpers/fixtures.js';
import {
  ensureBuilt,
  figures,
  rng,
  scaled,
  seedFromEnv,
  sleep,
  startWorker,
  tempState,
  type LineProc,
  type TempState,
} from './helpers/harness.js';

let st: TempState;
beforeAll(() => {
  ensureBuilt();
  st = tempState('two-writers');
}, 180_000);
afterAll(() => st.dispose());

describe('two writers', () => {
  it('4 concurrent writers, holders killed inside the lock, events arriving: one writer at a time, 0 lost updates', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const marker = join(st.root, 'inside.marker');
    const writers: LineProc[] = [];
    const all: LineProc[] = [];
    const spawnWriter = (i: number): LineProc => {
      const w = startWorker('writer.mjs', [st.root, `writer-${i}`]);
      all.push(w);
      return w;
    };
    for (let i = 0; i < 4; i++) writers.push(spawnWriter(i));
    await Promise.all(writers.map((w) => w.waitLine((l) => l === 'ready', 60_000)));
    const rounds = scaled(60);
    let events = 0;
    let killsInside = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 5; i++) await appendEvent(st.paths, eventFields(events++));
      await sleep(5 + rand() * 20);
      if (r % 6 === 5) {
        // Kill whoever holds the lock right now (it may be mid-fold), and start a replacement.
        const holder = writers.findIndex((w) => w.lines.at(-1) === 'in');
        if (holder >= 0) {
          const w = writers[holder] as LineProc;
          w.kill('SIGKILL');
          await w.exited;
          killsInside++;
          writers[holder] = spawnWriter(holder + 10 * r);
          await (writers[holder] as LineProc).waitLine((l) => l === 'ready', 60_000);
        }
      }
    }
    await sleep(500);
    for (const w of writers) w.kill('SIGKILL');
    await Promise.all(writers.map((w) => w.exited));
    if (existsSync(marker)) rmSync(marker);
    const overlaps = all.reduce((n, w) => n + w.lines.filter((l) => l.startsWith('overlap')).length, 0);
    const entries = all.reduce((n, w) => n + w.lines.filter((l) => l === 'in').length, 0);
    expect(overlaps).toBe(0);
    const final = await new RegistryStore(st.paths).foldSpool();
    const journal = await readJournal(st.paths);
    expect(journal.corrupt).toEqual([]);
    expect(journal.events.length).toBe(events);
    expect(canonicalJson(final.doc)).toBe(canonicalJson(foldEvents(emptyRegistry(), journal.events).doc));
    figures(
      `two-writers: ${all.length} writer processes (4 at a time), ${entries} lock entries, ${killsInside} holders SIGKILLed inside the lock and taken over, ${events} events: 0 overlaps, 0 lost updates, registry = fold of the journal (seed ${seed})`,
    );
  }, 300_000);
});
