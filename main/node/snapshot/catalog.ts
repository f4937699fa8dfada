import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '../../common/base/types.js';
import { errorMessage } from '../../common/base/errors.js';
import { isSnapshotId } from '../../common/snapshot/snapshot-id.js';
import { summarizeSnapshot } from '../../common/snapshot/summary.js';
import { TEMP_PREFIX } from '../base/durable-file.js';
import type { StatePaths } from '../base/state-dir.js';
import { compareNewestFirst, parseSnapshot, readBounded, snapshotFileName, type SnapshotListing } from './reader.js';
import { snapshotText } from './writer.js';

type Entry = { ok: true; summary: ReturnType<typeof summarizeSnapshot> } | { ok: false; reason: string };

export interface CatalogView {
  listing: SnapshotListing;
  /** The newest valid snapshot, read back from disk and validated during this call. */
  newest: Snapshot | null;
}

/**
 * The daemon's view of snapshots/ for its frequent watchdog ticks. Files whose identity
 * (inode, size, mtime, ctime) has not changed keep their earlier verdict, so a tick does not
 * re-hash hundreds of snapshots; the newest valid one is always read back and validated
 * again (principle 3), and falls through to the next one if it no longer validates.
 */
export class SnapshotCatalog {
  private readonly cache = new Map<string, { stamp: string; entry: Entry }>();
  private views = 0;
  /** The bytes of the file last parsed valid, with what they parsed to. */
  private lastValid: { file: string; bytes: Buffer; snapshot: Snapshot } | null = null;

  /**
   * @param restatEvery Snapshots are immutable once written: a file already judged is stat'ed
   * again (to catch one damaged on disk) only every this many views, not on every watchdog tick.
   */
  constructor(
    private readonly paths: StatePaths,
    private readonly restatEvery = 1,
  ) {}

  /**
   * `justWritten`: snapshots this process's writer wrote and read back valid moments ago. Their
   * files are still read now, but bytes equal to what was written are not parsed again.
   */
  async view(justWritten: readonly Snapshot[] = []): Promise<CatalogView> {
    for (const w of justWritten) {
      const text = snapshotText(w);
      this.lastValid = {
        file: snapshotFileName(w.id),
        bytes: Buffer.from(text),
        snapshot: deepFreeze(JSON.parse(text) as Snapshot),
      };
    }
    let names: string[];
    try {
      names = (await readdir(this.paths.snapshots)).filter((n) => !n.startsWith(TEMP_PREFIX));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { listing: { valid: [], corrupt: [] }, newest: null };
      throw err;
    }
    const present = new Set(names);
    for (const k of this.cache.keys()) if (!present.has(k)) this.cache.delete(k);
    const valid = [];
    const corrupt: SnapshotListing['corrupt'] = [];
    const restat = this.views++ % this.restatEvery === 0;
    for (const file of names.sort()) {
      const known = this.cache.get(file);
      const entry = !restat && known !== undefined && known.stamp !== '' ? known.entry : await this.entry(file);
      if (entry === null) continue;
      if (entry.ok) valid.push(entry.summary);
      else corrupt.push({ file, reason: entry.reason });
    }
    valid.sort(compareNewestFirst);
    let newest: Snapshot | null = null;
    while (valid.length > 0 && newest === null) {
      const head = valid[0]!;
      const again = await this.readFresh(head.file, head.id);
      if (again.ok) newest = again.snapshot;
      else {
        valid.shift();
        corrupt.push({ file: head.file, reason: again.reason });
        this.cache.set(head.file, { stamp: '', entry: { ok: false, reason: again.reason } });
      }
    }
    return { listing: { valid, corrupt }, newest };
  }

  private async entry(file: string): Promise<Entry | null> {
    const id = /^(.+)\.json$/.exec(file)?.[1];
    if (id === undefined || !isSnapshotId(id)) return { ok: false, reason: 'not a snapshot file name (<id>.json)' };
    let stamp: string;
    try {
      const st = await stat(join(this.paths.snapshots, file));
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      return { ok: false, reason: `unreadable: ${errorMessage(err)}` };
    }
    const hit = this.cache.get(file);
    if (hit !== undefined && hit.stamp === stamp) return hit.entry;
    const parsed = await this.readFresh(file, id);
    const entry: Entry = parsed.ok ? { ok: true, summary: summarizeSnapshot(parsed.snapshot, file) } : parsed;
    this.cache.set(file, { stamp, entry });
    return entry;
  }

  /**
   * Reads the file now, every time. Bytes equal to the ones last judged valid under this name
   * get that verdict again without a re-parse: parsing, validation and the checksum are pure
   * functions of the bytes and the id, and a re-parse was most of a watchdog tick's CPU. The
   * snapshot handed out again is frozen, so no caller can change what the next tick returns.
   */
  private async readFresh(
    file: string,
    id: string,
  ): Promise<{ ok: true; snapshot: Snapshot } | { ok: false; reason: string }> {
    let bytes: Buffer;
    try {
      bytes = await readBounded(join(this.paths.snapshots, file));
    } catch (err) {
      return { ok: false, reason: `unreadable: ${errorMessage(err)}` };
    }
    const last = this.lastValid;
    if (last !== null && last.file === file && last.bytes.equals(bytes)) return { ok: true, snapshot: last.snapshot };
    const parsed = parseSnapshot(bytes, id);
    if (parsed.ok) this.lastValid = { file, bytes, snapshot: deepFreeze(parsed.snapshot) };
    return parsed;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
