// 3. Hook storms: 200 hook processes × 50 events at once, and 100 bursts of 20, while the
// registry folds concurrently. Every event must be folded exactly once: the sum of `applied`
// over all folds equals the number of events, and the registry equals the fold of the journal.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { readJournal } from '../../main/node/journal/spool.js';
import { emptyRegistry, foldEvents } from '../../main/common/journal/registry-fold.js';
import { canonicalJson } from '../../main/common/base/canonical-json.js';
import {
  BIN,
  LineProc,
  ensureBuilt,
  figures,
  scaled,
  startWorker,
  tempState,
  type TempState,
} from './helpers/harness.js';

let st: TempState | null = null;
const procs: LineProc[] = [];
/** Fold loops still running when a test fails: stopped before the state dir goes. */
const halts: Array<() => void> = [];

beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  for (const h of halts.splice(0)) h();
  await new Promise((r) => setTimeout(r, 200));
  for (const p of procs.splice(0)) p.kill();
  st?.dispose();
  st = null;
});

/** Folds in a loop until stopped; returns the sum of `applied` and the number of folds. */
function foldLoop(store: RegistryStore): { stop: () => Promise<{ applied: number; folds: number; corrupt: number }> } {
  let running = true;
  let applied = 0;
  let folds = 0;
  let corrupt = 0;
  halts.push(() => (running = false));
  const loop = (async () => {
    while (running) {
      const r = await store.foldSpool();
      applied += r.applied;
      corrupt += r.corrupt.length;
      folds++;
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const r = await store.foldSpool();
      return { applied: applied + r.applied, folds: folds + 1, corrupt: corrupt + r.corrupt.length };
    },
  };
}

async function expectRegistryIsFoldOfJournal(s: TempState, store: RegistryStore, ids: Set<string>): Promise<void> {
  const journal = await readJournal(s.paths);
  expect(journal.corrupt).toEqual([]);
  expect(new Set(journal.events.map((e) => e.id))).toEqual(ids);
  const { doc } = await store.load();
  expect(canonicalJson(doc)).toBe(canonicalJson(foldEvents(emptyRegistry(), journal.events).doc));
  expect(Object.keys(doc.applied).length).toBe(ids.size);
  expect(readdirSync(s.paths.spoolNew)).toEqual([]);
  expect(readdirSync(s.paths.archive).length).toBe(ids.size);
}

describe('hook storms', () => {
  it('200 processes × 50 events at once, folded concurrently: every event exactly once', async () => {
    st = tempState('storm');
    const nProcs = scaled(200);
    const perProc = 50;
    const t0 = performance.now();
    for (let p = 0; p < nProcs; p++) procs.push(startWorker('append.mjs', [st.root, `p${p}`, 'loop', String(perProc)]));
    await Promise.all(procs.map((p) => p.waitLine((l) => l === 'ready', 120_000)));
    const store = new RegistryStore(st.paths);
    const folder = foldLoop(store);
    const tGo = performance.now();
    for (const p of procs) p.send('go');
    await Promise.all(procs.map((p) => p.waitLine((l) => l === 'done', 120_000)));
    const appendMs = performance.now() - tGo;
    const folded = await folder.stop();
    for (const p of procs) p.child.stdin?.end();
    const exits = await Promise.all(procs.map((p) => p.exited));
    expect(exits.every((e) => e.code === 0)).toBe(true);
    const acked = new Set(procs.flatMap((p) => p.lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))));
    expect(acked.size).toBe(nProcs * perProc);
    expect(folded.applied).toBe(acked.size);
    expect(folded.corrupt).toBe(0);
    await expectRegistryIsFoldOfJournal(st, store, acked);
    figures(
      `hook-storms: ${nProcs} processes × ${perProc} events = ${acked.size} events in ${Math.round(appendMs)} ms ` +
        `(${Math.round(performance.now() - t0)} ms with start-up), ${folded.folds} concurrent folds, ` +
        `${folded.applied} applied (exactly once), 0 lost, 0 corrupt`,
    );
  }, 300_000);

  it('100 bursts of 20 (reused workers) plus bursts of 20 real `fleetkeeper hook` processes: every event exactly once', async () => {
    st = tempState('bursts');
    const bursts = scaled(100);
    const width = 20;
    const workers = Array.from({ length: width }, (_, i) => startWorker('append.mjs', [st!.root, `b${i}`, 'stdin']));
    procs.push(...workers);
    await Promise.all(workers.map((p) => p.waitLine((l) => l === 'ready', 60_000)));
    const store = new RegistryStore(st.paths);
    const folder = foldLoop(store);
    for (let b = 1; b <= bursts; b++) {
      for (const w of workers) w.send('go');
      await Promise.all(
        workers.map((w) => w.waitLine(() => w.lines.filter((l) => l.startsWith('ok ')).length >= b, 60_000)),
      );
    }
    // The real hook binary, as Claude starts it: 20 at once, a few times over.
    const realBursts = Math.max(1, Math.round(scaled(100) / 20));
    const sessionIds = new Set<string>();
    const env = { PATH: process.env.PATH, HOME: st.dir, FLEETKEEPER_HOME: st.root };
    for (let b = 0; b < realBursts; b++) {
      const runs = Array.from({ length: width }, () => {
        const sid = randomUUID();
        sessionIds.add(sid);
        const payload = JSON.stringify({
          session_id: sid,
          transcript_path: `/t/${sid}.jsonl`,
          cwd: '/w',
          hook_event_name: 'SessionStart',
          source: 'startup',
        });
        const lp = new LineProc(
          spawn(process.execPath, [BIN, 'hook', 'session-start'], { env, stdio: ['pipe', 'pipe', 'pipe'] }),
        );
        lp.child.stdin?.end(payload);
        return lp;
      });
      const exits = await Promise.all(runs.map((r) => r.exited));
      expect(exits.every((e) => e.code === 0)).toBe(true);
      expect(runs.map((r) => r.stderr + r.lines.join(''))).toEqual(runs.map(() => ''));
    }
    const folded = await folder.stop();
    for (const w of workers) w.child.stdin?.end();
    await Promise.all(workers.map((w) => w.exited));
    const acked = new Set(workers.flatMap((p) => p.lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))));
    expect(acked.size).toBe(bursts * width);
    const journal = await readJournal(st.paths);
    const hookIds = journal.events
      .filter((e) => e.sessionId !== undefined && sessionIds.has(e.sessionId))
      .map((e) => e.id);
    expect(hookIds.length).toBe(realBursts * width);
    const all = new Set([...acked, ...hookIds]);
    expect(folded.applied).toBe(all.size);
    expect(folded.corrupt).toBe(0);
    await expectRegistryIsFoldOfJournal(st, store, all);
    figures(
      `hook-storms: ${bursts} bursts × ${width} + ${realBursts} bursts × ${width} real hook processes = ${all.size} events, ` +
        `${folded.folds} concurrent folds, ${folded.applied} applied (exactly once), 0 lost, 0 corrupt`,
    );
  }, 300_000);
});
