import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAutostart,
  desktopEntry,
  desktopExec,
  launchCommand,
  parseDesktopExec,
  xdgAutostartFile,
  type LoginItemsApi,
} from './autostart.js';

const NASTY = [
  'plain',
  'with space',
  'dq"uote',
  "sq'uote",
  'back\\slash',
  'dollar $HOME and `cmd`',
  '100% and %U',
  'semi;amp&pipe|star*q?hash#(paren)<>~',
  'tab\there',
  '',
];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-autostart-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('desktop entry quoting', () => {
  it('writes the spec’s escapes: quotes, four backslashes, doubled %', () => {
    expect(desktopExec(['/opt/Fleet keeper/app', 'a"b', 'c\\d', '50%', 'x$y'])).toBe(
      '"/opt/Fleet keeper/app" "a\\\\"b" "c\\\\\\\\d" 50%% "x\\\\$y"',
    );
    expect(desktopExec(['/usr/bin/fleetkeeper'])).toBe('/usr/bin/fleetkeeper');
  });

  it('round-trips every awkward argument through parse', () => {
    expect(parseDesktopExec(desktopExec(NASTY))).toEqual(NASTY);
  });

  it('refuses an empty command and an unterminated quote', () => {
    expect(() => desktopExec([])).toThrow(/empty/);
    expect(() => parseDesktopExec('"/bin/x')).toThrow(/unterminated quote in Exec="\\"\/bin\/x"/);
  });

  // GLib's own desktop-entry parser (what GNOME and most autostart implementations run) must
  // hand our program exactly the arguments we meant.
  it.skipIf(!existsSync('/usr/bin/gio'))(
    'GLib (gio launch) starts the entry with exactly these arguments',
    async () => {
      const script = join(dir, 'dir with "odd" $chars', 'argv.cjs');
      const out = join(dir, 'argv.json');
      await mkdir(join(dir, 'dir with "odd" $chars'));
      await writeFile(
        script,
        `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(1)));`,
      );
      const file = join(dir, 'probe.desktop');
      await writeFile(file, desktopEntry([process.execPath, script, ...NASTY.filter((a) => !a.includes('\t'))]));
      execFileSync('/usr/bin/gio', ['launch', file], { timeout: 10_000, env: { ...process.env, DISPLAY: '' } });
      for (let i = 0; i < 100 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
      expect(JSON.parse(await readFile(out, 'utf8'))).toEqual([script, ...NASTY.filter((a) => !a.includes('\t'))]);
    },
  );
});

describe('launchCommand', () => {
  it('runs the AppImage itself when packaged as one, the binary when packaged otherwise, electron + app dir in dev', () => {
    const base = { execPath: '/tmp/.mount_Fleet/fleetkeeper', appPath: '/src/fk', env: {} };
    expect(launchCommand({ ...base, packaged: true, env: { APPIMAGE: '/home/u/Apps/Fleetkeeper.AppImage' } })).toEqual([
      '/home/u/Apps/Fleetkeeper.AppImage',
    ]);
    expect(launchCommand({ ...base, packaged: true, env: { APPIMAGE: 'relative.AppImage' } })).toEqual([
      '/tmp/.mount_Fleet/fleetkeeper',
    ]);
    expect(launchCommand({ ...base, packaged: true })).toEqual(['/tmp/.mount_Fleet/fleetkeeper']);
    expect(
      launchCommand({ ...base, packaged: false, execPath: '/src/fk/node_modules/electron/dist/electron' }),
    ).toEqual(['/src/fk/node_modules/electron/dist/electron', '/src/fk']);
  });
});

describe('XDG autostart (Linux)', () => {
  const launch = (env: NodeJS.ProcessEnv) => ({
    packaged: false,
    execPath: '/src/my fk/node_modules/electron/dist/electron',
    appPath: '/src/my fk',
    env,
  });

  it('uses $XDG_CONFIG_HOME when absolute, ~/.config otherwise', () => {
    expect(xdgAutostartFile({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/autostart/fleetkeeper.desktop');
    expect(xdgAutostartFile({ XDG_CONFIG_HOME: 'rel' }, '/home/u')).toBe(
      '/home/u/.config/autostart/fleetkeeper.desktop',
    );
    expect(xdgAutostartFile({}, '/home/u')).toBe('/home/u/.config/autostart/fleetkeeper.desktop');
  });

  it('writes, reads back from disk and removes the entry', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'cfg') };
    const a = createAutostart({ platform: 'linux', launch: launch(env) });
    const file = join(dir, 'cfg', 'autostart', 'fleetkeeper.desktop');
    expect(await a.read()).toMatchObject({ supported: true, enabled: false });

    const on = await a.set(true);
    expect(on).toMatchObject({
      supported: true,
      enabled: true,
      matchesCurrent: true,
      command: ['/src/my fk/node_modules/electron/dist/electron', '/src/my fk'],
    });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('Exec="/src/my fk/node_modules/electron/dist/electron" "/src/my fk"\n');
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o644);

    // A second instance (or the next app start) sees the same thing: it is read from disk.
    expect(await createAutostart({ platform: 'linux', launch: launch(env) }).read()).toMatchObject({ enabled: true });

    expect(await a.set(false)).toMatchObject({ enabled: false });
    expect(existsSync(file)).toBe(false);
    expect(await a.set(false)).toMatchObject({ enabled: false });
  });

  it('reads what the user or the desktop did to the file, not what it wrote', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'cfg') };
    const a = createAutostart({ platform: 'linux', launch: launch(env) });
    await a.set(true);
    const file = join(dir, 'cfg', 'autostart', 'fleetkeeper.desktop');
    // GNOME Tweaks disables an entry by flipping this key rather than deleting the file.
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
    );
    expect(await a.read()).toMatchObject({ enabled: false, detail: expect.stringContaining('disabled') });
    await writeFile(file, '[Desktop Entry]\nType=Application\nExec=/old/place/Fleetkeeper.AppImage\n');
    expect(await a.read()).toMatchObject({
      enabled: true,
      matchesCurrent: false,
      detail: expect.stringContaining('/old/place/Fleetkeeper.AppImage'),
    });
    await writeFile(file, '[Desktop Entry]\nHidden=true\nExec=x\n');
    expect(await a.read()).toMatchObject({ enabled: false });
    await writeFile(file, '[Other Group]\nExec=x\n');
    expect(await a.read()).toMatchObject({ enabled: false, detail: expect.stringContaining('no Exec=') });
  });
});

describe('login items (macOS, Windows)', () => {
  /** Stands in for the OS login-item registry at the Electron API boundary. */
  class FakeLoginItems implements LoginItemsApi {
    entries = new Map<string, boolean>();
    calls: unknown[] = [];
    getLoginItemSettings(o?: { path?: string; args?: string[] }): { openAtLogin: boolean } {
      this.calls.push(['get', o]);
      return { openAtLogin: this.entries.get(JSON.stringify(o ?? null)) ?? false };
    }
    setLoginItemSettings(s: { openAtLogin: boolean; path?: string; args?: string[] }): void {
      this.calls.push(['set', s]);
      const key = s.path === undefined ? null : { path: s.path, args: s.args };
      this.entries.set(JSON.stringify(key), s.openAtLogin);
    }
  }

  it('on Windows registers the dev command with path and args and reads it back with the same', async () => {
    const api = new FakeLoginItems();
    const a = createAutostart({
      platform: 'win32',
      loginItems: api,
      launch: { packaged: false, execPath: 'C:\\e\\electron.exe', appPath: 'C:\\src\\fk', env: {} },
    });
    expect(await a.set(true)).toMatchObject({ supported: true, enabled: true });
    expect(api.calls[0]).toEqual(['set', { openAtLogin: true, path: 'C:\\e\\electron.exe', args: ['C:\\src\\fk'] }]);
    expect(await a.set(false)).toMatchObject({ enabled: false });
  });

  it('on macOS uses the plain login item', async () => {
    const api = new FakeLoginItems();
    const a = createAutostart({
      platform: 'darwin',
      loginItems: api,
      launch: {
        packaged: true,
        execPath: '/Applications/Fleetkeeper.app/Contents/MacOS/Fleetkeeper',
        appPath: '',
        env: {},
      },
    });
    expect(await a.set(true)).toMatchObject({ enabled: true });
    expect(api.calls[0]).toEqual(['set', { openAtLogin: true }]);
  });

  it('says it is unsupported where there is no mechanism', async () => {
    const a = createAutostart({ platform: 'win32', launch: { packaged: true, execPath: 'x', appPath: '', env: {} } });
    expect(await a.set(true)).toEqual({
      supported: false,
      enabled: false,
      detail: 'start at login is not supported on win32',
    });
  });
});
