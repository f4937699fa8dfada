// The one way we open a file we only read (transcripts, snapshots, the registry and settings
// JSON, Claude's settings.json, the save log, the spool). A plain open(2) of a FIFO blocks until
// a writer appears, and it blocks one of libuv's four file-I/O threads with it: four such reads
// (a hook event may name any path as its transcript) froze every save of the app. Non-blocking
// and no-follow, then fstat: a FIFO, a device, a socket or a symlink planted where we expect a
// file is refused at once, and nothing larger than the caller's cap is read.
import * as fsp from 'node:fs/promises';
import { closeSync, constants, createWriteStream, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { FleetkeeperError } from '../../common/base/errors.js';

export const SAFE_READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export type UnsafeFileReason = 'symlink' | 'not-regular' | 'too-large';

/** A path we refuse to read: a symlink, not a regular file, or larger than the cap. */
export class UnsafeFileError extends FleetkeeperError {
  constructor(
    readonly path: string,
    readonly reason: UnsafeFileReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${detail}`, 'unsafe-file');
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function check(path: string, st: Stats, maxBytes: number): void {
  if (!st.isFile()) throw new UnsafeFileError(path, 'not-regular', `${kind(st)}, not a regular file: not read`);
  if (st.size > maxBytes)
    throw new UnsafeFileError(path, 'too-large', `too large (${st.size} bytes, at most ${maxBytes} read)`);
}

/** ELOOP is what O_NOFOLLOW gives for a symlink; every other error (ENOENT…) passes through. */
function openError(path: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException).code === 'ELOOP')
    return new UnsafeFileError(path, 'symlink', 'a symbolic link: not followed', { cause: err });
  return err;
}

/**
 * Opens a regular file for reading; the caller reads (at most `maxBytes`) and closes. Rejects
 * with UnsafeFileError for a symlink, a non-regular file or one already over the cap, with the
 * errno error (ENOENT, EACCES) otherwise.
 */
export async function openRegularFile(path: string, maxBytes: number): Promise<fsp.FileHandle> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(path, SAFE_READ_FLAGS);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    check(path, await h.stat(), maxBytes);
    return h;
  } catch (err) {
    await h.close().catch(() => undefined);
    throw err;
  }
}

/** The whole file, at most `maxBytes` (a file growing past the cap while read is refused too). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const h = await openRegularFile(path, maxBytes);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await h.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new UnsafeFileError(path, 'too-large', `grew past ${maxBytes} bytes while read`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await h.close().catch(() => undefined);
  }
}

export async function readRegularText(path: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(path, maxBytes)).toString('utf8');
}

/** Synchronous twin of openRegularFile, for the few synchronous readers (conf-shaped stores). */
export function openRegularFileSync(path: string, maxBytes: number): number {
  let fd: number;
  try {
    fd = openSync(path, SAFE_READ_FLAGS);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    check(path, fstatSync(fd), maxBytes);
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  const fd = openRegularFileSync(path, maxBytes);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new UnsafeFileError(path, 'too-large', `grew past ${maxBytes} bytes while read`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

export function readRegularTextSync(path: string, maxBytes: number): string {
  return readRegularFileSync(path, maxBytes).toString('utf8');
}

/**
 * Copies a regular file (opened as above, so never a FIFO or a symlink) to `dest`, which must not
 * exist yet; at most `maxBytes`. For copies of files named by others (a hook's transcript_path).
 */
export async function copyRegularFile(src: string, dest: string, maxBytes: number): Promise<void> {
  const h = await openRegularFile(src, maxBytes);
  try {
    await pipeline(
      h.createReadStream({ start: 0, end: maxBytes - 1, autoClose: false }),
      createWriteStream(dest, { flags: 'wx', mode: 0o600 }),
    );
  } finally {
    await h.close().catch(() => undefined);
  }
}
