import { CorruptFileError, errorMessage } from '../../common/base/errors.js';
import { durableWriteSync, tempPathFor } from './durable-file.js';
import { readRegularTextSync } from './safe-read.js';

/** Registry and settings documents are KBs; a file far bigger is not ours. */
const MAX_STORE_BYTES = 64 * 1024 * 1024;

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
      text = readRegularTextSync(this.path, MAX_STORE_BYTES);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CorruptFileError(this.path, `unreadable: ${errorMessage(err)}`, { cause: err });
    }
    if (text.trim() === '') return {};
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new CorruptFileError(this.path, `not valid JSON: ${errorMessage(err)}`, { cause: err });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new CorruptFileError(this.path, 'not a JSON object');
    return value as Record<string, unknown>;
  }

  set store(value: Record<string, unknown>) {
    const data = Buffer.from(`${JSON.stringify(value, null, '\t')}\n`, 'utf8');
    durableWriteSync({ tmp: tempPathFor(this.path), target: this.path, data, mode: 0o600, readBack: false });
  }
}
