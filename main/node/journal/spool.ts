import * as fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { JournalEvent } from '../../common/base/types.js';
import { WriteFailedError, errorMessage } from '../../common/base/errors.js';
import { canonicalJson } from '../../common/base/canonical-json.js';
import { recordChecksum } from '../base/checksum.js';
import { durableWrite, fsyncDir } from '../base/durable-file.js';
import { sweepTemps } from '../base/temp-sweep.js';
import { readRegularFile } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';
import { compareEvents, validateEventShape } from '../../common/journal/registry-fold.js';

// The journal is a Maildir: one event per file, written under spool/tmp and renamed into
// spool/new, so twenty hooks firing at once never share (or tear) a file and need no lock.

export interface SpoolCorruption {
  file: string;
  reason: string;
}

/** Events sorted by (at, id), deduplicated by id; anything unreadable is in `corrupt`. */
export interface SpoolRead {
  events: JournalEvent[];
  corrupt: SpoolCorruption[];
}

export type EventFields = Omit<JournalEvent, 'format' | 'version' | 'id' | 'checksum'>;

const EVENT_FILE_RE = /^(\d{8}T\d{9}Z-\d{10}-[0-9a-f]{16})\.json$/;

/** `20240501T120000123Z-0000012345-<16 hex>`: sorts by time, unique across processes. */
export function newEventId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${String(process.pid).padStart(10, '0')}-${randomBytes(8).toString('hex')}`;
}

export function isEventId(id: string): boolean {
  return EVENT_FILE_RE.test(`${id}.json`);
}

function fileOf(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/**
 * Durably appends one event. Resolves only once the file is complete under spool/new and
 * the directory entry is on disk; on any failure the temp file is removed and nothing
 * half-written is ever visible in spool/new.
 */
export async function appendEvent(paths: StatePaths, fields: EventFields): Promise<JournalEvent> {
  const atDate = new Date(fields.at);
  const id = newEventId(Number.isNaN(atDate.getTime()) ? new Date() : atDate);
  const body = { ...fields, format: 'fleetkeeper-event' as const, version: 1 as const, id };
  const event = { ...body, checksum: recordChecksum(body) } as JournalEvent;
  const problem = validateEventShape(event);
  if (problem !== null) throw new WriteFailedError(fileOf(paths.spoolNew, id), `refusing an invalid event: ${problem}`);
  // Maildir: staged under spool/tmp, renamed into spool/new (never read back: the fold validates).
  const data = Buffer.from(`${canonicalJson(event)}\n`, 'utf8');
  await durableWrite({
    tmp: fileOf(paths.spoolTmp, id),
    target: fileOf(paths.spoolNew, id),
    data,
    mode: 0o600,
    readBack: false,
  });
  return event;
}

/** Parses and checks one event file's bytes; returns the event or the reason it is bad. */
export function parseEventFile(name: string, data: Buffer): JournalEvent | string {
  const m = EVENT_FILE_RE.exec(name);
  if (m === null) return 'not an event file name';
  if (data.length === 0) return 'empty file';
  if (data.includes(0)) return 'contains NUL bytes (torn or zero-filled)';
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (err) {
    return `not JSON (${errorMessage(err)}); ${data.length} bytes, probably torn`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a JSON object';
  const rec = parsed as Record<string, unknown>;
  if (rec.format !== 'fleetkeeper-event') return `wrong format ${JSON.stringify(rec.format)}`;
  if (rec.version !== 1) return `unsupported version ${JSON.stringify(rec.version)}`;
  if (typeof rec.checksum !== 'string' || rec.checksum !== recordChecksum(rec)) return 'checksum mismatch';
  if (rec.id !== m[1]) return `id ${JSON.stringify(rec.id)} does not match the file name`;
  const problem = validateEventShape(rec);
  if (problem !== null) return problem;
  return rec as unknown as JournalEvent;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Far above any event the hook writes (its input is capped at 1 MB); anything bigger is not ours. */
const MAX_EVENT_BYTES = 4 * 1024 * 1024;
/**
 * The bytes of one regular event file, through the safe reader: a FIFO (which would block the
 * reader, and with it every fold and save, forever), a symlink or a device planted under an
 * event name is reported instead of read.
 */
function readEventBytes(file: string): Promise<Buffer> {
  return readRegularFile(file, MAX_EVENT_BYTES);
}

/** Reads every event file of one directory with bounded parallelism. Never throws on a bad file. */
async function readDir(dir: string): Promise<SpoolRead> {
  const names = await listDir(dir);
  const events: JournalEvent[] = [];
  const corrupt: SpoolCorruption[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++] as string;
      const file = join(dir, name);
      let data: Buffer;
      try {
        data = await readEventBytes(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Moved to the archive between readdir and read: the archive read will see it.
        if (code === 'ENOENT') continue;
        corrupt.push({ file, reason: `unreadable: ${errorMessage(err)}` });
        continue;
      }
      const result = parseEventFile(name, data);
      if (typeof result === 'string') corrupt.push({ file, reason: result });
      else events.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, names.length) }, worker));
  return { events, corrupt };
}

function merge(...reads: SpoolRead[]): SpoolRead {
  const byId = new Map<string, JournalEvent>();
  for (const r of reads) for (const e of r.events) if (!byId.has(e.id)) byId.set(e.id, e);
  const corrupt = reads.flatMap((r) => r.corrupt).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { events: [...byId.values()].sort(compareEvents), corrupt };
}

export async function readSpool(paths: StatePaths): Promise<SpoolRead> {
  return merge(await readDir(paths.spoolNew));
}

export async function readArchive(paths: StatePaths): Promise<SpoolRead> {
  return merge(await readDir(paths.archive));
}

/** Spool first, then archive: an event archived in between is then still seen once. */
export async function readJournal(paths: StatePaths): Promise<SpoolRead> {
  const spool = await readDir(paths.spoolNew);
  const archive = await readDir(paths.archive);
  return merge(spool, archive);
}

/** Ids of archived events, from file names only (cheap: no file is opened). */
export async function archivedIds(paths: StatePaths): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listDir(paths.archive)) {
    const m = EVENT_FILE_RE.exec(name);
    if (m !== null) out.push(m[1] as string);
  }
  return out;
}

/**
 * Moves events from spool/new to the archive, unchanged (they carry their own checksum).
 * Idempotent: an id already archived is fine; an id found in neither place is an error.
 */
export async function archiveEvents(paths: StatePaths, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const id of ids) {
    if (!isEventId(id)) throw new WriteFailedError(paths.archive, `not an event id: ${JSON.stringify(id)}`);
    const from = fileOf(paths.spoolNew, id);
    const to = fileOf(paths.archive, id);
    try {
      await fsp.rename(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        const there = await fsp.stat(to).then(
          () => true,
          () => false,
        );
        if (there) continue;
      }
      throw new WriteFailedError(to, `archiving ${from}: ${errorMessage(err)}`, { cause: err });
    }
  }
  try {
    // Archive entry durable first: after a crash an event may be in both places (the reader
    // deduplicates), never in neither.
    await fsyncDir(paths.archive);
    await fsyncDir(paths.spoolNew);
  } catch (err) {
    throw new WriteFailedError(paths.archive, `fsync: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Removes temp files left by hooks that died mid-write (the event id in the name carries the
 * hook's pid; anything else in spool/tmp goes by age). Returns how many were removed.
 */
export function sweepSpoolTmp(paths: StatePaths, now: Date = new Date()): Promise<number> {
  return sweepTemps(
    paths.spoolTmp,
    (name) => {
      const m = EVENT_FILE_RE.exec(name);
      return { pid: m === null ? null : Number((m[1] as string).split('-')[1]) };
    },
    now,
  );
}
