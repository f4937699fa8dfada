// Issue 12, finding 2, through the tray app's real wiring under plain Node: four bindings whose
// transcript_path is a FIFO (a hook payload may name any path). A blocking open of each held one
// of libuv's four file-I/O threads for good: the dashboard's registry call never answered, the
// app's daemon stopped saving, and no red notification ever came. Now the dashboard gets its
// answer (no titles), the daemon keeps saving, and the tray goes red when the snapshots do grow
// stale. Real tmux, the real hook CLI from the panes, the real state dir; Electron recorded.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, constants, mkdtempSync, openSync, realpathSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { runCli } from './helpers/cli.js';
import { wireApp, type WiredApp } from '../main/electron-main/app-wiring.js';
import { claudeSettingsPath, hookCommands, installHooks } from '../main/node/claude/settings-file.js';
import { isolatedEnv } from './helpers/fixtures.js';

const ICONS = fileURLToPath(new URL('../build/icons', import.meta.url));
const CLI = realpathSync(fileURLToPath(new URL('../bin/fleetkeeper.js', import.meta.url)));

/** A hung promise must fail the test with a reason, not run into the test timeout. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a FIFO as transcript_path never starves the app (issue 12, finding 2)', () => {
  let root: string;
  let tmux: TmuxHarness;
  let surface: RecordingSurface;
  let wired: WiredApp;
  let now = Date.parse('2025-06-03T10:00:00Z');
  const fifos: string[] = [];

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-app-fifo-')));
    const env = isolatedEnv(root, { HOME: root, XDG_CONFIG_HOME: join(root, 'cfg') });
    tmux = new TmuxHarness(env);
    env.FLEETKEEPER_TMUX_SOCKET = tmux.socket;
    await tmux.run('new-session', '-d', '-s', 'work', '-c', root, '-x', '200', '-y', '50');
    for (let i = 0; i < 3; i++) await tmux.run('split-window', '-t', 'work', '-c', root);
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
      daemon: { debounceMs: 600_000, watchdogMs: 600_000 },
    });
    await wired.controller.start();
    // A first save gives every pane its role, as in real use.
    expect(await within(wired.daemon.saveNow('manual'), 15_000, 'the first save')).not.toBeNull();

    // Each pane's Claude "starts" with a FIFO as its transcript: the real hook, from the pane.
    const [sock, pid] = (await tmux.run('display', '-p', '-t', 'work', '#{socket_path}\t#{pid}')).trim().split('\t');
    const panes = (await tmux.run('list-panes', '-t', 'work', '-F', '#{pane_id}')).trim().split('\n');
    expect(panes).toHaveLength(4);
    for (const [i, pane] of panes.entries()) {
      const fifo = join(root, `transcript-${i}.jsonl`);
      execFileSync('mkfifo', [fifo]);
      fifos.push(fifo);
      const payload = JSON.stringify({
        session_id: randomUUID(),
        transcript_path: fifo,
        cwd: root,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      const r = await runCli(['hook', 'session-start'], { ...env, TMUX: `${sock},${pid},0`, TMUX_PANE: pane }, payload);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    // Had readers blocked in open(2) (the bug): hold a writer so they get through, unlink so the
    // queued ones find nothing, then close so every read sees EOF and the threads come back.
    const held = fifos.flatMap((f) => {
      try {
        return [openSync(f, constants.O_RDWR | constants.O_NONBLOCK)];
      } catch {
        return [];
      }
    });
    for (const f of fifos) rmSync(f, { force: true });
    await new Promise((r) => setTimeout(r, 300));
    for (const fd of held) closeSync(fd);
    await wired?.controller.stop();
    await tmux?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('the dashboard answers, the daemon keeps saving, and the tray goes red when it must', async () => {
    // Fold the four events into the registry.
    expect(await within(wired.daemon.saveNow('manual'), 15_000, 'the save that folds the hooks')).not.toBeNull();
    // The dashboard asks for the registry (titles read from each transcript) several times at once.
    const views = await within(
      Promise.all(Array.from({ length: 4 }, () => wired.dashboard.registry())),
      15_000,
      'the dashboard registry view',
    );
    for (const rows of views) {
      expect(rows).toHaveLength(4);
      expect(rows.map((r) => r.title)).toEqual([null, null, null, null]);
    }
    // The app's daemon still saves, again and again, while the dashboard keeps asking.
    for (let i = 0; i < 3; i++) {
      void wired.dashboard.registry();
      now += 60_000;
      const r = await within(wired.daemon.saveNow('interval'), 15_000, `save ${i + 1} after the FIFO bindings`);
      expect(r).not.toBeNull();
    }
    const pushes = surface.pushes.length;
    await within(wired.daemon.checkHealth(), 15_000, 'a health check');
    await waitFor(() => surface.pushes.length > pushes, 10_000, 'the health push');
    expect(surface.icon).toBe('linux/tray-green-22.png');

    // No saves for 10 minutes (the saver is not called): red, and the user is told.
    now += 10 * 60_000;
    const before = surface.notifications.length;
    await within(wired.daemon.checkHealth(), 15_000, 'the health check when stale');
    await waitFor(() => surface.icon === 'linux/tray-red-22.png', 10_000, 'the red icon');
    expect(surface.notifications.length).toBe(before + 1);
    expect(surface.notifications.at(-1)).toMatchObject({
      title: 'Fleetkeeper: backups are STALE',
      urgency: 'critical',
    });
  }, 120_000);
});
