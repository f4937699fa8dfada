// 1. Killed mid-save: 500 × SIGKILL of a process saving snapshots (small and 2 MB) at a random
// instant. After every kill: 0 invalid or empty restore defaults, the default is the newest
// valid snapshot, every acknowledged save is there and valid, and the temp files the killed
// writers left are swept on the next start.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSnapshot,
  listSnapshots,
  newestValidSnapshot,
  restoreDefault,
  sweepSnapshotAndStatusTemps,
} from '../../main/node/snapshot/store.js';
import { INSTANCE, bindingsFor, sampleFleet } from './helpers/fixtures.js';
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

const states: TempState[] = [];
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => {
  for (const s of states) s.dispose();
});

interface LaneResult {
  label: string;
  kills: number;
  bytes: number;
  saveMs: number;
  acked: number;
  swept: number;
  killedBeforeFirstSave: number;
}

async function lane(
  label: string,
  fleetOpts: Parameters<typeof sampleFleet>[0],
  kills: number,
  rand: () => number,
): Promise<LaneResult> {
  const s = tempState(`killed-save-${label}`);
  states.push(s);
  const fleet = sampleFleet(fleetOpts);
  const draft = buildSnapshot(fleet, bindingsFor(fleet), 'interval', new Date());
  const draftFile = join(s.dir, 'draft.json');
  writeFileSync(draftFile, JSON.stringify(draft));
  const bytes = JSON.stringify(draft, null, 1).length;
  // Calibrate one save's duration under the same load.
  const cal = startWorker('save.mjs', [s.root, draftFile, 'loop']);
  await cal.waitLine((l) => l === 'ready', 60_000);
  cal.send('go');
  await cal.waitLine((l) => l === 'started');
  const t0 = performance.now();
  await cal.waitLine((l) => l.startsWith('ok '), 60_000);
  const saveMs = Math.max(2, performance.now() - t0);
  cal.kill();
  await cal.exited;
  await sweepSnapshotAndStatusTemps(s.paths);
  const acked = new Set<string>();
  let swept = 0;
  let killedBeforeFirstSave = 0;
  let next = startWorker('save.mjs', [s.root, draftFile, 'loop']);
  for (let k = 0; k < kills; k++) {
    const w = next;
    await w.waitLine((l) => l === 'ready', 60_000);
    w.send('go');
    await w.waitLine((l) => l === 'started', 60_000);
    next = startWorker('save.mjs', [s.root, draftFile, 'loop']);
    await sleep(rand() * saveMs * 1.8);
    w.kill('SIGKILL');
    await w.exited;
    const oks = w.lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3));
    if (oks.length === 0) killedBeforeFirstSave++;
    for (const id of oks) acked.add(id);

    // What the next start sees: every file either a valid snapshot or a skipped temp.
    const listing = await listSnapshots(s.paths);
    expect(listing.corrupt, `${label} kill ${k}`).toEqual([]);
    const ids = new Set(listing.valid.map((v) => v.id));
    for (const id of acked) expect(ids.has(id), `${label} kill ${k}: acknowledged ${id} missing`).toBe(true);
    const def = restoreDefault(listing, INSTANCE, new Set());
    if (acked.size > 0) {
      expect(def).not.toBeNull();
      expect(def?.id).toBe(listing.valid[0]?.id);
      expect(def?.sessions).toBeGreaterThan(0);
      expect((await newestValidSnapshot(s.paths))?.id).toBe(def?.id);
    }
    swept += await sweepSnapshotAndStatusTemps(s.paths);
    expect(
      readdirSync(s.paths.snapshots).filter((n) => n.startsWith('.tmp-')),
      `${label} kill ${k}: temp left after the sweep`,
    ).toEqual([]);
    // Keep the disk small (2 MB × hundreds): retention-like, keep the newest three.
    for (const v of listing.valid.slice(3)) {
      rmSync(join(s.paths.snapshots, v.file));
      acked.delete(v.id);
    }
  }
  next.kill();
  await next.exited;
  return { label, kills, bytes, saveMs, acked: acked.size, swept, killedBeforeFirstSave };
}

describe('killed mid-save', () => {
  it('500 × SIGKILL of a saving process (small and 2 MB snapshots): the default is always the newest valid; temps swept', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const total = scaled(500);
    const results = await Promise.all([
      lane('small', { sessions: 2, windows: 2, panes: 3 }, Math.ceil(total / 2), rand),
      lane('2MB', { sessions: 10, windows: 10, panes: 10, padBytes: 1850 }, Math.floor(total / 2) || 1, rand),
    ]);
    for (const r of results) expect(r.swept).toBeGreaterThanOrEqual(0);
    figures(
      `killed-mid-save: ${results.reduce((a, r) => a + r.kills, 0)} kills (seed ${seed}): ` +
        results
          .map(
            (r) =>
              `${r.kills} × ${r.label} (${Math.round(r.bytes / 1024)} KB, one save ≈ ${Math.round(r.saveMs)} ms, kills over 0-${Math.round(r.saveMs * 1.8)} ms; ${r.killedBeforeFirstSave} before their first save completed) ${r.swept} temp files swept`,
          )
          .join('; ') +
        '; 0 invalid or empty restore defaults, default = newest valid after every kill, 0 acknowledged saves lost',
    );
  }, 600_000);
});
