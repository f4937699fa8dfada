import { mkdirSync, statSync, chmodSync, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '../../common/base/errors.js';

/** Every path of the state dir, in one place so the app, CLI, daemon and hook agree. */
export interface StatePaths {
  root: string;
  spoolTmp: string;
  spoolNew: string;
  archive: string;
  snapshots: string;
  /** conf/electron-store files live directly in root: registry.json, settings.json. */
  lockFile: string;
  daemonStatus: string;
}

/** `$FLEETKEEPER_HOME`, else the XDG state dir (Linux) or the app-data dir (macOS/Windows). */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const explicit = env.FLEETKEEPER_HOME;
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Fleetkeeper');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Fleetkeeper');
  const xdg = env.XDG_STATE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(home, '.local', 'state'), 'fleetkeeper');
}

export function statePaths(root: string): StatePaths {
  return {
    root,
    spoolTmp: join(root, 'spool', 'tmp'),
    spoolNew: join(root, 'spool', 'new'),
    archive: join(root, 'archive'),
    snapshots: join(root, 'snapshots'),
    lockFile: join(root, 'writer.lock'),
    daemonStatus: join(root, 'daemon-status.json'),
  };
}

/**
 * Creates the state dir tree 0700 (it holds paths and conversation ids) and refuses one
 * that other users can write to: anyone who can write there can plant a session id that
 * restore would type into a pane.
 */
export function ensureStateDir(root: string): StatePaths {
  const paths = statePaths(root);
  for (const dir of [paths.root, paths.spoolTmp, paths.spoolNew, paths.archive, paths.snapshots]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  assertPrivate(root);
  // Every entry at the top, and the spool's two folders: ours, not links, not writable by others.
  for (const name of readdirSync(root)) assertOwnEntry(join(root, name));
  for (const dir of [paths.spoolTmp, paths.spoolNew]) assertOwnEntry(dir);
  return paths;
}

/**
 * One entry inside the state dir, held to the root's own rule: a symlink would send our appends
 * and renames elsewhere (saves.jsonl through a link, snapshots/ into another folder), and a
 * folder or file others can write to lets them plant what restore types. Refused with the fix;
 * one merely readable by others is tightened.
 */
export function assertOwnEntry(path: string): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (a temp file)
    throw err;
  }
  if (st.isSymbolicLink()) {
    const to = ((): string => {
      try {
        return ` (to ${JSON.stringify(readlinkSync(path))})`;
      } catch {
        return '';
      }
    })();
    throw new InvalidInputError(
      `${path} in the state dir is a symbolic link${to}; the state dir must hold its own files and folders only: move it away (mv ${JSON.stringify(path)} ${JSON.stringify(`${path}.link`)}) and run again`,
    );
  }
  const dir = st.isDirectory();
  if (!dir && !st.isFile())
    throw new InvalidInputError(`${path} in the state dir is not a regular file or folder; move it away and run again`);
  const want = dir ? 0o700 : 0o600;
  if ((st.mode & 0o022) !== 0)
    throw new InvalidInputError(
      `${path} in the state dir is writable by group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod ${want.toString(8)} ${JSON.stringify(path)}`,
    );
  if ((st.mode & 0o077) !== 0) chmodSync(path, want);
}

export function assertPrivate(root: string): void {
  const st = statSync(root);
  if ((st.mode & 0o022) !== 0) {
    throw new InvalidInputError(
      `state dir ${root} is writable by group or others (mode ${(st.mode & 0o777).toString(8)}); run: chmod 700 ${JSON.stringify(root)}`,
    );
  }
  if ((st.mode & 0o077) !== 0) chmodSync(root, 0o700);
}
