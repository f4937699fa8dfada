// Start at login. Linux: an XDG autostart desktop entry; macOS/Windows: the system's login
// items through Electron's app API, injected so this file stays free of Electron. Whatever
// the menu shows comes from read(), which asks the system (the file on disk, the login item
// settings), never from a remembered flag.
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { InvalidInputError, errorMessage } from '../../common/base/errors.js';
import { writeFileDurable } from '../base/durable-file.js';

export interface AutostartStatus {
  supported: boolean;
  enabled: boolean;
  /** Human-readable: where it is registered, or why not. */
  detail: string;
  /** Linux: the command in the entry, and whether it is the one this app would write now. */
  command?: string[];
  matchesCurrent?: boolean;
}

export interface Autostart {
  read(): Promise<AutostartStatus>;
  /** Writes or removes the registration, then returns what the system now says. */
  set(enabled: boolean): Promise<AutostartStatus>;
}

/** The slice of Electron's `app` used on macOS and Windows. */
export interface LoginItemsApi {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface LaunchInfo {
  packaged: boolean;
  /** process.execPath: the app binary when packaged, the electron binary in dev. */
  execPath: string;
  /** app.getAppPath(): the project dir in dev. */
  appPath: string;
  env: NodeJS.ProcessEnv;
}

/** What starts this app again: the AppImage itself when run from one (execPath points into its temporary mount). */
export function launchCommand(info: LaunchInfo): string[] {
  if (info.packaged) return [info.env.APPIMAGE && isAbsolute(info.env.APPIMAGE) ? info.env.APPIMAGE : info.execPath];
  return [info.execPath, info.appPath];
}

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec= value per the Desktop Entry spec: an argument with a reserved character is
 * double-quoted with " ` $ \ backslash-escaped inside; % is doubled (field codes); then the
 * general string escapes apply on top (\\ \n \t \r), so a literal backslash ends up as four.
 */
export function desktopExec(argv: readonly string[]): string {
  if (argv.length === 0) throw new InvalidInputError('autostart command is empty');
  const quoted = argv.map((arg) => {
    if (arg === '') return '""';
    const a = arg.replace(/%/g, '%%');
    return RESERVED.test(a) ? `"${a.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : a;
  });
  return quoted
    .join(' ')
    .replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
}

function unescapeValue(v: string): string {
  return v.replace(/\\([\\nstr])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', s: ' ', t: '\t', r: '\r' })[c] ?? c);
}

/** The inverse of desktopExec (for reading an entry back); refuses what it cannot parse. */
export function parseDesktopExec(value: string): string[] {
  const s = unescapeValue(value);
  const out: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      cur ??= '';
      for (i++; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\' && i + 1 < s.length && '"`$\\'.includes(s[i + 1]!)) i++;
        cur += s[i];
      }
      if (i >= s.length) throw new InvalidInputError(`unterminated quote in Exec=${JSON.stringify(value)}`);
    } else if (c === ' ') {
      if (cur !== null) out.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) out.push(cur);
  return out.map((a) => a.replace(/%%/g, '%'));
}

export function desktopEntry(argv: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Fleetkeeper',
    'Comment=Keeps your tmux panes and their Claude Code conversations restorable',
    `Exec=${desktopExec(argv)}`,
    'Terminal=false',
    'StartupNotify=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Key → raw value of the [Desktop Entry] group. */
export function parseDesktopEntry(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inGroup = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('[')) {
      inGroup = line.trim() === '[Desktop Entry]';
      continue;
    }
    const eq = line.indexOf('=');
    if (!inGroup || line.startsWith('#') || eq < 0) continue;
    keys.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return keys;
}

/** $XDG_CONFIG_HOME/autostart/fleetkeeper.desktop (a relative XDG_CONFIG_HOME is ignored, per the spec). */
export function xdgAutostartFile(env: NodeJS.ProcessEnv, home = homedir()): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'autostart', 'fleetkeeper.desktop');
}

export class XdgAutostart implements Autostart {
  constructor(
    readonly file: string,
    private readonly command: readonly string[],
  ) {}

  async read(): Promise<AutostartStatus> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { supported: true, enabled: false, detail: `no entry at ${this.file}` };
      return { supported: true, enabled: false, detail: `cannot read ${this.file}: ${errorMessage(err)}` };
    }
    const keys = parseDesktopEntry(text);
    const exec = keys.get('Exec');
    if (exec === undefined) return { supported: true, enabled: false, detail: `${this.file} has no Exec= line` };
    let command: string[];
    try {
      command = parseDesktopExec(exec);
    } catch (err) {
      return { supported: true, enabled: false, detail: errorMessage(err) };
    }
    const hidden = keys.get('Hidden') === 'true' || keys.get('X-GNOME-Autostart-enabled') === 'false';
    const matchesCurrent = command.length === this.command.length && command.every((a, i) => a === this.command[i]);
    const detail = hidden
      ? `${this.file} is disabled (Hidden or X-GNOME-Autostart-enabled=false)`
      : matchesCurrent
        ? `starts at login from ${this.file}`
        : `${this.file} starts a different command: ${command.join(' ')}`;
    return { supported: true, enabled: !hidden, detail, command, matchesCurrent };
  }

  async set(enabled: boolean): Promise<AutostartStatus> {
    if (enabled) {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileDurable(this.file, desktopEntry(this.command), undefined, 0o644);
    } else {
      await unlink(this.file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    return this.read();
  }
}

export class LoginItemsAutostart implements Autostart {
  constructor(
    private readonly api: LoginItemsApi,
    private readonly command: readonly string[],
    private readonly platform: string,
  ) {}

  private where(): { path: string; args: string[] } {
    return { path: this.command[0]!, args: this.command.slice(1) };
  }

  async read(): Promise<AutostartStatus> {
    // Windows matches the registry entry by path and args, so ask with the same ones we set.
    const enabled = this.api.getLoginItemSettings(this.platform === 'win32' ? this.where() : undefined).openAtLogin;
    return { supported: true, enabled, detail: enabled ? 'registered as a login item' : 'not a login item' };
  }

  async set(enabled: boolean): Promise<AutostartStatus> {
    this.api.setLoginItemSettings({ openAtLogin: enabled, ...(this.platform === 'win32' ? this.where() : {}) });
    return this.read();
  }
}

class UnsupportedAutostart implements Autostart {
  constructor(private readonly platform: string) {}
  async read(): Promise<AutostartStatus> {
    return { supported: false, enabled: false, detail: `start at login is not supported on ${this.platform}` };
  }
  async set(): Promise<AutostartStatus> {
    return this.read();
  }
}

export function createAutostart(opts: {
  platform: NodeJS.Platform;
  launch: LaunchInfo;
  loginItems?: LoginItemsApi;
  home?: string;
}): Autostart {
  const command = launchCommand(opts.launch);
  if (opts.platform === 'linux' || opts.platform === 'freebsd' || opts.platform === 'openbsd') {
    return new XdgAutostart(xdgAutostartFile(opts.launch.env, opts.home), command);
  }
  if ((opts.platform === 'darwin' || opts.platform === 'win32') && opts.loginItems) {
    return new LoginItemsAutostart(opts.loginItems, command, opts.platform);
  }
  return new UnsupportedAutostart(opts.platform);
}
