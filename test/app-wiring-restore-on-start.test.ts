// restoreOnStart=auto in the tray app: the same wiring as the app (wireApp, the real Daemon and
// core, tmux on an isolated socket, a recorded Electron surface). After a kill-server, starting
// the app restores the previous fleet by itself (starting the server) and notifies the result;
// the shared code path (autoRestoreOnStart) is the daemon's, tested with the real Claude in
// test/e2e-restore-on-start.test.ts.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { wireApp, type WiredApp } from '../main/electron-main/app-wiring.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { hookCommands } from '../main/node/claude/settings-file.js';
import { isolatedEnv } from './helpers/fixtures.js';

const ICONS = fileURLToPath(new URL('../build/icons', import.meta.url));
const CLI = realpathSync(fileURLToPath(new URL('../bin/fleetkeeper.js', import.meta.url)));

describe('tray app: restoreOnStart=auto', () => {
  let root = '';
  let tmux: TmuxHarness | null = null;
  const apps: WiredApp[] = [];

  afterAll(async () => {
    for (const a of apps) await a.controller.stop();
    await tmux?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function app(env: NodeJS.ProcessEnv, surface: RecordingSurface): WiredApp {
    const wired = wireApp({
      env,
      surface,
      platform: 'linux',
      iconDir: ICONS,
      hookCommands: hookCommands(process.execPath, CLI),
      launch: { packaged: false, execPath: '/opt/electron/electron', appPath: '/src/fleetkeeper', env },
      tickMs: 0,
      daemon: { debounceMs: 600_000, watchdogMs: 600_000 },
    });
    apps.push(wired);
    return wired;
  }

  it('restores the previous fleet at start and says so, without the restore offer', async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-app-auto-')));
    const env = isolatedEnv(root, { HOME: root, XDG_CONFIG_HOME: join(root, 'cfg') });
    tmux = new TmuxHarness(env);
    env.FLEETKEEPER_TMUX_SOCKET = tmux.socket;
    Object.assign(process.env, { SHELL: '/bin/sh' });
    await tmux.run('new-session', '-d', '-s', 'work', '-c', root);
    await tmux.run('split-window', '-t', 'work', '-c', root);
    await tmux.run('new-session', '-d', '-s', 'notes', '-c', root);

    const first = app(env, new RecordingSurface(ICONS));
    await first.controller.start();
    await first.daemon.saveNow('manual');
    await first.controller.stop();
    apps.pop();
    await tmux.kill();

    const surface = new RecordingSurface(ICONS);
    const second = app(env, surface);
    second.settings.update({ restoreOnStart: 'auto' });
    await second.controller.start();
    await waitFor(() => surface.notifications.some((n) => /fleet restored/.test(n.title)), 60_000, 'the notification');
    await second.daemon.startRestoring;
    expect(surface.notifications.find((n) => /fleet restored/.test(n.title))?.body).toMatch(
      /0 of 0 conversations verified/,
    );
    const sessions = (await tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').filter(Boolean).sort();
    expect(sessions).toEqual(['notes', 'work']);
    expect((await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean)).toHaveLength(3);
    expect(surface.notifications.some((n) => /restore available/.test(n.title))).toBe(false);
  }, 120_000);
});
