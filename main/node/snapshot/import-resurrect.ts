import { lstat, readlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidInputError, errorMessage } from '../../common/base/errors.js';
import { SNAPSHOT_VERSION, type Snapshot } from '../../common/base/types.js';
import { parseResurrectFile } from '../../common/snapshot/resurrect-format.js';
import { readRegularText, UnsafeFileError } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';
import { withWriterLock } from '../base/writer-lock.js';
import { newSnapshotId, writeSnapshot } from './writer.js';

/** A save file of a few thousand panes is well under this; a bigger one is not a save file. */
const MAX_SAVE_BYTES = 16 * 1024 * 1024;

/** Where tmux-resurrect keeps its saves, in its own order of preference (its resurrect_dir). */
export function resurrectDirs(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? '';
  const data =
    env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return [join(home, '.tmux', 'resurrect'), join(data, 'tmux', 'resurrect')];
}

async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * The save file to read. resurrect's `last` is a symlink to a file name beside it: that one
 * link is followed, by name, within its own directory; the file itself is then opened without
 * following anything.
 */
export async function resolveSaveFile(file: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  let path: string;
  if (file !== undefined) path = resolve(file);
  else {
    const tried = resurrectDirs(env).map((d) => join(d, 'last'));
    const found: string[] = [];
    for (const t of tried) if ((await isLink(t)) || (await lstat(t).catch(() => null))?.isFile()) found.push(t);
    if (found.length === 0)
      throw new InvalidInputError(`no tmux-resurrect save found (looked for ${tried.join(' and ')}); pass FILE`);
    path = found[0] as string;
  }
  if (!(await isLink(path))) return path;
  const target = await readlink(path);
  if (target.includes('/') && resolve(dirname(path), target) !== join(dirname(path), basename(target)))
    throw new InvalidInputError(
      `${path} links outside its directory (${JSON.stringify(target)}): pass the save file itself`,
    );
  return join(dirname(path), basename(target));
}

export interface ImportResult {
  snapshot: Snapshot;
  file: string;
  notes: string[];
}

/**
 * Reads a tmux-resurrect save into one new snapshot, written like any other (durable, read
 * back, under the writer lock). A file with any malformed line is refused whole, every bad
 * line named: nothing half-imported is ever written.
 */
export async function importResurrect(
  paths: StatePaths,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  clock: () => Date,
): Promise<ImportResult> {
  const path = await resolveSaveFile(file, env);
  let text: string;
  let mtimeS = 0;
  try {
    text = await readRegularText(path, MAX_SAVE_BYTES);
    mtimeS = Math.floor((await lstat(path)).mtimeMs / 1000);
  } catch (err) {
    if (err instanceof UnsafeFileError || (err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InvalidInputError(`cannot import ${path}: ${errorMessage(err)}`, { cause: err });
    throw err;
  }
  const parsed = parseResurrectFile(text);
  if (!parsed.ok)
    throw new InvalidInputError(
      `${path} is not a tmux-resurrect save that can be imported (${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}; nothing was written): ${parsed.errors.join('; ')}`,
    );
  const now = clock();
  const snapshot = await withWriterLock(
    paths,
    `import-resurrect (pid ${process.pid})`,
    () =>
      writeSnapshot(paths, {
        format: 'fleetkeeper-snapshot',
        version: SNAPSHOT_VERSION,
        id: newSnapshotId(now),
        savedAt: now.toISOString(),
        trigger: 'import',
        // No server was read: the save file stands in for the socket, so the ids below
        // (made up, like the whole instance) can never be taken for a live server's.
        instance: { socketPath: path, pid: 1, startTime: mtimeS },
        sessions: parsed.fleet.sessions,
        importedFrom: { tool: 'tmux-resurrect', file: path },
      }),
    { waitMs: 15_000 },
  );
  return { snapshot, file: path, notes: parsed.fleet.notes };
}
