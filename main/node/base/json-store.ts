import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CorruptFileError, WriteFailedError, errorMessage } from '../../common/base/errors.js';
import { tempPathFor } from './durable-file.js';

/**
 * A plain JSON file with conf's `store` shape (get the whole object, set the whole object),
 * for the CLI and the daemon under plain Node: the same file format electron-store uses in
 * the app, without loading conf and its schema validator (~120 ms) on every CLI start — the
 * hook and `save` are on the clock. Every set is durable: temp file, fsync, rename, fsync dir.
 */
export class JsonFileStore {
  constructor(readonly path: string) {}

  get store(): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CorruptFileError(this.path, `unreadable: ${errorMessage(err)}`);
    }
    if (text.trim() === '') return {};
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new CorruptFileError(this.path, `not valid JSON: ${errorMessage(err)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new CorruptFileError(this.path, 'not a JSON object');
    return value as Record<string, unknown>;
  }

  set store(value: Record<string, unknown>) {
    const buf = Buffer.from(`${JSON.stringify(value, null, '\t')}\n`, 'utf8');
    const tmp = tempPathFor(this.path);
    let fd: number | null = null;
    try {
      fd = openSync(tmp, 'wx', 0o600);
      for (let off = 0; off < buf.length;) {
        const n = writeSync(fd, buf, off, buf.length - off, off);
        if (!(n > 0)) throw new Error(`short write: ${off} of ${buf.length} bytes`);
        off += n;
      }
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(tmp, this.path);
      const dir = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (err) {
      if (fd !== null) closeSync(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // already renamed or never created
      }
      throw new WriteFailedError(this.path, errorMessage(err));
    }
  }
}
