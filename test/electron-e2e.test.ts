// Playwright `_electron` end-to-end tests of the packaged-shape app: launch, tray menu actions
// by id, the dashboard window, the restore preview. They need the Electron binary; where it is
// absent (ELECTRON_SKIP_BINARY_DOWNLOAD, as here) they skip with a one-line reason.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication } from 'playwright-core';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(APP_ROOT, 'dist', 'main', 'electron-main', 'main.js');

/**
 * Where `require('electron')` would point, without requiring it: electron's index.js starts a
 * download when the binary is missing, and tests must not reach the network.
 */
export function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron',
    );
    return existsSync(p) ? p : null;
  }
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathTxt = join(dir, 'path.txt');
    if (!existsSync(pathTxt)) return null;
    const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const BIN = electronBinary();
const SKIP =
  BIN === null
    ? 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)'
    : !existsSync(MAIN)
      ? `app not built (${MAIN} missing): npm run build`
      : null;
if (SKIP !== null) console.warn(`electron-e2e skipped: ${SKIP}`);

describe.skipIf(SKIP !== null)('Electron app end to end', () => {
  let root: string;
  let tmux: TmuxHarness;
  let app: ElectronApplication;

  const menu = (): Promise<{ id?: string; label?: string; checked?: boolean; submenu?: unknown[] }[]> =>
    app.evaluate(() => (globalThis as unknown as { __fleetkeeperTest: { menu(): never } }).__fleetkeeperTest.menu());
  const click = (id: string): Promise<void> =>
    app.evaluate(
      (_e, actionId) =>
        (globalThis as unknown as { __fleetkeeperTest: { click(id: string): void } }).__fleetkeeperTest.click(actionId),
      id,
    );

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-electron-e2e-')));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'TMUX' && k !== 'TMUX_PANE') env[k] = v;
    Object.assign(env, {
      HOME: root,
      SHELL: '/bin/sh',
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
      XDG_CONFIG_HOME: join(root, 'cfg'),
      FLEETKEEPER_TEST_HOOKS: '1',
    });
    tmux = new TmuxHarness(env);
    env.FLEETKEEPER_TMUX_SOCKET = tmux.socket;
    await tmux.run('new-session', '-d', '-s', 'e2e', '-c', root);
    app = await _electron.launch({ executablePath: BIN!, args: [APP_ROOT, '--no-sandbox'], env, timeout: 60_000 });
    await waitFor(async () => await app.evaluate(() => '__fleetkeeperTest' in globalThis), 30_000, 'the app to start');
  });

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await tmux?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('launches with a tray menu whose items carry action ids', async () => {
    const ids = JSON.stringify(await menu());
    for (const id of ['save-now', 'open-dashboard', 'toggle-autostart', 'quit']) expect(ids).toContain(`"id":"${id}"`);
  });

  it('saves from the menu and lists the snapshot under Restore', async () => {
    await click('save-now');
    await waitFor(
      async () => JSON.stringify(await menu()).includes('restore-preview:'),
      30_000,
      'a snapshot in the menu',
    );
  });

  it('opens the dashboard: sandboxed, no Node, the bridge present', async () => {
    await click('open-dashboard');
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.title()).toBe('Fleetkeeper');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { fleetkeeper?: unknown }).fleetkeeper)).toBe(
      'object',
    );
  });

  it('opens the restore preview of a snapshot from the Restore menu', async () => {
    const m = JSON.stringify(await menu());
    const id = /"id":"restore-preview:([^"]+)"/.exec(m)![1]!;
    await click(`restore-preview:${id}`);
    const page = await app.firstWindow();
    await waitFor(() => page.url().includes(`#restore=${id}`), 10_000, 'the preview route');
  });

  it('toggles start at login, read back from the desktop entry', async () => {
    await click('toggle-autostart');
    await waitFor(() => existsSync(join(root, 'cfg', 'autostart', 'fleetkeeper.desktop')), 10_000, 'autostart entry');
    await waitFor(
      async () => JSON.stringify(await menu()).includes('"id":"toggle-autostart","checked":true'),
      10_000,
      'checkbox checked',
    );
  });
});
