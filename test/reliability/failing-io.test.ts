// 2. Failing I/O: the k-th filesystem call of a durable write and of a snapshot save fails
// (throws, or lies about a write or a read), for every k; short writes under `ulimit -f`; a
// full disk on a tiny tmpfs. Every run ends in a verified save, or in a reported failure with
// the previous snapshot byte-identical. Never "ok" after a failed write or fsync.
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Snapshot } from '../../main/common/base/types.js';
import { WriteFailedError } from '../../main/common/base/errors.js';
import { nodeFs, writeFileDurable, type DurableFs } from '../../main/node/base/durable-file.js';
import { ensureStateDir, type StatePaths } from '../../main/node/base/state-dir.js';
import { appendEvent, readSpool } from '../../main/node/journal/spool.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import {
  buildSnapshot,
  listSnapshots,
  restoreDefault,
  sweepSnapshotAndStatusTemps,
  writeSnapshot,
} from '../../main/node/snapshot/store.js';
import { INSTANCE, bindingsFor, eventFields, sampleFleet } from './helpers/fixtures.js';
import { LineProc, WORKERS, ensureBuilt, figures, tempState, type TempState } from './helpers/harness.js';

type Op = keyof DurableFs;
type Mode = 'throw' | 'lie';

/** A DurableFs whose k-th call (1-based) fails: throws EIO, or for write/readFile lies. */
function faultyFs(k: number, mode: Mode): { fs: DurableFs; calls: Op[]; faulted: Op | null } {
  const state = { calls: [] as Op[], faulted: null as Op | null };
  const wrap = <K extends Op>(op: K): DurableFs[K] =>
    (async (...args: unknown[]) => {
      state.calls.push(op);
      const real = nodeFs[op] as (...a: unknown[]) => Promise<unknown>;
      if (state.calls.length !== k) return real(...args);
      state.faulted = op;
      if (mode === 'lie' && op === 'write') {
        // Claims every byte, writes half: the short write conf/atomically can report as success.
        const [h, buf, off, len, pos] = args as [unknown, Buffer, number, number, number];
        await real(h, buf, off, Math.floor(len / 2), pos);
        return len;
      }
      if (mode === 'lie' && op === 'readFile') {
        const b = Buffer.from((await real(...args)) as Buffer);
        if (b.length > 0) b[Math.floor(b.length / 2)]! ^= 0x10;
        return b;
      }
      throw Object.assign(new Error(`EIO: injected failure of call ${k} (${op})`), { code: 'EIO' });
    }) as DurableFs[K];
  const fs = Object.fromEntries((Object.keys(nodeFs) as Op[]).map((op) => [op, wrap(op)])) as unknown as DurableFs;
  return {
    fs,
    get calls() {
      return state.calls;
    },
    get faulted() {
      return state.faulted;
    },
  };
}

/** Calls whose failure must fail the write: everything but the cleanup of a temp file. */
const MUST_FAIL: ReadonlySet<Op> = new Set(['open', 'write', 'fsync', 'close', 'rename', 'readFile']);

let st: TempState;
beforeEach(() => {
  st = tempState('failing-io');
});
afterEach(() => st.dispose());

describe('the k-th filesystem call fails, for every k', () => {
  it('writeFileDurable: ok only when nothing that matters failed; otherwise the old content or the new, whole, and no temp left', async () => {
    const target = join(st.dir, 'file.json');
    const before = Buffer.from('{"old":true}\n');
    const after = Buffer.from(`{"new":"${'n'.repeat(70_000)}"}\n`);
    const clean = faultyFs(0, 'throw');
    writeFileSync(target, before);
    await writeFileDurable(target, after, clean.fs);
    const n = clean.calls.length;
    let failed = 0;
    let ok = 0;
    for (const mode of ['throw', 'lie'] as const) {
      for (let k = 1; k <= n; k++) {
        writeFileSync(target, before);
        const f = faultyFs(k, mode);
        let err: unknown = null;
        await writeFileDurable(target, after, f.fs).catch((e: unknown) => (err = e));
        const now = readFileSync(target);
        const faultBites =
          f.faulted !== null &&
          MUST_FAIL.has(f.faulted) &&
          (mode === 'throw' || f.faulted === 'write' || f.faulted === 'readFile');
        if (err === null) {
          expect(faultBites, `k=${k} ${mode} ${f.faulted}: resolved after a failed ${f.faulted}`).toBe(false);
          expect(now.equals(after)).toBe(true);
          ok++;
        } else {
          expect(err).toBeInstanceOf(WriteFailedError);
          expect(now.equals(before) || now.equals(after), `k=${k} ${mode}: target torn`).toBe(true);
          failed++;
        }
        expect(
          readdirSync(st.dir).filter((x) => x.startsWith('.tmp-')),
          `k=${k} ${mode}: temp left`,
        ).toEqual([]);
      }
    }
    figures(
      `failing-io: writeFileDurable makes ${n} fs calls; ${2 * n} runs (each call failing, or lying about a write/read): ${failed} reported failures, ${ok} ok (only where the faulted call was harmless), 0 torn, 0 temp files left`,
    );
  });

  it('writeSnapshot: a failed save is reported, the previous snapshot stays byte-identical and the restore default', async () => {
    const fleet = sampleFleet({ sessions: 3, windows: 2, panes: 3, padBytes: 2000 });
    const bindings = bindingsFor(fleet);
    const prev = await writeSnapshot(
      st.paths,
      buildSnapshot(fleet, bindings, 'interval', new Date(Date.now() - 60_000)),
    );
    const prevFile = join(st.paths.snapshots, `${prev.id}.json`);
    const prevBytes = readFileSync(prevFile);
    const clean = faultyFs(0, 'throw');
    const first = await writeSnapshot(
      st.paths,
      buildSnapshot(fleet, bindings, 'interval', new Date(Date.now() - 30_000)),
      clean.fs,
    );
    rmSync(join(st.paths.snapshots, `${first.id}.json`));
    const n = clean.calls.length;
    let failed = 0;
    let ok = 0;
    for (const mode of ['throw', 'lie'] as const) {
      for (let k = 1; k <= n; k++) {
        const f = faultyFs(k, mode);
        let saved: Snapshot | null = null;
        let err: unknown = null;
        await writeSnapshot(st.paths, buildSnapshot(fleet, bindings, 'interval', new Date()), f.fs).then(
          (s) => (saved = s),
          (e: unknown) => (err = e),
        );
        const listing = await listSnapshots(st.paths);
        expect(listing.corrupt, `k=${k} ${mode}`).toEqual([]);
        expect(readFileSync(prevFile).equals(prevBytes)).toBe(true);
        expect(
          readdirSync(st.paths.snapshots).filter((x) => x.startsWith('.tmp-')),
          `k=${k} ${mode}: temp left`,
        ).toEqual([]);
        const faultBites =
          f.faulted !== null &&
          MUST_FAIL.has(f.faulted) &&
          (mode === 'throw' || f.faulted === 'write' || f.faulted === 'readFile');
        if (saved === null) {
          expect(err, `k=${k} ${mode}`).toBeInstanceOf(WriteFailedError);
          expect(listing.valid.map((s) => s.id)).toEqual([prev.id]);
          expect(restoreDefault(listing, INSTANCE, new Set())?.id).toBe(prev.id);
          failed++;
        } else {
          expect(faultBites, `k=${k} ${mode}: "ok" after a failed ${f.faulted}`).toBe(false);
          const s = saved as Snapshot;
          expect(listing.valid.map((x) => x.id)).toEqual([s.id, prev.id]);
          rmSync(join(st.paths.snapshots, `${s.id}.json`));
          ok++;
        }
      }
    }
    figures(
      `failing-io: writeSnapshot makes ${n} fs calls; ${2 * n} runs (each failing or lying): ${failed} reported failures with the previous snapshot byte-identical and still the default, ${ok} verified saves, 0 "ok" after a failed write/fsync/read-back`,
    );
  });
});

describe('short writes and a full disk', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('ulimit -f (SIGXFSZ/EFBIG mid-write): the save fails loudly, the previous snapshot stays, the temp file is swept', async () => {
    // Far above the 16 KB limit below (snapshots no longer carry pane titles, so the size comes from panes).
    const fleet = sampleFleet({ sessions: 10, windows: 10, panes: 4 });
    const bindings = bindingsFor(fleet);
    const prev = await writeSnapshot(
      st.paths,
      buildSnapshot(fleet, bindings, 'interval', new Date(Date.now() - 60_000)),
    );
    const prevBytes = readFileSync(join(st.paths.snapshots, `${prev.id}.json`));
    const draftFile = join(st.dir, 'draft.json');
    writeFileSync(draftFile, JSON.stringify(buildSnapshot(fleet, bindings, 'interval', new Date())));
    const outcomes: string[] = [];
    let swept = 0;
    for (const kb of [1, 4, 16, Math.floor(prevBytes.length / 1024) - 1]) {
      const child = spawn(
        'bash',
        [
          '-c',
          `ulimit -f ${kb}; exec "$0" "$@"`,
          process.execPath,
          join(WORKERS, 'save.mjs'),
          st.root,
          draftFile,
          'once',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lp = new LineProc(child);
      const exit = await lp.exited;
      const verdict =
        lp.lines.find((l) => l.startsWith('ok ') || l.startsWith('failed ')) ?? `killed by ${exit.signal}`;
      outcomes.push(`${kb} KB: ${verdict.slice(0, 60)}`);
      expect(verdict.startsWith('ok '), `ulimit -f ${kb}: ${verdict}`).toBe(false);
      if (verdict.startsWith('failed ')) expect(verdict).toMatch(/WriteFailedError/);
      const listing = await listSnapshots(st.paths);
      expect(listing.corrupt).toEqual([]);
      expect(listing.valid.map((s) => s.id)).toEqual([prev.id]);
      expect(readFileSync(join(st.paths.snapshots, `${prev.id}.json`)).equals(prevBytes)).toBe(true);
      swept += await sweepSnapshotAndStatusTemps(st.paths);
      expect(readdirSync(st.paths.snapshots)).toEqual([`${prev.id}.json`]);
    }
    figures(
      `failing-io: ulimit -f short writes of a ${Math.round(prevBytes.length / 1024)} KB snapshot: ${outcomes.join('; ')}; previous byte-identical every time, ${swept} temp files swept`,
    );
  });

  describe('full disk (tmpfs)', () => {
    let mnt: string | null = null;
    let skipReason = '';
    beforeAll(() => {
      const dir = join(tmpdir(), `fk-rel-tmpfs-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'tmpfs', dir], { encoding: 'utf8' });
      if (r.status === 0) mnt = dir;
      else {
        skipReason = `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})`;
        rmSync(dir, { recursive: true, force: true });
      }
    });
    afterAll(() => {
      if (mnt === null) return;
      spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    });

    it('ENOSPC: snapshot, journal and registry writes fail loudly; nothing old lost; all succeed once space is back', async (ctx) => {
      if (mnt === null) {
        console.log(`failing-io: full disk skipped: ${skipReason}`);
        ctx.skip();
        return;
      }
      const paths: StatePaths = ensureStateDir(join(mnt, 'state'));
      const fleet = sampleFleet({ sessions: 2, windows: 2, panes: 3 });
      const bindings = bindingsFor(fleet);
      const prev = await writeSnapshot(
        paths,
        buildSnapshot(fleet, bindings, 'interval', new Date(Date.now() - 60_000)),
      );
      const prevBytes = readFileSync(join(paths.snapshots, `${prev.id}.json`));
      const store = new RegistryStore(paths);
      const firstEvent = await appendEvent(paths, eventFields(0));
      await store.foldSpool();
      const registryBefore = readFileSync(join(paths.root, 'registry.json'));
      await appendEvent(paths, eventFields(1));
      // Fill the disk to the last few hundred bytes.
      const filler = join(mnt, 'filler');
      let size = 512 * 1024;
      for (;;) {
        try {
          writeFileSync(filler, Buffer.alloc(size), { flag: 'a' });
        } catch {
          if (size <= 64) break;
          size = Math.floor(size / 2);
        }
      }
      const big = sampleFleet({ sessions: 2, windows: 2, panes: 3, padBytes: 4000 });
      const errors: string[] = [];
      await expect(writeSnapshot(paths, buildSnapshot(big, bindings, 'interval', new Date()))).rejects.toThrow(
        WriteFailedError,
      );
      errors.push('snapshot');
      await expect(appendEvent(paths, eventFields(2))).rejects.toThrow(WriteFailedError);
      errors.push('event');
      const foldErr = await store.foldSpool().then(
        () => null,
        (e: unknown) => e,
      );
      if (foldErr !== null) errors.push('fold');
      // Nothing old lost, nothing half-written visible.
      const listing = await listSnapshots(paths);
      expect(listing.corrupt).toEqual([]);
      expect(listing.valid.map((s) => s.id)).toEqual([prev.id]);
      expect(readFileSync(join(paths.snapshots, `${prev.id}.json`)).equals(prevBytes)).toBe(true);
      const spool = await readSpool(paths);
      expect(spool.corrupt).toEqual([]);
      expect(readdirSync(paths.snapshots).filter((x) => x.startsWith('.tmp-'))).toEqual([]);
      expect(readdirSync(paths.spoolTmp)).toEqual([]);
      const regNow = readFileSync(join(paths.root, 'registry.json'));
      if (foldErr !== null) expect(regNow.equals(registryBefore)).toBe(true);
      // Space back: everything works and nothing was lost.
      rmSync(filler);
      const next = await writeSnapshot(paths, buildSnapshot(big, bindings, 'interval', new Date()));
      await appendEvent(paths, eventFields(3));
      const folded = await store.foldSpool();
      expect(folded.rebuilt).toBeUndefined();
      expect(Object.keys(folded.doc.applied)).toContain(firstEvent.id);
      expect(Object.keys(folded.doc.applied).length).toBe(3);
      expect((await listSnapshots(paths)).valid.map((s) => s.id)).toEqual([next.id, prev.id]);
      figures(
        `failing-io: full 512 KB tmpfs: ${errors.join(', ')} writes failed with WriteFailedError (fold ${foldErr === null ? 'had room to succeed' : 'failed, registry byte-identical'}); previous snapshot byte-identical, 0 temp files, all writes succeed and 0 events lost once space is back`,
      );
    });
  });
});
