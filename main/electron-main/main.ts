// The Electron entry (package.json "main": dist/main/electron-main/main.js). Deliberately thin:
// it adapts Electron's Tray/Menu/BrowserWindow/app to ElectronSurface and hands everything to
// the Electron-free wiring (app-wiring.ts), which test/app-wiring.test.ts runs under Node.
import {
  app,
  BrowserWindow,
  Menu,
  Tray,
  ipcMain,
  powerMonitor,
  type MenuItemConstructorOptions,
  session,
} from 'electron';
import Store from 'electron-store';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorMessage } from '../common/base/errors.js';
import { createNodeNotifier } from '../node/desktop/notifier.js';
import type { StatePaths } from '../node/base/state-dir.js';
import { appHookCommands, wireApp, type WiredApp } from './app-wiring.js';
import type { DashboardRoute, ElectronMenuItem, ElectronSurface } from './electron-surface.js';
import { registerIpc } from './ipc.js';
import { denyAllPermissions } from './permissions.js';
import { toDisposable } from '../node/base/disposable-store.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The project root in dev, the app.asar root when packaged. */
const appRoot = join(here, '..', '..', '..');
const preloadPath = join(appRoot, 'dist', 'preload', 'preload.cjs');
const dashboardHtml =
  [join(appRoot, 'dist', 'renderer', 'index.html'), join(appRoot, 'renderer', 'index.html')].find((p) =>
    existsSync(p),
  ) ?? join(appRoot, 'dist', 'renderer', 'index.html');
const iconDir = app.isPackaged ? join(process.resourcesPath, 'icons') : join(appRoot, 'build', 'icons');
/** The window's and the notifications' icon (shipped with the tray icons, see build/electron-builder.yml). */
const appIcon = join(iconDir, 'app', 'icon-512.png');
const log = (line: string): void => void process.stderr.write(`fleetkeeper: ${line}\n`);

function main(): void {
  // One instance: a second launch focuses the first (which holds the store's writer role).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A tray app: closing the dashboard does not quit; no Dock icon on macOS.
  app.on('window-all-closed', () => undefined);
  app.dock?.hide();
  void app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log(`cannot start: ${errorMessage(err)}`);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  denyAllPermissions(session.defaultSession, log);
  let wired: WiredApp | null = null;
  let win: BrowserWindow | null = null;
  const tray = new Tray(
    join(
      iconDir,
      process.platform === 'darwin'
        ? 'mac/tray-greyTemplate.png'
        : process.platform === 'win32'
          ? 'win/tray-grey.ico'
          : 'linux/tray-grey-22.png',
    ),
  );
  tray.setToolTip('Fleetkeeper — starting…');
  const notifier = createNodeNotifier({
    appName: 'Fleetkeeper',
    iconPath: appIcon,
    onClick: () => void wired?.controller.dispatch(wired.controller.lastNotificationAction),
  });

  const openDashboard = (route?: DashboardRoute): void => {
    const hash = route?.restorePreview !== undefined ? `restore=${route.restorePreview}` : '';
    if (win !== null && !win.isDestroyed()) {
      if (hash !== '') void win.loadFile(dashboardHtml, { hash });
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    win = new BrowserWindow({
      width: 1100,
      height: 780,
      title: 'Fleetkeeper',
      show: false,
      icon: appIcon,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: preloadPath },
    });
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = null;
    });
    void win.loadFile(dashboardHtml, hash !== '' ? { hash } : {});
  };

  let lastTemplate: ElectronMenuItem[] = [];
  const surface: ElectronSurface = {
    tray: {
      setImage: (p) => tray.setImage(p),
      setToolTip: (t) => tray.setToolTip(t),
      setContextMenu: (m) => tray.setContextMenu(m as Menu),
    },
    buildMenu: (template) => {
      lastTemplate = template;
      return Menu.buildFromTemplate(template as MenuItemConstructorOptions[]);
    },
    notify: (n) => notifier.notify(n),
    openDashboard,
    pushToDashboard: (channel, value) => {
      if (win !== null && !win.isDestroyed()) win.webContents.send(channel, value);
    },
    quit: () => app.quit(),
  };

  const openStore = (name: 'registry' | 'settings', paths: StatePaths) =>
    new Store<Record<string, unknown>>({ cwd: paths.root, name, clearInvalidConfig: false, configFileMode: 0o600 });

  wired = wireApp({
    env: process.env,
    surface,
    platform: process.platform,
    launch: { packaged: app.isPackaged, execPath: process.execPath, appPath: app.getAppPath(), env: process.env },
    iconDir,
    hookCommands: await appHookCommands({
      packaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: appRoot,
      env: process.env,
      platform: process.platform,
      userDataDir: app.getPath('userData'),
    }),
    openStore,
    loginItems: app,
    log,
  });
  const { controller, dashboard } = wired;

  const page = pathToFileURL(dashboardHtml).href;
  const unregisterIpc = registerIpc(ipcMain, dashboard, {
    trustedUrl: (url) => url.split('#')[0] === page,
    onResult: (channel, result) => void controller.onIpcResult(channel, result),
  });
  controller.register(toDisposable(unregisterIpc));
  app.on('second-instance', () => void controller.dispatch('open-dashboard'));
  powerMonitor.on('resume', () => void controller.onResume());
  let quitting = false;
  app.on('before-quit', (e) => {
    if (quitting) return;
    quitting = true;
    e.preventDefault();
    void controller.stop().finally(() => app.quit());
  });
  // For test/electron-e2e.test.ts (Playwright's electronApp.evaluate runs in this process):
  // the tray menu cannot be opened by a test, so it clicks items of the applied template by id.
  if (process.env.FLEETKEEPER_TEST_HOOKS === '1') {
    const find = (id: string, items: ElectronMenuItem[]): ElectronMenuItem | undefined =>
      items.map((i) => (i.id === id ? i : find(id, i.submenu ?? []))).find((i) => i !== undefined);
    Object.assign(globalThis, {
      __fleetkeeperTest: {
        menu: () => JSON.parse(JSON.stringify(lastTemplate)) as unknown,
        click: (id: string) => {
          const item = find(id, lastTemplate);
          if (item?.click === undefined) throw new Error(`no clickable menu item ${id}`);
          item.click();
        },
      },
    });
  }
  await controller.start();
}

main();
