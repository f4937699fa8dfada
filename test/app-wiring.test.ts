// The tray app's main-process wiring under plain Node: the REAL core (tmux on an isolated
// socket, the state dir on disk, the Daemon, the dashboard service) and a recording double
// of the few Electron calls (ElectronSurface). Time passes through an injected clock.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, realpathSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { wireApp, type WiredApp } from '../main/electron-main/app-wiring.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { claudeSettingsPath, hookCommands, installHooks } from '../main/node/claude/settings-file.js';
import { isolatedEnv } from './helpers/fixtures.js';

const ICONS = fileURLToPath(new URL('../build/icons', import.meta.url));
const CLI = realpathSync(fileURLToPath(new URL('../bin/fleetkeeper.js', import.meta.url)));

describe('tray app wiring (real core, recorded Electron surface)', () => {
  let root: string;
  let tmux: TmuxHarness;
  let surface: RecordingSurface;
  let wired: WiredApp;
  let now = Date.parse('2025-06-03T10:00:00Z');
  const logs: string[] = [];

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-app-wiring-')));
    const env = isolatedEnv(root, { HOME: root, XDG_CONFIG_HOME: join(root, 'cfg') });
    tmux = new TmuxHarness(env);
    env.FLEETKEEPER_TMUX_SOCKET = tmux.socket;
    await tmux.run('new-session', '-d', '-s', 'work', '-c', root);
    await tmux.run('split-window', '-t', 'work', '-c', root);
    const hooks = hookCommands(process.execPath, CLI);
    await installHooks(claudeSettingsPath(env), hooks);
    surface = new RecordingSurface(ICONS);
    wired = wireApp({
      env,
      surface,
      platform: 'linux',
      iconDir: ICONS,
      hookCommands: hooks,
      launch: { packaged: false, execPath: '/opt/electron/electron', appPath: '/src/fleetkeeper', env },
      clock: () => new Date(now),
      tzOffsetMinutes: () => 0,
      tickMs: 0,
      // Saves and health checks happen when the test says so, not on timers.
      daemon: { debounceMs: 600_000, watchdogMs: 600_000 },
      log: (l) => logs.push(l),
    });
    await wired.controller.start();
  });

  afterAll(async () => {
    await wired?.controller.stop();
    await tmux?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  const health = async (): Promise<void> => {
    const before = surface.pushes.length;
    await wired.daemon.checkHealth();
    await waitFor(() => surface.pushes.length > before, 10_000, 'the health push after a report');
  };

  it('starts grey-or-held with a menu, then goes green after Save now from the menu', async () => {
    expect(surface.menus.length).toBeGreaterThan(0);
    expect(surface.find('save-now')).toBeDefined();
    // Whatever the first report said (no snapshot yet), the start grace kept it quiet.
    expect(surface.notifications).toEqual([]);

    const pushes = surface.pushes.length;
    surface.click('save-now');
    await waitFor(
      () => surface.pushes.length > pushes && surface.icon === 'linux/tray-green-22.png',
      15_000,
      'green after Save now',
    );
    expect(surface.tooltip).toBe('Fleetkeeper — saved 0 s ago · 2 panes · 0 Claude');
    const snapshotId = surface.menu.find((i) => i.label === 'Restore')!.submenu![0]!.id!;
    expect(snapshotId).toMatch(/^restore-preview:\d{8}T\d{9}Z-[0-9a-f]+$/);
    expect(surface.menu.find((i) => i.label === 'Restore')!.submenu![0]!.label).toBe(
      '10:00 — 1 session · 2 panes · 0 Claude…',
    );
    expect(surface.pushes.at(-1)!.channel).toBe('health:update');
  });

  it('turns red and notifies when the snapshot on disk grows stale, re-notifies, and announces recovery', async () => {
    now += 10 * 60_000;
    await health();
    expect(surface.icon).toBe('linux/tray-red-22.png');
    expect(surface.tooltip).toMatch(/^Fleetkeeper — STALE · saved 10 min ago · 2 panes · 0 Claude/);
    expect(surface.menu[0]!.label).toBe('Backups STALE — saved 10 min ago');
    expect(surface.notifications).toHaveLength(1);
    expect(surface.notifications[0]).toMatchObject({ title: 'Fleetkeeper: backups are STALE', urgency: 'critical' });

    now += 5 * 60_000;
    await health();
    expect(surface.notifications).toHaveLength(1);

    now += 10 * 60_000;
    await health();
    expect(surface.notifications).toHaveLength(2);
    expect(surface.notifications[1]).toMatchObject({ title: 'Fleetkeeper: backups still stale', urgency: 'critical' });
    expect(surface.notifications[1]!.body).toContain('red for 15 min');

    const pushes = surface.pushes.length;
    surface.click('save-now');
    await waitFor(
      () => surface.pushes.length > pushes && surface.icon === 'linux/tray-green-22.png',
      15_000,
      'green again',
    );
    expect(surface.notifications).toHaveLength(3);
    expect(surface.notifications[2]).toMatchObject({
      title: 'Fleetkeeper: backups are fresh again',
      urgency: 'normal',
    });
  });

  it('after a wake, holds a stale report back for the grace and still saves at once', async () => {
    now += 60 * 60_000; // the laptop slept an hour
    const before = surface.notifications.length;
    await wired.controller.onResume();
    // notifyResume saves with trigger "wake" and re-checks health: fresh again, nothing to say.
    await waitFor(() => surface.tooltip.includes('saved 0 s ago'), 15_000, 'the wake save');
    expect(surface.icon).toBe('linux/tray-green-22.png');
    expect(surface.notifications.length).toBe(before);
  });

  it('toggles start-at-login from the menu and shows what is on disk', async () => {
    const file = join(root, 'cfg', 'autostart', 'fleetkeeper.desktop');
    expect(surface.find('toggle-autostart')).toMatchObject({ type: 'checkbox', checked: false, enabled: true });
    surface.click('toggle-autostart');
    await waitFor(() => surface.find('toggle-autostart')?.checked === true, 5000, 'checkbox checked');
    expect(readFileSync(file, 'utf8')).toContain('Exec=/opt/electron/electron /src/fleetkeeper\n');
    rmSync(file); // someone removes it behind our back: the next toggle reads the system first
    surface.click('toggle-autostart');
    await waitFor(() => existsSync(file), 5000, 'entry written again');
    expect(surface.find('toggle-autostart')?.checked).toBe(true);
  });

  it('routes restore preview and dashboard clicks to the window, and shows hooks as installed', async () => {
    const item = surface.menu.find((i) => i.label === 'Restore')!.submenu![0]!;
    item.click!();
    surface.click('open-dashboard');
    await waitFor(() => surface.dashboards.length === 2, 2000, 'dashboard opened');
    expect(surface.dashboards[0]).toEqual({ restorePreview: item.id!.slice('restore-preview:'.length) });
    expect(surface.dashboards[1]).toBeUndefined();
    expect(surface.menu.some((i) => i.label === 'Claude hooks: installed ✓')).toBe(true);
  });

  it('refuses an unknown action id without acting', async () => {
    const menus = surface.menus.length;
    await wired.controller.dispatch('rm -rf');
    expect(logs.at(-1)).toBe('unknown action id "rm -rf"');
    expect(surface.menus.length).toBe(menus);
  });

  it('quits from the menu: daemon stopped, app told to quit', async () => {
    surface.click('quit');
    await waitFor(() => surface.quits === 1, 5000, 'quit');
    const status = JSON.parse(readFileSync(wired.paths.daemonStatus, 'utf8')) as { state: string };
    expect(status.state).toBe('stopped');
  });
});
