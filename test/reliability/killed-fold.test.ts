// 6. Killed during the fold: 500 × SIGKILL of a process folding the spool into the registry
// while events keep arriving. After every kill the registry on disk is exactly the fold of the
// events it lists as applied, and includes every archived one: 0 lost, 0 applied twice. At the
// end it equals the fold of the whole journal. A damaged store file is rebuilt, loudly.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendEvent, archivedIds, readJournal } from '../../main/node/journal/spool.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { emptyRegistry, foldEvents, parseRegistryDoc } from '../../main/common/journal/registry-fold.js';
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
  type TempState,
} from './helpers/harness.js';

let st: TempState;
beforeAll(() => {
  ensureBuilt();
  st = tempState('killed-fold');
}, 180_000);
afterAll(() => st.dispose());

/** The invariant, read-only: the stored registry is the fold of its own applied events, and holds every archived one. */
async function checkStored(lane: TempState): Promise<void> {
  let raw: string;
  try {
    raw = readFileSync(join(lane.root, 'registry.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing folded yet
    throw err;
  }
  const doc = parseRegistryDoc(JSON.parse(raw));
  const journal = await readJournal(lane.paths);
  expect(journal.corrupt).toEqual([]);
  const inDoc = journal.events.filter((e) => doc.applied[e.id] === true);
  expect(inDoc.length).toBe(Object.keys(doc.applied).length); // nothing applied that the journal lacks
  expect(canonicalJson(doc)).toBe(canonicalJson(foldEvents(emptyRegistry(), inDoc).doc));
  for (const id of await archivedIds(lane.paths)) expect(doc.applied[id]).toBe(true);
}

interface LaneResult {
  events: number;
  killedInFirstFold: number;
  completedFolds: number;
  firstFoldMs: number;
}

/** One state dir, `kills` fold processes killed one after another while events keep arriving. */
async function lane(s: TempState, kills: number, rand: () => number): Promise<LaneResult> {
  let events = 0;
  // Calibrate: how long the first fold takes after "go", so the kills span it.
  for (let i = 0; i < 20; i++) await appendEvent(s.paths, eventFields(events++));
  const cal = startWorker('fold.mjs', [s.root]);
  await cal.waitLine((l) => l === 'ready', 60_000);
  cal.send('go');
  const t0 = performance.now();
  await cal.waitLine((l) => l.startsWith('folded '), 60_000);
  const firstFoldMs = Math.max(2, performance.now() - t0);
  cal.kill();
  await cal.exited;
  let killedInFirstFold = 0;
  let completedFolds = 0;
  let next = startWorker('fold.mjs', [s.root]);
  for (let k = 0; k < kills; k++) {
    const burst = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < burst; i++) await appendEvent(s.paths, eventFields(events++));
    const w = next;
    await w.waitLine((l) => l === 'ready', 60_000);
    w.send('go');
    await w.waitLine((l) => l === 'started', 60_000);
    // The next worker loads its modules while this one folds (it touches nothing before "go").
    next = startWorker('fold.mjs', [s.root]);
    await sleep(rand() * firstFoldMs * 1.6);
    w.kill('SIGKILL');
    await w.exited;
    const folds = w.lines.filter((l) => l.startsWith('folded '));
    completedFolds += folds.length;
    if (folds.length === 0) killedInFirstFold++;
    expect(w.lines.some((l) => l.endsWith('rebuilt'))).toBe(false);
    await checkStored(s);
  }
  next.kill();
  await next.exited;
  return { events, killedInFirstFold, completedFolds, firstFoldMs };
}

describe('killed during the fold', () => {
  it('500 × SIGKILL while folding: after every kill the registry is an exact fold; 0 lost, 0 applied twice', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const kills = scaled(500);
    // Two state dirs side by side: the same 500 kills in half the wall time on 2 cores.
    const second = tempState('killed-fold-b');
    try {
      const lanes = [st, second];
      const results = await Promise.all(
        lanes.map((s, i) => lane(s, Math.ceil(kills / 2) - (i === 1 && kills % 2 === 1 ? 1 : 0), rand)),
      );
      let strayTemps = 0;
      for (const [i, s] of lanes.entries()) {
        const store = new RegistryStore(s.paths);
        // The store temps of killed writers (their pid is in the name): swept at once.
        strayTemps += await store.sweepStoreTemps();
        const final = await store.foldSpool();
        expect(final.rebuilt).toBeUndefined();
        const journal = await readJournal(s.paths);
        expect(journal.events.length).toBe(results[i]?.events);
        expect(canonicalJson(final.doc)).toBe(canonicalJson(foldEvents(emptyRegistry(), journal.events).doc));
        expect(readdirSync(s.paths.spoolNew)).toEqual([]);
      }
      const sum = (f: (r: LaneResult) => number): number => results.reduce((a, r) => a + f(r), 0);
      expect(lanes.flatMap((s) => readdirSync(s.root).filter((n) => /\.tmp-/.test(n)))).toEqual([]);
      figures(
        `killed-fold: ${kills} kills in 2 lanes (seed ${seed}), ${sum((r) => r.events)} events, kill instants over 0-${Math.round(1.6 * Math.max(...results.map((r) => r.firstFoldMs)))} ms into the fold; ` +
          `${sum((r) => r.killedInFirstFold)} kills before the first fold completed, ${sum((r) => r.completedFolds)} folds completed; ` +
          `registry an exact fold after every kill and at the end: 0 lost, 0 applied twice, 0 rebuilds; ${strayTemps} store temp files of killed writers swept`,
      );
    } finally {
      second.dispose();
    }
  }, 600_000);

  it('a damaged store file is rebuilt from the journal, loudly, and the damaged file is kept', async () => {
    const store = new RegistryStore(st.paths);
    await store.foldSpool();
    const registryFile = join(st.root, 'registry.json');
    const good = readFileSync(registryFile);
    const full = foldEvents(emptyRegistry(), (await readJournal(st.paths)).events).doc;
    const older = join(st.dir, 'registry-older.json');
    copyFileSync(registryFile, older);
    await appendEvent(st.paths, eventFields(1));
    await store.foldSpool();
    const damages: Array<[string, () => void]> = [
      ...[0, 1, 100, Math.floor(good.length / 2), good.length - 2].map((n): [string, () => void] => [
        `truncated to ${n} bytes`,
        () => writeFileSync(registryFile, good.subarray(0, n)),
      ]),
      ['zero-filled', () => writeFileSync(registryFile, Buffer.alloc(good.length))],
      ['not JSON', () => writeFileSync(registryFile, 'registry? no')],
      ['wrong shape', () => writeFileSync(registryFile, JSON.stringify({ version: 1, roles: [], applied: {} }))],
      ['rolled back to an older copy', () => copyFileSync(older, registryFile)],
    ];
    let rebuilt = 0;
    for (const [what, damage] of damages) {
      damage();
      const fresh = new RegistryStore(st.paths);
      const r = await fresh.load();
      expect(r.rebuilt, what).toBe(true);
      expect(r.reason, what).toMatch(/registry rebuilt from the journal/);
      const all = foldEvents(emptyRegistry(), (await readJournal(st.paths)).events).doc;
      expect(canonicalJson(r.doc), what).toBe(canonicalJson(all));
      expect(canonicalJson(parseRegistryDoc(JSON.parse(readFileSync(registryFile, 'utf8'))))).toBe(canonicalJson(all));
      rebuilt++;
    }
    expect(Object.keys(full.applied).length).toBeGreaterThan(0);
    const kept = readdirSync(st.root).filter((n) => n.startsWith('registry.json.damaged-'));
    expect(kept.length).toBe(damages.length);
    figures(
      `killed-fold: ${rebuilt}/${damages.length} damaged store files (truncations, zero fill, junk, wrong shape, rollback) rebuilt loudly from the journal, every damaged file kept`,
    );
  }, 120_000);
});
