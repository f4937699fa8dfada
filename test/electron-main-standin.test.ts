// The BUILT Electron entry (dist/main/electron-main/main.js) under plain Node, with a strict
// stand-in for the `electron` module (test/helpers/electron-standin/: a resolution hook
// registered with module.register; the stand-in throws on any API it does not model). It
// checks what otherwise only a real, packaged run would catch: every path handed to Electron
// exists and is shipped by electron-builder, the order of start-up, and that Quit waits for the
// controller. The real Electron runs in test/electron-e2e.test.ts where its binary is installed.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { INVOKE_CHANNELS } from '../shared/ipc-contract.js';
import { ICON_FOR_STATE, trayIconFile, type TrayPlatform } from '../main/common/tray/tray-model.js';

const execFileP = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'main', 'electron-main', 'main.js');
const STANDIN = join(ROOT, 'test', 'helpers', 'electron-standin');

interface Call {
  seq: number;
  api: string;
  args: unknown[];
}
interface Run {
  error: string | null;
  calls: Call[];
  ipc: Record<string, { ok: boolean; error?: { code: string } }>;
  preventedFirstQuit?: number;
  preventedSecondQuit?: number;
  pushedAfterSettings?: boolean;
  permissions?: { request: boolean[]; check: boolean | undefined };
  resources: string;
}

interface BuilderConfig {
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
}
const builder = yaml.load(readFileSync(join(ROOT, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;

const glob = (p: string, pattern: string): boolean => path.posix.matchesGlob(p, pattern);

/** Whether electron-builder puts the file at `rel` (relative to the app root) into the app. */
function inFiles(rel: string): boolean {
  const pos = builder.files.filter((f) => !f.startsWith('!'));
  const neg = builder.files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  return pos.some((g) => glob(rel, g)) && !neg.some((g) => glob(rel, g));
}

/**
 * Where a packaged app's path comes from: under resources/, an extraResources entry (its source
 * must exist and pass the entry's filter); elsewhere, a file of the app itself (`files`).
 */
function shippedSource(p: string, resources: string): string | null {
  if (p.startsWith(`${resources}/`)) {
    const rel = relative(resources, p);
    for (const e of builder.extraResources) {
      if (!rel.startsWith(`${e.to}/`)) continue;
      const sub = rel.slice(e.to.length + 1);
      if (e.filter !== undefined && !e.filter.some((g) => glob(sub, g))) continue;
      return join(ROOT, e.from, sub);
    }
    return null;
  }
  const rel = relative(ROOT, p);
  return inFiles(rel) ? p : null;
}

let root: string;

async function run(opts: { platform: NodeJS.Platform; packaged: boolean; lock?: boolean }): Promise<Run> {
  const dir = mkdtempSync(join(root, `${opts.platform}-${opts.packaged ? 'packaged' : 'dev'}-`));
  for (const d of ['home', 'state', 'claude']) mkdirSync(join(dir, d));
  const resources = join(dir, 'resources');
  const out = join(dir, 'out.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    FLEETKEEPER_HOME: join(dir, 'state'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    // An isolated socket with no server: the daemon waits quietly, and never starts one.
    FLEETKEEPER_TMUX_SOCKET: `fk-standin-${process.pid}-${opts.platform}`,
    FK_STANDIN_OUT: out,
    FK_STANDIN_PLATFORM: opts.platform,
    FK_STANDIN_PACKAGED: opts.packaged ? '1' : '0',
    FK_STANDIN_RESOURCES: resources,
    FK_STANDIN_LOCK: opts.lock === false ? '0' : '1',
  };
  await execFileP(process.execPath, ['--import', './register.mjs', 'drive.mjs', MAIN], {
    cwd: STANDIN,
    env,
    timeout: 60_000,
  });
  return { ...(JSON.parse(readFileSync(out, 'utf8')) as Omit<Run, 'resources'>), resources };
}

const first = (r: Run, api: string): Call | undefined => r.calls.find((c) => c.api === api);
const all = (r: Run, api: string): Call[] => r.calls.filter((c) => c.api === api);

/** Every path main.js handed to Electron, with the API it went to. */
function pathsHanded(r: Run): { api: string; path: string }[] {
  const out: { api: string; path: string }[] = [];
  for (const c of r.calls) {
    if (c.api === 'new Tray' || c.api === 'Tray.setImage' || c.api === 'nativeImage.createFromPath')
      out.push({ api: c.api, path: c.args[0] as string });
    if (c.api === 'BrowserWindow.loadFile') out.push({ api: c.api, path: c.args[0] as string });
    if (c.api === 'new BrowserWindow') {
      const o = c.args[0] as { icon?: string; webPreferences?: { preload?: string } };
      out.push({ api: 'BrowserWindow icon', path: o.icon ?? '(none)' });
      out.push({ api: 'BrowserWindow preload', path: o.webPreferences?.preload ?? '(none)' });
    }
  }
  return out;
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build`);
  root = mkdtempSync(join(tmpdir(), 'fk-standin-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the built Electron entry under a strict stand-in', () => {
  it('denies every permission request and check, set before any window exists (issue 12, finding 6)', async () => {
    const r = await run({ platform: 'linux', packaged: false });
    expect(r.error).toBeNull();
    const req = first(r, 'session.setPermissionRequestHandler');
    const check = first(r, 'session.setPermissionCheckHandler');
    expect(req).toBeDefined();
    expect(check).toBeDefined();
    expect(req!.seq).toBeLessThan(first(r, 'new BrowserWindow')!.seq);
    expect(r.permissions).toEqual({ request: [false], check: false });
  });

  it('starts in order, serves IPC to its own page only, and quits only after the controller stopped', async () => {
    const r = await run({ platform: 'linux', packaged: false });
    expect(r.error).toBeNull();
    // The single-instance lock is taken before anything waits for ready.
    const lock = first(r, 'app.requestSingleInstanceLock')!;
    expect(lock.seq).toBe(1);
    expect(lock.seq).toBeLessThan(first(r, 'app.whenReady')!.seq);
    // Every channel is handled before the window loads (a page must never call an unhandled channel).
    const loaded = first(r, 'BrowserWindow.loadFile')!;
    expect(all(r, 'ipcMain.handle').map((c) => c.args[0])).toEqual([...INVOKE_CHANNELS]);
    expect(Math.max(...all(r, 'ipcMain.handle').map((c) => c.seq))).toBeLessThan(loaded.seq);
    const win = first(r, 'new BrowserWindow')!.args[0] as { webPreferences: Record<string, unknown> };
    expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(r.ipc.trusted?.ok).toBe(true);
    expect(r.ipc.untrusted).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    expect(r.ipc.invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // The answer is routed to the controller: a settings change re-checks health and pushes it at once.
    expect(r.ipc.settings?.ok).toBe(true);
    expect(r.pushedAfterSettings).toBe(true);
    // Quit: held once, the daemon stopped (on disk) and IPC gone before app.quit, then let through.
    expect(r.preventedFirstQuit).toBe(1);
    const quit = first(r, 'app.quit')!;
    expect(quit.args[0]).toEqual({ daemonStatus: 'stopped' });
    const removed = all(r, 'ipcMain.removeHandler');
    expect(removed.map((c) => c.args[0]).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Math.max(...removed.map((c) => c.seq))).toBeLessThan(quit.seq);
    expect(r.preventedSecondQuit).toBe(0);
    // In a dev run every path handed to Electron exists in the tree as built.
    for (const p of pathsHanded(r)) expect(existsSync(p.path), `${p.api}: ${p.path}`).toBe(true);
  }, 90_000);

  it('a second launch only hands over to the first: no window, tray or IPC of its own', async () => {
    const r = await run({ platform: 'linux', packaged: false, lock: false });
    expect(r.error).toBeNull();
    expect(r.calls.map((c) => c.api)).toEqual(['app.requestSingleInstanceLock', 'app.quit']);
  }, 60_000);

  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`packaged on ${platform}: every path handed to Electron is shipped by electron-builder`, async () => {
      const r = await run({ platform, packaged: true });
      expect(r.error).toBeNull();
      const handed = pathsHanded(r);
      expect(handed.map((h) => h.api)).toEqual(
        expect.arrayContaining(['new Tray', 'BrowserWindow icon', 'BrowserWindow preload', 'BrowserWindow.loadFile']),
      );
      const missing = handed
        .map((h) => ({ ...h, source: shippedSource(h.path, r.resources) }))
        .filter((h) => h.source === null || !existsSync(h.source))
        .map(
          (h) =>
            `${h.api}: ${h.path}${h.source === null ? ' (not in electron-builder files/extraResources)' : ' (not built)'}`,
        );
      expect(missing).toEqual([]);
      if (platform === 'darwin') expect(first(r, 'app.dock.hide')).toBeDefined();
      expect(first(r, 'app.quit')?.args[0]).toEqual({ daemonStatus: 'stopped' });
    }, 90_000);
  }

  it('every tray icon a health state can show exists and is shipped, on every platform', () => {
    const resources = '/opt/Fleetkeeper/resources';
    const unshipped: string[] = [];
    for (const platform of ['linux', 'darwin', 'win32'] as TrayPlatform[]) {
      for (const icon of new Set(Object.values(ICON_FOR_STATE))) {
        const file = trayIconFile(platform, icon);
        const source = shippedSource(join(resources, 'icons', file), resources);
        if (source === null || !existsSync(source)) unshipped.push(`${platform}: ${file}`);
        // Linux and macOS pick the @2x sibling themselves on HiDPI screens.
        if (platform !== 'win32' && !existsSync(join(ROOT, 'build', 'icons', file.replace('.png', '@2x.png'))))
          unshipped.push(`${platform}: ${file} @2x`);
      }
    }
    expect(unshipped).toEqual([]);
  });
});
