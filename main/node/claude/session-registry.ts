// Reads Claude's `<config dir>/sessions/<pid>.json` for a live process. The file sits in a
// directory other programs write to: opened like every file we only read (no FIFO, no symlink,
// regular file, capped), and anything unexpected is "unavailable", never an exception.
import { join } from 'node:path';
import { errorMessage } from '../../common/base/errors.js';
import { parseRegistryEntry, type RegistryRead } from '../../common/claude/session-registry.js';
import { readRegularTextSync } from '../base/safe-read.js';

/** The real files are ~600 bytes; anything near this is not one of them. */
const MAX_REGISTRY_BYTES = 64 * 1024;

export function registryFile(configDir: string, pid: number): string {
  return join(configDir, 'sessions', `${pid}.json`);
}

export function readRegistryEntry(configDir: string, pid: number, procStart: string): RegistryRead {
  const file = registryFile(configDir, pid);
  let text: string;
  try {
    text = readRegularTextSync(file, MAX_REGISTRY_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'unavailable', why: `${file} does not exist` };
    return { kind: 'unavailable', why: `${file} is unreadable: ${errorMessage(err)}` };
  }
  return parseRegistryEntry(text, file, pid, procStart);
}
