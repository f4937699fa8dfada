// A strict stand-in for the `electron` module, for loading the BUILT main.js under plain Node
// (test/electron-main-standin.test.ts). It records every call in order and throws on anything
// it does not model: a new Electron API used by main.js fails here until it is modelled (and
// so thought about), instead of passing silently. Environment (set by the test):
//   FK_STANDIN_PACKAGED=1   app.isPackaged, process.resourcesPath = $FK_STANDIN_RESOURCES
//   FK_STANDIN_LOCK=0       another instance holds the single-instance lock
//   FK_STANDIN_PLATFORM     the platform main.js sees (app.dock exists on darwin only)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const platform = process.env.FK_STANDIN_PLATFORM ?? process.platform;
const packaged = process.env.FK_STANDIN_PACKAGED === '1';

/** Every call, in order: { seq, api, args }. */
export const calls = [];
let seq = 0;
function record(api, ...args) {
  calls.push({
    seq: ++seq,
    api,
    args: JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === 'function' ? '[fn]' : v))),
  });
}

/** Any property the stand-in does not model throws, naming it. */
function strict(name, target) {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || Object.hasOwn(t, key) || key in Object.getPrototypeOf(t ?? {}))
        return Reflect.get(t, key, receiver);
      throw new Error(`electron stand-in: ${name}.${String(key)} is not modelled (main.js used it)`);
    },
    set(t, key) {
      throw new Error(`electron stand-in: ${name}.${String(key)} was assigned`);
    },
  });
}

function emitterOf(name, allowed) {
  const listeners = new Map();
  return {
    listeners,
    on(event, fn) {
      if (!allowed.includes(event))
        throw new Error(`electron stand-in: ${name}.on(${JSON.stringify(event)}) is not modelled`);
      record(`${name}.on`, event);
      listeners.set(event, [...(listeners.get(event) ?? []), fn]);
      return this;
    },
    emit(event, ...args) {
      for (const fn of listeners.get(event) ?? []) fn(...args);
    },
  };
}

let resolveReady;
const ready = new Promise((r) => (resolveReady = r));
const appEvents = emitterOf('app', ['window-all-closed', 'second-instance', 'before-quit']);
const daemonStatusState = () => {
  try {
    return JSON.parse(readFileSync(join(process.env.FLEETKEEPER_HOME ?? '', 'daemon-status.json'), 'utf8')).state;
  } catch {
    return null;
  }
};

export const app = strict('app', {
  isPackaged: packaged,
  dock: platform === 'darwin' ? strict('app.dock', { hide: () => record('app.dock.hide') }) : undefined,
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return process.env.FK_STANDIN_LOCK !== '0';
  },
  whenReady() {
    record('app.whenReady');
    return ready;
  },
  on: (event, fn) => appEvents.on(event, fn),
  quit() {
    // What a user waiting for Quit would find on disk at this moment.
    record('app.quit', { daemonStatus: daemonStatusState() });
  },
  exit(code) {
    record('app.exit', code);
  },
  getAppPath() {
    record('app.getAppPath');
    return packaged ? join(process.resourcesPath, 'app.asar') : process.cwd();
  },
  // electron-store asks these when it is constructed in the main process.
  getPath(name) {
    record('app.getPath', name);
    if (name !== 'userData') throw new Error(`electron stand-in: app.getPath(${JSON.stringify(name)}) is not modelled`);
    return join(process.env.FLEETKEEPER_HOME ?? '', 'user-data');
  },
  getVersion() {
    record('app.getVersion');
    return '0.0.0-standin';
  },
  getLoginItemSettings(opts) {
    record('app.getLoginItemSettings', opts);
    return { openAtLogin: false };
  },
  setLoginItemSettings(s) {
    record('app.setLoginItemSettings', s);
  },
});

const handlers = new Map();
export const ipcMain = strict('ipcMain', {
  handle(channel, fn) {
    if (handlers.has(channel)) throw new Error(`electron stand-in: a second handler for ${channel}`);
    record('ipcMain.handle', channel);
    handlers.set(channel, fn);
  },
  removeHandler(channel) {
    record('ipcMain.removeHandler', channel);
    handlers.delete(channel);
  },
  on(channel) {
    record('ipcMain.on', channel);
  },
});

const powerEvents = emitterOf('powerMonitor', ['resume', 'suspend']);
export const powerMonitor = strict('powerMonitor', { on: (event, fn) => powerEvents.on(event, fn) });

function webContents() {
  const events = emitterOf('webContents', ['will-navigate']);
  return strict('webContents', {
    on: (event, fn) => events.on(event, fn),
    setWindowOpenHandler: () => record('webContents.setWindowOpenHandler'),
    send: (channel) => record('webContents.send', channel),
  });
}

export class BrowserWindow {
  constructor(options) {
    const known = ['width', 'height', 'title', 'show', 'icon', 'webPreferences'];
    for (const k of Object.keys(options))
      if (!known.includes(k)) throw new Error(`electron stand-in: BrowserWindow option ${k}`);
    record('new BrowserWindow', options);
    const events = emitterOf('BrowserWindow', ['closed', 'ready-to-show']);
    return strict('BrowserWindow', {
      webContents: webContents(),
      on: (event, fn) => events.on(event, fn),
      once: (event, fn) => events.on(event, fn),
      loadFile: (file, opts) => {
        record('BrowserWindow.loadFile', file, opts);
        return Promise.resolve();
      },
      isDestroyed: () => false,
      isMinimized: () => false,
      restore: () => record('BrowserWindow.restore'),
      show: () => record('BrowserWindow.show'),
      focus: () => record('BrowserWindow.focus'),
    });
  }
}

export class Tray {
  constructor(image) {
    record('new Tray', image);
    return strict('Tray', {
      setImage: (p) => record('Tray.setImage', p),
      setToolTip: (t) => record('Tray.setToolTip', t),
      setContextMenu: () => record('Tray.setContextMenu'),
    });
  }
}

export const Menu = strict('Menu', {
  buildFromTemplate(template) {
    record('Menu.buildFromTemplate', template.length);
    return { template };
  },
});

export const nativeImage = strict('nativeImage', {
  createFromPath(p) {
    record('nativeImage.createFromPath', p);
    return { path: p };
  },
});

export const shell = strict('shell', {});

/** The default session: main.js denies every permission request and check (issue 12, finding 6). */
const permissionHandlers = {};
export const session = strict('session', {
  defaultSession: strict('session.defaultSession', {
    setPermissionRequestHandler(fn) {
      record('session.setPermissionRequestHandler', fn);
      permissionHandlers.request = fn;
    },
    setPermissionCheckHandler(fn) {
      record('session.setPermissionCheckHandler', fn);
      permissionHandlers.check = fn;
    },
  }),
});

/** `import electron from 'electron'` (electron-store does this). */
export default strict('electron', {
  app,
  ipcMain,
  powerMonitor,
  BrowserWindow,
  Tray,
  Menu,
  nativeImage,
  shell,
  session,
});

/** The test's side: Electron's own events. */
export const standin = {
  calls,
  handlers,
  permissionHandlers,
  ready: () => resolveReady(),
  emitApp: (event, ...args) => appEvents.emit(event, ...args),
  emitPower: (event, ...args) => powerEvents.emit(event, ...args),
};
