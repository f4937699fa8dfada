import * as fsp from 'node:fs/promises';
import { readRegularFile } from '../base/safe-read.js';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { InvalidInputError, WriteFailedError, errorMessage } from '../../common/base/errors.js';
import { shellQuote } from '../../common/base/shell-quote.js';
import { nodeFs, parseTempName, writeFileDurable } from '../base/durable-file.js';

export { claudeConfigDir, claudeSettingsPath } from './paths.js';
import {
  EVENTS,
  assess,
  isObj,
  rewriteEvent,
  validateShape,
  isOurHookCommand,
  type HookCommands,
  type HooksState,
  type Obj,
} from '../../common/claude/hook-entries.js';
import { sweepTemps } from '../base/temp-sweep.js';
export {
  HOOK_TIMEOUT_SECONDS,
  isOurHookCommand,
  type HookCommands,
  type HooksState,
} from '../../common/claude/hook-entries.js';

// Installs Fleetkeeper's SessionStart/SessionEnd hooks into Claude Code's settings.json.
// The user's file is theirs: everything we do not own is kept exactly, a backup is taken
// before any change, and a file we cannot understand is refused, never "repaired".

/** Claude's settings are KBs; far bigger is not a settings file we should load whole. */
const MAX_SETTINGS_BYTES = 16 * 1024 * 1024;

export interface HooksStatus {
  state: HooksState;
  settingsPath: string;
  detail: string;
}
export interface SettingsChange {
  changed: boolean;
  backupPath: string | null;
}

/** `<node> <cli> hook session-start|session-end`, each path shell-quoted. */
export function hookCommands(nodePath: string, cliPath: string): HookCommands {
  if (!isAbsolute(nodePath)) throw new InvalidInputError(`node path must be absolute: ${JSON.stringify(nodePath)}`);
  if (!isAbsolute(cliPath)) throw new InvalidInputError(`CLI path must be absolute: ${JSON.stringify(cliPath)}`);
  // Uninstall and upgrades find our entries by this name; a path without it could never be removed.
  if (!/fleetkeeper/i.test(cliPath)) {
    throw new InvalidInputError(
      `CLI path must contain "fleetkeeper" so its hooks can be recognised later: ${JSON.stringify(cliPath)}`,
    );
  }
  const base = `${shellQuote(nodePath)} ${shellQuote(cliPath)} hook`;
  return { sessionStart: `${base} session-start`, sessionEnd: `${base} session-end` };
}

interface Loaded {
  settingsPath: string;
  /** Where bytes are written: the symlink's target when settingsPath is a link. */
  target: string;
  raw: Buffer | null;
  mode: number | null;
  data: Obj;
}

async function resolveTarget(settingsPath: string): Promise<string> {
  const st = await fsp.lstat(settingsPath).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (st === null || !st.isSymbolicLink()) return settingsPath;
  try {
    return await fsp.realpath(settingsPath);
  } catch {
    // Dangling link: create its target rather than replacing the link with a file.
    return resolve(dirname(settingsPath), await fsp.readlink(settingsPath));
  }
}

async function load(settingsPath: string): Promise<Loaded> {
  const target = await resolveTarget(settingsPath);
  let raw: Buffer | null = null;
  let mode: number | null = null;
  try {
    // The resolved target (a symlinked settings.json is the user's choice): never a FIFO or device.
    raw = await readRegularFile(target, MAX_SETTINGS_BYTES);
    mode = (await fsp.stat(target)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InvalidInputError(`${settingsPath}: cannot read: ${errorMessage(e)}`, { cause: e });
    }
  }
  const text = raw?.toString('utf8') ?? '';
  let data: unknown = {};
  if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new InvalidInputError(`${settingsPath}: not valid JSON (${errorMessage(e)}); the file was left untouched`, {
        cause: e,
      });
    }
  }
  validateShape(data, settingsPath);
  return { settingsPath, target, raw, mode, data };
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

async function freeBackupPath(settingsPath: string): Promise<string> {
  const base = `${settingsPath}.fleetkeeper-backup-${stamp()}`;
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? base : `${base}-${i}`;
    const taken = await fsp.lstat(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}

/**
 * Removes temp files that our own killed writers left beside the settings file or its backups
 * (`.tmp-settings.json[.fleetkeeper-backup-…].<pid>.<8 hex>`, see durable-file.ts): the
 * user's config dir must not fill up with them. Only names of that exact shape whose writer
 * is gone are touched; best effort, never fails the install.
 */
async function sweepOurTemps(dir: string, name: string): Promise<void> {
  const backup = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.fleetkeeper-backup-[0-9TZ-]+$`);
  await sweepTemps(dir, (n) => {
    const t = parseTempName(n);
    return t !== null && (t.target === name || backup.test(t.target)) ? t : null;
  }).catch(() => 0);
}

/** Backups kept per settings file: enough to undo a few installs, not a growing pile of copies of secrets. */
export const KEEP_BACKUPS = 5;

/**
 * Keeps the newest KEEP_BACKUPS backups of `settingsPath` (their names sort by time) and makes
 * them 0600, older ones included from before this rule. Best effort: never fails the install.
 */
async function pruneBackups(settingsPath: string): Promise<void> {
  const dir = dirname(settingsPath);
  const esc = basename(settingsPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${esc}\\.fleetkeeper-backup-[0-9TZ-]+$`);
  const names = (await fsp.readdir(dir).catch(() => [] as string[])).filter((n) => re.test(n)).sort();
  for (const [i, n] of names.entries()) {
    const file = resolve(dir, n);
    const st = await fsp.lstat(file).catch(() => null);
    if (st === null || !st.isFile()) continue;
    if (i < names.length - KEEP_BACKUPS) await fsp.unlink(file).catch(() => undefined);
    else if ((st.mode & 0o077) !== 0) await fsp.chmod(file, 0o600).catch(() => undefined);
  }
}

/** Back up, then write `data` atomically over the target, keeping its mode. */
async function commit(loaded: Loaded, data: Obj): Promise<SettingsChange> {
  const { settingsPath, target, raw, mode } = loaded;
  if (target !== settingsPath) await sweepOurTemps(dirname(target), basename(target));
  // Checked by mode bits, not access(2): root may write anything, but the user said read-only.
  if (mode !== null && (mode & 0o222) === 0) {
    throw new WriteFailedError(
      settingsPath,
      `file is read-only (mode ${mode.toString(8).padStart(4, '0')}); nothing was changed`,
    );
  }
  let backupPath: string | null = null;
  if (raw !== null) {
    backupPath = await freeBackupPath(settingsPath);
    // 0600 whatever the settings' own mode: Claude's settings may hold API keys in `env`.
    await writeFileDurable(backupPath, raw, nodeFs, 0o600);
    await pruneBackups(settingsPath);
  }
  await fsp.mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFileDurable(target, `${JSON.stringify(data, null, 2)}\n`, nodeFs, mode ?? 0o600);
  // open(2) applies the umask; put back exactly the mode the user had.
  if (mode !== null && ((await fsp.stat(target)).mode & 0o7777) !== mode) await fsp.chmod(target, mode);
  return { changed: true, backupPath };
}

export async function hooksStatus(settingsPath: string, expected: HookCommands): Promise<HooksStatus> {
  if (expected.unavailable !== undefined) return { state: 'missing', settingsPath, detail: expected.unavailable };
  let loaded: Loaded;
  try {
    loaded = await load(settingsPath);
  } catch (e) {
    return { state: 'invalid', settingsPath, detail: errorMessage(e) };
  }
  if (loaded.raw === null) return { state: 'missing', settingsPath, detail: `${settingsPath} does not exist` };
  return { settingsPath, ...assess(loaded.data, expected) };
}

/** Idempotent: when our hooks are already exactly right, the file is not touched at all. */
export async function installHooks(settingsPath: string, expected: HookCommands): Promise<SettingsChange> {
  if (expected.unavailable !== undefined) throw new InvalidInputError(expected.unavailable);
  // Swept even when nothing changes: a killed earlier run may have left temps of ours.
  await sweepOurTemps(dirname(settingsPath), basename(settingsPath));
  const loaded = await load(settingsPath);
  if (assess(loaded.data, expected).state === 'installed') return { changed: false, backupPath: null };
  const data = structuredClone(loaded.data);
  if (!isObj(data.hooks)) data.hooks = {};
  const hooks = data.hooks as Obj;
  for (const [event, key] of EVENTS) {
    const want = expected[key];
    rewriteEvent(hooks, event, (cmd) => cmd === want || isOurHookCommand(cmd), want);
  }
  return commit(loaded, data);
}

/** Removes only commands recognised as ours; other hooks, groups and settings stay as they are. */
export async function uninstallHooks(settingsPath: string): Promise<SettingsChange> {
  await sweepOurTemps(dirname(settingsPath), basename(settingsPath));
  const loaded = await load(settingsPath);
  if (loaded.raw === null || !isObj(loaded.data.hooks)) return { changed: false, backupPath: null };
  const data = structuredClone(loaded.data);
  const hooks = data.hooks as Obj;
  let removed = 0;
  for (const [event] of EVENTS) removed += rewriteEvent(hooks, event, isOurHookCommand);
  if (removed === 0) return { changed: false, backupPath: null };
  if (Object.keys(hooks).length === 0) delete data.hooks;
  return commit(loaded, data);
}
