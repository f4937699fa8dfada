// Loads the built Electron entry under plain Node against the stand-in and plays Electron's
// part: ready, a second launch (opens the dashboard), one IPC call from the page and one from
// elsewhere, then Quit. Writes what happened as JSON to $FK_STANDIN_OUT.
//   node --import ./register.mjs drive.mjs <dist/main/electron-main/main.js>
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [mainJs] = process.argv.slice(2);
const out = process.env.FK_STANDIN_OUT;
const platform = process.env.FK_STANDIN_PLATFORM ?? process.platform;
const result = { error: null, ipc: {} };

function finish() {
  writeFileSync(out, JSON.stringify({ ...result, calls: standin.calls }, null, 1));
}

// node-pty picks its backend by platform when it loads: load the real one before pretending.
await import('node-pty');
if (process.env.FK_STANDIN_PACKAGED === '1') process.resourcesPath = process.env.FK_STANDIN_RESOURCES;
Object.defineProperty(process, 'platform', { value: platform });
const { standin } = await import('electron');

const until = async (what, pred, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`stand-in: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const called = (api) => standin.calls.some((c) => c.api === api);

try {
  await import(pathToFileURL(mainJs).href);
  if (process.env.FK_STANDIN_LOCK === '0') {
    await new Promise((r) => setTimeout(r, 200));
  } else {
    standin.ready();
    // The controller has started once the daemon looked for tmux and the tray shows health.
    await until('the tray to show health', () =>
      standin.calls.some((c) => c.api === 'Tray.setToolTip' && !String(c.args[0]).includes('starting')),
    );
    standin.emitApp('second-instance');
    await until('the dashboard window', () => called('BrowserWindow.loadFile'));
    const page = standin.calls.find((c) => c.api === 'BrowserWindow.loadFile').args[0];
    const invoke = (channel, url, payload) => standin.handlers.get(channel)({ senderFrame: { url } }, payload);
    result.ipc.trusted = await invoke('health:get', pathToFileURL(page).href);
    result.ipc.untrusted = await invoke('settings:get', 'https://example.com/');
    result.ipc.invalid = await invoke('restore:preview', pathToFileURL(page).href, '../../etc/passwd');
    // A settings change from the page re-checks health at once and pushes it to the open window.
    const pushes = () => standin.calls.filter((c) => c.api === 'webContents.send').length;
    const before = pushes();
    result.ipc.settings = await invoke('settings:set', pathToFileURL(page).href, { intervalS: 120, staleAfterS: 600 });
    await until('a health push after settings:set', () => pushes() > before, 5000).then(
      () => (result.pushedAfterSettings = true),
      () => (result.pushedAfterSettings = false),
    );
    // What the page would get asking for the camera (or anything): Electron calls these handlers.
    const answers = [];
    standin.permissionHandlers.request?.({}, 'media', (ok) => answers.push(ok), { requestingUrl: page });
    result.permissions = { request: answers, check: standin.permissionHandlers.check?.({}, 'media', 'file://', {}) };
    standin.emitPower('resume');
    let prevented = 0;
    standin.emitApp('before-quit', { preventDefault: () => void prevented++ });
    result.preventedFirstQuit = prevented;
    await until('app.quit after the controller stopped', () => called('app.quit'));
    // Electron emits before-quit again for the app.quit() main.js makes: it must let it through.
    prevented = 0;
    standin.emitApp('before-quit', { preventDefault: () => void prevented++ });
    result.preventedSecondQuit = prevented;
  }
} catch (err) {
  result.error = err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
}
finish();
process.exit(0);
