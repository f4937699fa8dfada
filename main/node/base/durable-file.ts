import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WriteFailedError, errorMessage } from '../../common/base/errors.js';

/**
 * The filesystem calls a durable write makes, injectable so fault-injection tests can fail
 * the k-th one. Production passes `nodeFs`.
 */
export interface DurableFs {
  open(path: string, flags: string, mode?: number): Promise<fsp.FileHandle>;
  write(handle: fsp.FileHandle, buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  fsync(handle: fsp.FileHandle): Promise<void>;
  close(handle: fsp.FileHandle): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  unlink(path: string): Promise<void>;
}

export const nodeFs: DurableFs = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  write: async (h, buf, offset, length, position) => (await h.write(buf, offset, length, position)).bytesWritten,
  fsync: (h) => h.sync(),
  close: (h) => h.close(),
  rename: (from, to) => fsp.rename(from, to),
  readFile: (path) => fsp.readFile(path),
  unlink: (path) => fsp.unlink(path),
};

/** The same calls, blocking: for conf's synchronous `store` setter (JsonFileStore). */
interface DurableFsSync {
  open(path: string, flags: string, mode?: number): number;
  write(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  readFile(path: string): Buffer;
  unlink(path: string): void;
}

const nodeFsSync: DurableFsSync = {
  open: (path, flags, mode) => fs.openSync(path, flags, mode),
  write: (fd, buf, offset, length, position) => fs.writeSync(fd, buf, offset, length, position),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  readFile: (path) => fs.readFileSync(path),
  unlink: (path) => fs.unlinkSync(path),
};

export const TEMP_PREFIX = '.tmp-';

/** A temp name in the same directory (rename must not cross filesystems). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/** The target and writer pid of a tempPathFor name (`.tmp-<target>.<pid>.<8 hex>`), else null. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = /^\.tmp-(.+)\.(\d+)\.[0-9a-f]{8}$/.exec(name);
  return m === null ? null : { target: m[1] as string, pid: Number(m[2]) };
}

// The write loop is written once, as a generator of filesystem calls; `runAsync` and `runSync`
// perform them. Each call's result (or error) is sent back into the generator, so its
// try/finally and catch run the same way under both.
type Call =
  | { op: 'open'; path: string; flags: string; mode?: number }
  | { op: 'write'; h: unknown; buf: Buffer; off: number; len: number; pos: number }
  | { op: 'fsync' | 'close'; h: unknown }
  | { op: 'rename'; from: string; to: string }
  | { op: 'readFile' | 'unlink'; path: string };
type Steps = Generator<Call, void, unknown>;

function perform<H>(fs: DurableFsLike<H>, c: Call): unknown {
  switch (c.op) {
    case 'open':
      return fs.open(c.path, c.flags, c.mode);
    case 'write':
      return fs.write(c.h as H, c.buf, c.off, c.len, c.pos);
    case 'fsync':
      return fs.fsync(c.h as H);
    case 'close':
      return fs.close(c.h as H);
    case 'rename':
      return fs.rename(c.from, c.to);
    case 'readFile':
      return fs.readFile(c.path);
    case 'unlink':
      return fs.unlink(c.path);
  }
}

interface DurableFsLike<H> {
  open(path: string, flags: string, mode?: number): unknown;
  write(h: H, buf: Buffer, offset: number, length: number, position: number): unknown;
  fsync(h: H): unknown;
  close(h: H): unknown;
  rename(from: string, to: string): unknown;
  readFile(path: string): unknown;
  unlink(path: string): unknown;
}

async function runAsync(steps: Steps, fs: DurableFs): Promise<void> {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await perform(fs, next.value);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(result);
  }
}

function runSync(steps: Steps, fs: DurableFsSync): void {
  let next = steps.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = perform(fs, next.value);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(result);
  }
}

function* fsyncDirSteps(dir: string): Steps {
  const h = yield { op: 'open', path: dir, flags: 'r' };
  try {
    yield { op: 'fsync', h };
  } finally {
    yield { op: 'close', h };
  }
}

export interface DurableWrite {
  /** Where the bytes are staged; must be on the target's filesystem. */
  tmp: string;
  target: string;
  data: Buffer;
  mode: number;
  /** Read the staged file and the renamed target back and compare them with `data`. */
  readBack: boolean;
}

/**
 * The one durable write: create the temp exclusively, loop until every byte is written,
 * fsync, close, (read back), rename over the target, fsync the target's directory, (read
 * back). Any failure throws WriteFailedError naming the target; the temp is removed unless
 * it was already renamed, so the previous content of the target stays in place.
 */
function* durableSteps(w: DurableWrite): Steps {
  const { tmp, target, data: buf } = w;
  let renamed = false;
  try {
    const h = yield { op: 'open', path: tmp, flags: 'wx', mode: w.mode };
    try {
      let off = 0;
      while (off < buf.length) {
        const n = (yield { op: 'write', h, buf, off, len: buf.length - off, pos: off }) as number;
        if (!(n > 0)) throw new Error(`short write: ${off} of ${buf.length} bytes`);
        off += n;
      }
      yield { op: 'fsync', h };
    } finally {
      yield { op: 'close', h };
    }
    if (w.readBack) {
      // Read back BEFORE the rename: a write that reported success but stored less (full disk,
      // a lying driver) must fail with the previous content still in place, not after it was
      // replaced by a torn file.
      const staged = (yield { op: 'readFile', path: tmp }) as Buffer;
      if (!staged.equals(buf))
        throw new Error(`read-back of the temp file differs (${staged.length} of ${buf.length} bytes)`);
    }
    yield { op: 'rename', from: tmp, to: target };
    renamed = true;
    yield* fsyncDirSteps(dirname(target));
    if (w.readBack) {
      const back = (yield { op: 'readFile', path: target }) as Buffer;
      if (!back.equals(buf)) throw new Error(`read-back differs (${back.length} of ${buf.length} bytes)`);
    }
  } catch (err) {
    if (!renamed) {
      try {
        yield { op: 'unlink', path: tmp };
      } catch {
        // never created, or already gone
      }
    }
    throw err instanceof WriteFailedError ? err : new WriteFailedError(target, errorMessage(err), { cause: err });
  }
}

export function durableWrite(w: DurableWrite, fs: DurableFs = nodeFs): Promise<void> {
  return runAsync(durableSteps(w), fs);
}

/** durableWrite, blocking (for synchronous setters only). */
export function durableWriteSync(w: DurableWrite): void {
  runSync(durableSteps(w), nodeFsSync);
}

/** fsync a directory so a rename into it survives power loss. */
export function fsyncDir(dir: string, fs: DurableFs = nodeFs): Promise<void> {
  return runAsync(fsyncDirSteps(dir), fs);
}

/**
 * Write `data` to `target` so that after this resolves the bytes are on disk under that name
 * and read back identical (durableWrite through a temp file beside it). Any failure throws
 * WriteFailedError and leaves the previous content of `target` untouched.
 */
export function writeFileDurable(
  target: string,
  data: Buffer | string,
  fs: DurableFs = nodeFs,
  mode = 0o600,
): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return durableWrite({ tmp: tempPathFor(target), target, data: buf, mode, readBack: true }, fs);
}
