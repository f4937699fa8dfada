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

export const TEMP_PREFIX = '.tmp-';

/** A temp name in the same directory (rename must not cross filesystems). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/** fsync a directory so a rename into it survives power loss. */
export async function fsyncDir(dir: string, fs: DurableFs = nodeFs): Promise<void> {
  const h = await fs.open(dir, 'r');
  try {
    await fs.fsync(h);
  } finally {
    await fs.close(h);
  }
}

/**
 * Write `data` to `target` so that after this resolves the bytes are on disk under that name
 * and read back identical: temp file, loop until every byte is written, fsync, rename, fsync
 * the directory, read back and compare. Any failure throws WriteFailedError and leaves the
 * previous content of `target` untouched (the temp file is removed where possible).
 */
export async function writeFileDurable(
  target: string,
  data: Buffer | string,
  fs: DurableFs = nodeFs,
  mode = 0o600,
): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempPathFor(target);
  let renamed = false;
  try {
    const h = await fs.open(tmp, 'wx', mode);
    try {
      let off = 0;
      while (off < buf.length) {
        const n = await fs.write(h, buf, off, buf.length - off, off);
        if (!(n > 0)) throw new Error(`short write: ${off} of ${buf.length} bytes`);
        off += n;
      }
      await fs.fsync(h);
    } finally {
      await fs.close(h);
    }
    // Read back BEFORE the rename: a write that reported success but stored less (full disk,
    // a lying driver) must fail with the previous content still in place, not after it was
    // replaced by a torn file.
    const staged = await fs.readFile(tmp);
    if (!staged.equals(buf))
      throw new Error(`read-back of the temp file differs (${staged.length} of ${buf.length} bytes)`);
    await fs.rename(tmp, target);
    renamed = true;
    await fsyncDir(dirname(target), fs);
    const back = await fs.readFile(target);
    if (!back.equals(buf)) throw new Error(`read-back differs (${back.length} of ${buf.length} bytes)`);
  } catch (err) {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
    throw err instanceof WriteFailedError ? err : new WriteFailedError(target, errorMessage(err));
  }
}
