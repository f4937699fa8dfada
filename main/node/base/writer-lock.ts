import * as fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { LockedError, WriteFailedError, errorMessage } from '../../common/base/errors.js';
import type { StatePaths } from './state-dir.js';
import { pidAlive, processStartToken } from './pid-alive.js';

// One writer (app, daemon or CLI) at a time over the registry and snapshots. The lock is a
// file created with O_EXCL; a holder that died leaves it behind, so a lock whose process is
// gone is stale and taken over, under a second short-lived guard file so that two processes
// finding the same stale lock cannot both take it.

export interface WriterLock {
  release(): Promise<void>;
  readonly holderPid: number;
}

interface LockContent {
  pid: number;
  owner: string;
  startedAt: string;
  token: string;
  /** Linux process start time (clock ticks since boot), to tell a reused pid from the holder. */
  pidStart: string | null;
}

const POLL_MS = 25;
/** A lock file that is still empty/partial after this long was left by a crash mid-create. */
const PARTIAL_STALE_MS = 5_000;
const GUARD_STALE_MS = 5_000;

function isAlive(pid: number, pidStart: string | null): boolean {
  if (!pidAlive(pid)) return false;
  if (pidStart !== null) {
    const now = processStartToken(pid);
    if (now !== null && now !== pidStart) return false;
  }
  return true;
}

function parseContent(text: string): LockContent | null {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return null;
    return {
      pid: v.pid,
      owner: typeof v.owner === 'string' ? v.owner : '?',
      startedAt: typeof v.startedAt === 'string' ? v.startedAt : '',
      token: typeof v.token === 'string' ? v.token : '',
      pidStart: typeof v.pidStart === 'string' ? v.pidStart : null,
    };
  } catch {
    return null;
  }
}

type Observed =
  | { kind: 'none' }
  | { kind: 'held'; content: LockContent; raw: string }
  | { kind: 'partial'; ageMs: number; raw: string };

async function observe(file: string): Promise<Observed> {
  let raw: string;
  let mtimeMs: number;
  try {
    const h = await fsp.open(file, 'r');
    try {
      mtimeMs = (await h.stat()).mtimeMs;
      raw = await h.readFile('utf8');
    } finally {
      await h.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  const content = parseContent(raw);
  if (content === null) return { kind: 'partial', ageMs: Date.now() - mtimeMs, raw };
  return { kind: 'held', content, raw };
}

async function tryCreate(file: string, content: LockContent): Promise<boolean> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new WriteFailedError(file, errorMessage(err), { cause: err });
  }
  try {
    await h.writeFile(JSON.stringify(content));
    await h.sync();
  } catch (err) {
    await h.close().catch(() => undefined);
    await fsp.unlink(file).catch(() => undefined);
    throw new WriteFailedError(file, errorMessage(err), { cause: err });
  }
  await h.close();
  return true;
}

/** Removes a stale lock only if it is still the very one we judged stale. */
async function takeOver(file: string, staleRaw: string): Promise<void> {
  const guard = `${file}.takeover`;
  const mine = randomBytes(8).toString('hex');
  try {
    await fsp.writeFile(guard, mine, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const st = await fsp.stat(guard).catch(() => null);
    if (st !== null && Date.now() - st.mtimeMs > GUARD_STALE_MS) await fsp.unlink(guard).catch(() => undefined);
    return;
  }
  try {
    const now = await fsp.readFile(file, 'utf8').catch(() => null);
    if (now === staleRaw) await fsp.unlink(file).catch(() => undefined);
  } finally {
    if ((await fsp.readFile(guard, 'utf8').catch(() => '')) === mine) await fsp.unlink(guard).catch(() => undefined);
  }
}

/**
 * Takes the single-writer lock, waiting up to `waitMs` (default 0) for a live holder.
 * Throws LockedError naming the holder's pid when it cannot.
 */
export async function acquireWriterLock(
  paths: StatePaths,
  owner: string,
  opts: { waitMs?: number } = {},
): Promise<WriterLock> {
  const file = paths.lockFile;
  const deadline = Date.now() + (opts.waitMs ?? 0);
  const content: LockContent = {
    pid: process.pid,
    owner,
    startedAt: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
    pidStart: processStartToken(process.pid),
  };
  for (;;) {
    if (await tryCreate(file, content)) return makeLock(file, content);
    const seen = await observe(file);
    let holderPid = 0;
    if (seen.kind === 'held') {
      if (!isAlive(seen.content.pid, seen.content.pidStart)) {
        await takeOver(file, seen.raw);
        continue;
      }
      holderPid = seen.content.pid;
    } else if (seen.kind === 'partial' && seen.ageMs > PARTIAL_STALE_MS) {
      await takeOver(file, seen.raw);
      continue;
    } else if (seen.kind === 'none') {
      continue;
    }
    if (Date.now() >= deadline) {
      const who =
        seen.kind === 'held' ? ` (${seen.content.owner}, since ${seen.content.startedAt})` : ' (being created)';
      throw new LockedError(holderPid, `fleetkeeper state dir ${paths.root}${who}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function makeLock(file: string, content: LockContent): WriterLock {
  let released = false;
  return {
    holderPid: content.pid,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      // Only ever remove our own lock: if it was taken over, the file is someone else's now.
      const seen = await observe(file);
      if (seen.kind === 'held' && seen.content.token === content.token) await fsp.unlink(file).catch(() => undefined);
    },
  };
}

export async function withWriterLock<T>(
  paths: StatePaths,
  owner: string,
  fn: () => Promise<T>,
  opts: { waitMs?: number } = {},
): Promise<T> {
  const lock = await acquireWriterLock(paths, owner, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** The live holder of the lock, or null when there is none (or only a stale one). */
export async function readLockHolder(paths: StatePaths): Promise<{ pid: number; owner: string } | null> {
  const seen = await observe(paths.lockFile);
  if (seen.kind !== 'held' || !isAlive(seen.content.pid, seen.content.pidStart)) return null;
  return { pid: seen.content.pid, owner: seen.content.owner };
}
