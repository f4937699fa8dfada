import { open, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { SaveTrigger } from '../../common/base/types.js';
import { writeFileDurable } from '../base/durable-file.js';
import { readRegularText } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';

/**
 * A history of save attempts (ok or failed), one JSON line each. Retention thins snapshots
 * after a couple of hours, but the freshness timeline wants every save of the last day, with
 * its duration and its failures. History, not ground truth: health judges the snapshots
 * on disk (principle 3) and asks this log only which save came last after the wall clock
 * moved back (daemon/health-service.ts), then reads that snapshot back itself.
 */
export interface SaveRecord {
  at: string;
  trigger: SaveTrigger;
  ok: boolean;
  snapshotId?: string;
  durationMs?: number;
  error?: string;
}

const KEEP_MS = 7 * 86_400_000;
const COMPACT_ABOVE_BYTES = 1024 * 1024;
const APPEND_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Compacted at 1 MB, so a log far past that is not ours (or not ours alone). */
const MAX_SAVE_LOG_BYTES = 32 * 1024 * 1024;

export function saveLogPath(paths: StatePaths): string {
  return join(paths.root, 'saves.jsonl');
}

/** One append (O_APPEND, a single write), compacted to the last week once it grows past 1 MB. */
export async function appendSaveRecord(paths: StatePaths, rec: SaveRecord, now = new Date()): Promise<void> {
  const file = saveLogPath(paths);
  // No-follow and a regular file: appending through a planted link would write somewhere else.
  const h = await open(file, APPEND_FLAGS, 0o600);
  try {
    if (!(await h.stat()).isFile()) throw new Error(`${file} is not a regular file: not appended to`);
    await h.write(`${JSON.stringify(rec)}\n`);
  } finally {
    await h.close();
  }
  if ((await stat(file)).size > COMPACT_ABOVE_BYTES) {
    const keep = (await readSaveLog(paths, new Date(now.getTime() - KEEP_MS))).map((r) => JSON.stringify(r)).join('\n');
    await writeFileDurable(file, keep === '' ? '' : `${keep}\n`);
  }
}

function isRecord(v: unknown): v is SaveRecord {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.at === 'string' &&
    Number.isFinite(Date.parse(r.at)) &&
    typeof r.trigger === 'string' &&
    typeof r.ok === 'boolean' &&
    (r.durationMs === undefined || typeof r.durationMs === 'number') &&
    (r.snapshotId === undefined || typeof r.snapshotId === 'string') &&
    (r.error === undefined || typeof r.error === 'string')
  );
}

/** Records at or after `from`, oldest first; torn or foreign lines are skipped. */
/** The raw log, through the safe reader (the dashboard's timeline reads it too). */
export function readSaveLogText(paths: StatePaths): Promise<string> {
  return readRegularText(saveLogPath(paths), MAX_SAVE_LOG_BYTES);
}

export async function readSaveLog(paths: StatePaths, from: Date): Promise<SaveRecord[]> {
  let text: string;
  try {
    text = await readSaveLogText(paths);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: SaveRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (isRecord(v) && Date.parse(v.at) >= from.getTime()) out.push(v);
    } catch {
      // a torn last line from a killed writer
    }
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
