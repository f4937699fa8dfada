import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '../../common/base/types.js';
import { CorruptFileError, InvalidInputError, errorMessage } from '../../common/base/errors.js';
import { isSnapshotId } from '../../common/snapshot/snapshot-id.js';
import { summarizeSnapshot, type SnapshotSummary } from '../../common/snapshot/summary.js';
import { validateSnapshot } from '../../common/snapshot/validate.js';
import { hasValidChecksum } from '../base/checksum.js';
import { TEMP_PREFIX } from '../base/durable-file.js';
import { readRegularFile } from '../base/safe-read.js';
import { fileStamp, readListingCache, writeListingCache, type ListingCache } from './listing-cache.js';
import type { StatePaths } from '../base/state-dir.js';

export interface SnapshotListing {
  /** Newest savedAt first. */
  valid: SnapshotSummary[];
  corrupt: Array<{ file: string; reason: string }>;
}

/** A snapshot is small (KBs per pane); anything this big is not one of ours. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;
const FILE_RE = /^(.+)\.json$/;

function sameCache(a: ListingCache, b: ListingCache): boolean {
  if (a.size !== b.size) return false;
  for (const [file, e] of b) if (a.get(file)?.stamp !== e.stamp) return false;
  return true;
}

export function snapshotFileName(id: string): string {
  return `${id}.json`;
}

/**
 * Parses and validates snapshot bytes: JSON, every field, the checksum, and that the id
 * inside is the id the file is named after (a renamed copy must not shadow another).
 * Returns the snapshot or the reason it does not count. Never throws.
 */
export function parseSnapshot(
  bytes: Buffer | string,
  expectedId: string | null,
): { ok: true; snapshot: Snapshot } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON (${errorMessage(err)})` };
  }
  const reasons = validateSnapshot(value);
  if (reasons.length > 0) return { ok: false, reason: reasons.join('; ') };
  if (!hasValidChecksum(value))
    return { ok: false, reason: 'checksum mismatch: the content changed after it was written' };
  const snap = value as Snapshot;
  if (expectedId !== null && snap.id !== expectedId) {
    return { ok: false, reason: `file is named ${expectedId} but holds snapshot ${snap.id}` };
  }
  return { ok: true, snapshot: snap };
}

/** Non-blocking, no-follow, regular files only, capped: see base/safe-read.ts. */
export function readBounded(path: string): Promise<Buffer> {
  return readRegularFile(path, MAX_SNAPSHOT_BYTES);
}

export async function readSnapshotFile(path: string, expectedId: string | null): Promise<Snapshot> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(path);
  } catch (err) {
    throw new CorruptFileError(path, `unreadable: ${errorMessage(err)}`, { cause: err });
  }
  const parsed = parseSnapshot(bytes, expectedId);
  if (!parsed.ok) throw new CorruptFileError(path, parsed.reason);
  return parsed.snapshot;
}

export function compareNewestFirst(a: SnapshotSummary, b: SnapshotSummary): number {
  const d = Date.parse(b.savedAt) - Date.parse(a.savedAt);
  if (d !== 0) return d;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Reads back and validates every snapshot on disk. Age and order come from each file's
 * validated savedAt, never its mtime. Temp files of writes in flight (or killed) are not
 * snapshots and are skipped; anything else that does not validate is reported, not hidden.
 */
export async function listSnapshots(
  paths: StatePaths,
  /** Snapshots this process wrote and read back moments ago: listed from memory, not parsed again. */
  justWritten: readonly Snapshot[] = [],
  /** Keep the valid verdicts between runs (listing-cache.ts): for the writer, under its lock. */
  opts: { cache?: boolean } = {},
): Promise<SnapshotListing> {
  const known = new Map(justWritten.map((s) => [snapshotFileName(s.id), s]));
  const cached = opts.cache === true ? await readListingCache(paths) : null;
  const fresh: ListingCache = new Map();
  let names: string[];
  try {
    names = await readdir(paths.snapshots);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { valid: [], corrupt: [] };
    throw err;
  }
  const valid: SnapshotSummary[] = [];
  const corrupt: SnapshotListing['corrupt'] = [];
  const candidates = names.filter((n) => !n.startsWith(TEMP_PREFIX)).sort();
  // A few reads in flight at a time: fast, without a burst of open files on a big dir.
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < candidates.length; i = next++) {
      const file = candidates[i] as string;
      const id = FILE_RE.exec(file)?.[1];
      if (id === undefined || !isSnapshotId(id)) {
        corrupt.push({ file, reason: 'not a snapshot file name (<id>.json)' });
        continue;
      }
      const path = join(paths.snapshots, file);
      const stamp = cached === null ? null : await fileStamp(path);
      const remember = (summary: SnapshotSummary): void => {
        valid.push(summary);
        if (stamp !== null) fresh.set(file, { stamp, summary });
      };
      const mine = known.get(file);
      if (mine !== undefined) {
        remember(summarizeSnapshot(mine, file));
        continue;
      }
      const hit = cached?.get(file);
      if (hit !== undefined && stamp !== null && hit.stamp === stamp) {
        remember(hit.summary);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await readBounded(path);
      } catch (err) {
        // Removed between readdir and read (retention in another process): not a problem.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        corrupt.push({ file, reason: `unreadable: ${errorMessage(err)}` });
        continue;
      }
      const parsed = parseSnapshot(bytes, id);
      if (parsed.ok) remember(summarizeSnapshot(parsed.snapshot, file));
      else corrupt.push({ file, reason: parsed.reason });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, candidates.length) }, worker));
  valid.sort(compareNewestFirst);
  corrupt.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (cached !== null && !sameCache(cached, fresh)) await writeListingCache(paths, fresh).catch(() => undefined);
  return { valid, corrupt };
}

function assertSnapshotId(id: string): void {
  if (!isSnapshotId(id)) {
    throw new InvalidInputError(`${JSON.stringify(id)} is not a snapshot id (expected e.g. 20261123T203001123Z-1a2b)`);
  }
}

/** One snapshot by id, validated. Unknown or malformed id → InvalidInputError; bad file → CorruptFileError. */
export async function readSnapshot(paths: StatePaths, id: string): Promise<Snapshot> {
  assertSnapshotId(id);
  const path = join(paths.snapshots, snapshotFileName(id));
  try {
    await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidInputError(`no snapshot with id ${id}`);
    throw new CorruptFileError(path, `unreadable: ${errorMessage(err)}`, { cause: err });
  }
  return readSnapshotFile(path, id);
}

/**
 * The newest snapshot that validates now, reading from the newest file name down and stopping
 * at the first that validates: one file read in the normal case, however many are kept
 * (ids are stamped from savedAt, and validation enforces it, so name order is time order).
 * Damaged newer files are skipped here; `listSnapshots` is what reports them.
 */
export async function newestValidSnapshot(paths: StatePaths): Promise<Snapshot | null> {
  let names: string[];
  try {
    names = await readdir(paths.snapshots);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const ids = names
    .map((n) => FILE_RE.exec(n)?.[1])
    .filter((id): id is string => id !== undefined && isSnapshotId(id))
    .sort()
    .reverse();
  for (const id of ids) {
    try {
      return await readSnapshotFile(join(paths.snapshots, snapshotFileName(id)), id);
    } catch {
      continue;
    }
  }
  return null;
}

/** `newestValidSnapshot` as a listing line, for a cheap health check. */
export async function newestValidSummary(paths: StatePaths): Promise<SnapshotSummary | null> {
  const snap = await newestValidSnapshot(paths);
  return snap === null ? null : summarizeSnapshot(snap, snapshotFileName(snap.id));
}
