// What a one-off save remembers of the snapshot listing between runs. Snapshot files never
// change once written, so a file whose identity (inode, size, mtime, ctime) is the one recorded
// keeps its summary instead of being read, parsed and hashed again: with a day of history
// (~120 files of 200 panes) that was most of `fleetkeeper save`. Only valid verdicts are kept; a
// cache that is missing, damaged or from another version is ignored and rewritten. It is advice
// for retention, never the source of a restore: a restore reads and validates its snapshot.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SaveTrigger } from '../../common/base/types.js';
import { SAVE_TRIGGERS } from '../../common/snapshot/validate.js';
import { isIsoTimestamp, isSnapshotId } from '../../common/snapshot/snapshot-id.js';
import type { SnapshotSummary } from '../../common/snapshot/summary.js';
import { writeFileDurable } from '../base/durable-file.js';
import { readRegularText } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';

export const LISTING_CACHE_FILE = 'snapshot-listing.json';
const FORMAT = 'fleetkeeper-snapshot-listing';
const VERSION = 1;
const MAX_BYTES = 8 * 1024 * 1024;

export type ListingCache = Map<string, { stamp: string; summary: SnapshotSummary }>;

export function listingCachePath(paths: StatePaths): string {
  return join(paths.root, LISTING_CACHE_FILE);
}

/** The identity of a regular file as lstat sees it; null for anything else or a file gone. */
export async function fileStamp(path: string): Promise<string | null> {
  try {
    const st = await lstat(path);
    return st.isFile() ? `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : null;
  } catch {
    return null;
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function asSummary(v: unknown, file: string): SnapshotSummary | null {
  if (v === null || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  const inst = s.instance as Record<string, unknown> | null;
  const ok =
    typeof s.id === 'string' &&
    isSnapshotId(s.id) &&
    file === `${s.id}.json` &&
    s.file === file &&
    isIsoTimestamp(s.savedAt) &&
    typeof s.trigger === 'string' &&
    (SAVE_TRIGGERS as readonly string[]).includes(s.trigger) &&
    inst !== null &&
    typeof inst === 'object' &&
    typeof inst.socketPath === 'string' &&
    isCount(inst.pid) &&
    isCount(inst.startTime) &&
    isCount(s.sessions) &&
    isCount(s.windows) &&
    isCount(s.panes) &&
    isCount(s.claudePanes) &&
    (s.durationMs === undefined || isCount(s.durationMs));
  if (!ok) return null;
  const summary: SnapshotSummary = {
    id: s.id as string,
    file,
    savedAt: s.savedAt as string,
    trigger: s.trigger as SaveTrigger,
    instance: { socketPath: inst.socketPath as string, pid: inst.pid as number, startTime: inst.startTime as number },
    sessions: s.sessions as number,
    windows: s.windows as number,
    panes: s.panes as number,
    claudePanes: s.claudePanes as number,
  };
  if (s.durationMs !== undefined) summary.durationMs = s.durationMs as number;
  return summary;
}

/** The cache as last written; empty when missing, damaged or of another format version. */
export async function readListingCache(paths: StatePaths): Promise<ListingCache> {
  const out: ListingCache = new Map();
  let v: unknown;
  try {
    v = JSON.parse(await readRegularText(listingCachePath(paths), MAX_BYTES));
  } catch {
    return out;
  }
  const c = v as { format?: unknown; version?: unknown; entries?: unknown };
  if (c?.format !== FORMAT || c.version !== VERSION || !Array.isArray(c.entries)) return out;
  for (const e of c.entries as unknown[]) {
    const { file, stamp, summary } = (e ?? {}) as Record<string, unknown>;
    if (typeof file !== 'string' || typeof stamp !== 'string') continue;
    const s = asSummary(summary, file);
    if (s !== null) out.set(file, { stamp, summary: s });
  }
  return out;
}

export async function writeListingCache(paths: StatePaths, cache: ListingCache): Promise<void> {
  const entries = [...cache].map(([file, e]) => ({ file, stamp: e.stamp, summary: e.summary }));
  await writeFileDurable(listingCachePath(paths), `${JSON.stringify({ format: FORMAT, version: VERSION, entries })}\n`);
}
