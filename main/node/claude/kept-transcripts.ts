// Conversations survive Claude's cleanup (cleanupPeriodDays) and hand deletions: every bound
// conversation's transcript is kept in the state dir, `<state>/transcripts/<session id>.jsonl`.
// On the transcript's own file system that is a hard link (no copy; Claude appends in place, so
// the link follows the conversation; when Claude replaced the file the link is renewed); elsewhere
// a copy, capped. A restore puts a missing transcript back at its original path before the resume.
// `refs.json` remembers when a snapshot last referenced each one, so retention drops those no
// kept snapshot can reference without reading every snapshot.
import { copyFile, link, lstat, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { constants, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isSessionId } from '../../common/base/names.js';
import { errorMessage } from '../../common/base/errors.js';
import { copyRegularFile, readRegularText } from '../base/safe-read.js';
import { writeFileDurable, fsyncDir } from '../base/durable-file.js';
import type { StatePaths } from '../base/state-dir.js';

export interface KeepTarget {
  sessionId: string;
  transcriptPath: string;
}

export interface KeepResult {
  linked: number;
  copied: number;
  unchanged: number;
  problems: string[];
}

/** Default cap for a copy (a hard link costs nothing). */
export const DEFAULT_COPY_CAP_BYTES = 64 * 1024 * 1024;
/** refs.json is touched at most this often per conversation (saves every minute would rewrite it each time). */
const REF_GRANULARITY_MS = 3_600_000;
const MAX_REFS_BYTES = 16 * 1024 * 1024;

export function keptDir(paths: StatePaths): string {
  return join(paths.root, 'transcripts');
}

export function keptTranscriptPath(paths: StatePaths, sessionId: string): string {
  if (!isSessionId(sessionId)) throw new RangeError(`not a session id: ${JSON.stringify(sessionId)}`);
  return join(keptDir(paths), `${sessionId}.jsonl`);
}

/** A kept copy exists for this conversation (a regular file, not a link planted there). */
export function hasKeptTranscript(paths: StatePaths, sessionId: string): boolean {
  if (!isSessionId(sessionId)) return false;
  try {
    return lstatSync(keptTranscriptPath(paths, sessionId)).isFile();
  } catch {
    return false;
  }
}

const tmpName = (dir: string): string => join(dir, `.link-${randomBytes(6).toString('hex')}`);

/** Keeps each target's transcript durable; never throws for one bad transcript. */
export async function keepTranscripts(
  paths: StatePaths,
  targets: readonly KeepTarget[],
  opts: { copyCapBytes?: number; now?: Date } = {},
): Promise<KeepResult> {
  const res: KeepResult = { linked: 0, copied: 0, unchanged: 0, problems: [] };
  // A fleet without bound conversations: nothing to keep or to mark referenced.
  if (targets.length === 0) return res;
  const dir = keptDir(paths);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const dirDev = (await stat(dir)).dev;
  const cap = opts.copyCapBytes ?? DEFAULT_COPY_CAP_BYTES;
  const seen = new Set<string>();
  const todo: KeepTarget[] = [];
  for (const t of targets) {
    if (!isSessionId(t.sessionId) || seen.has(t.sessionId)) continue;
    seen.add(t.sessionId);
    // Only a regular file named after its own conversation: a hook event can name any path.
    if (basename(t.transcriptPath) === `${t.sessionId}.jsonl`) todo.push(t);
  }
  let changed = false;
  // One conversation per file: all of them at once (a save with 20 Claudes waited on 40 lstats in turn).
  const keepOne = async (t: KeepTarget): Promise<void> => {
    const kept = keptTranscriptPath(paths, t.sessionId);
    try {
      const [src, have] = await Promise.all([lstat(t.transcriptPath).catch(() => null), lstat(kept).catch(() => null)]);
      if (src === null || !src.isFile()) return; // gone: the kept one (if any) is what remains
      if (have !== null && have.dev === src.dev && have.ino === src.ino) {
        res.unchanged++;
        return;
      }
      const tmp = tmpName(dir);
      if (src.dev === dirDev) {
        // A new link renamed over the old one: a transcript Claude replaced is followed again.
        await link(t.transcriptPath, tmp);
        await rename(tmp, kept);
        res.linked++;
        changed = true;
        return;
      }
      if (have !== null && have.size === src.size && have.mtimeMs >= src.mtimeMs) {
        res.unchanged++;
        return;
      }
      if (src.size > cap) {
        res.problems.push(
          `transcript ${t.transcriptPath} is ${src.size} bytes, over the ${cap}-byte cap for a copy: not kept`,
        );
        return;
      }
      // Opened like every file we only read: lstat above can be raced, the open cannot.
      await copyRegularFile(t.transcriptPath, tmp, cap);
      await rename(tmp, kept);
      res.copied++;
      changed = true;
    } catch (err) {
      res.problems.push(`transcript ${t.transcriptPath} not kept: ${errorMessage(err)}`);
    }
  };
  await Promise.all(todo.map(keepOne));
  if (changed) await fsyncDir(dir).catch(() => undefined);
  await touchRefs(paths, [...seen], opts.now ?? new Date()).catch((err: unknown) => {
    res.problems.push(`kept transcripts' reference list not updated: ${errorMessage(err)}`);
  });
  return res;
}

/**
 * Puts a kept transcript back where Claude looks for it, before `claude --resume`. Never
 * overwrites, and only writes a file named after its own conversation.
 */
export async function restoreKeptTranscript(paths: StatePaths, sessionId: string, original: string): Promise<void> {
  if (basename(original) !== `${sessionId}.jsonl` || !original.startsWith('/'))
    throw new RangeError(`refusing to restore a transcript to ${JSON.stringify(original)}`);
  const kept = keptTranscriptPath(paths, sessionId);
  const st = await lstat(kept);
  if (!st.isFile()) throw new RangeError(`${kept} is not a regular file`);
  await mkdir(dirname(original), { recursive: true, mode: 0o700 });
  try {
    await link(kept, original);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    await copyFile(kept, original, constants.COPYFILE_EXCL);
  }
}

// ---- references and retention --------------------------------------------------------------

type Refs = Record<string, string>;

function refsPath(paths: StatePaths): string {
  return join(keptDir(paths), 'refs.json');
}

async function readRefs(paths: StatePaths): Promise<Refs> {
  try {
    const v = JSON.parse(await readRegularText(refsPath(paths), MAX_REFS_BYTES)) as { refs?: unknown };
    const out: Refs = {};
    if (v.refs !== null && typeof v.refs === 'object')
      for (const [k, at] of Object.entries(v.refs as Record<string, unknown>))
        if (isSessionId(k) && typeof at === 'string' && Number.isFinite(Date.parse(at))) out[k] = at;
    return out;
  } catch {
    return {};
  }
}

async function touchRefs(paths: StatePaths, ids: readonly string[], now: Date): Promise<void> {
  const refs = await readRefs(paths);
  let dirty = false;
  for (const id of ids) {
    const last = Date.parse(refs[id] ?? '');
    if (Number.isFinite(last) && now.getTime() - last < REF_GRANULARITY_MS) continue;
    refs[id] = now.toISOString();
    dirty = true;
  }
  if (dirty) await writeFileDurable(refsPath(paths), `${JSON.stringify({ format: 'fleetkeeper-kept-refs', refs })}\n`);
}

/**
 * Drops kept transcripts no kept snapshot can reference: last referenced (with the refs'
 * granularity as margin) before the oldest snapshot still on disk. A kept file with no
 * reference recorded at all is kept (it may predate refs.json). Returns the ids dropped.
 */
export async function pruneKeptTranscripts(paths: StatePaths, oldestSnapshotAt: Date | null): Promise<string[]> {
  if (oldestSnapshotAt === null) return [];
  const refs = await readRefs(paths);
  const dropped: string[] = [];
  for (const [id, at] of Object.entries(refs)) {
    if (Date.parse(at) + REF_GRANULARITY_MS >= oldestSnapshotAt.getTime()) continue;
    await unlink(keptTranscriptPath(paths, id)).catch(() => undefined);
    delete refs[id];
    dropped.push(id);
  }
  if (dropped.length > 0)
    await writeFileDurable(refsPath(paths), `${JSON.stringify({ format: 'fleetkeeper-kept-refs', refs })}\n`);
  return dropped;
}

export interface KeptUsage {
  count: number;
  /** Bytes on disk of all kept transcripts. */
  bytes: number;
  /** Of those, bytes shared with Claude's own file (hard links): no extra space while Claude keeps it. */
  sharedBytes: number;
}

export async function keptUsage(paths: StatePaths): Promise<KeptUsage> {
  const u: KeptUsage = { count: 0, bytes: 0, sharedBytes: 0 };
  let names: string[];
  try {
    names = await readdir(keptDir(paths));
  } catch {
    return u;
  }
  for (const n of names) {
    if (!n.endsWith('.jsonl')) continue;
    const st = await lstat(join(keptDir(paths), n)).catch(() => null);
    if (st === null || !st.isFile()) continue;
    u.count++;
    const bytes = st.blocks * 512;
    u.bytes += bytes;
    if (st.nlink > 1) u.sharedBytes += bytes;
  }
  return u;
}
