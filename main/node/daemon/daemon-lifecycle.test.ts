import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthReport } from '../../common/base/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import { RegistryStore } from '../journal/registry-store.js';
import { listSnapshots } from '../snapshot/store.js';
import { Daemon, type DaemonOptions } from './daemon.js';
import { readDaemonStatus } from './status.js';
import { waitFor, type TmuxHarness } from '../../../test/helpers/tmux-harness.js';
import { tmuxWorld, type TmuxWorld } from '../../../test/helpers/fixtures.js';

// The daemon's lifecycle against a real tmux server: stop() ends everything it started, waits
// for the save in flight, and leaves `stopped` as the last word on disk.

let world: TmuxWorld;
let root: string;
let paths: StatePaths;
let tmux: TmuxHarness;
let daemon: Daemon | null;
let stoppedServer: number | null;
const health: HealthReport[] = [];

function makeDaemon(settings: () => Settings, extra: Partial<DaemonOptions> = {}): Daemon {
  return new Daemon({
    paths,
    target: { socketName: tmux.socket },
    registry: new RegistryStore(paths),
    settings,
    claudeSettingsPath: join(root, 'claude', 'settings.json'),
    hookCommands: { sessionStart: 'x', sessionEnd: 'y' },
    debounceMs: 100,
    serverPollMs: 200,
    onHealth: (r) => health.push(r),
    ...extra,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  world = tmuxWorld('daemon-life');
  ({ dir: root, paths, tmux } = world);
  health.length = 0;
  daemon = null;
  stoppedServer = null;
});

afterEach(async () => {
  if (stoppedServer !== null) process.kill(stoppedServer, 'SIGCONT');
  await daemon?.stop();
  await world.dispose();
});

describe('daemon lifecycle', () => {
  it('stop() aborts a restore at start and waits for it to settle', async () => {
    await tmux.run('new-session', '-d', '-s', 'work');
    const settings = { ...DEFAULT_SETTINGS, intervalS: 3600, staleAfterS: 7200 };
    let aborted = false;
    let settled = false;
    daemon = makeDaemon(() => settings, {
      startRestore: (signal) =>
        new Promise<void>((resolve) => {
          // Like a restore between launches: it ends only once told to stop, after some cleanup.
          signal.addEventListener('abort', () => {
            aborted = true;
            setTimeout(() => {
              settled = true;
              resolve();
            }, 300);
          });
        }),
    });
    await daemon.start();
    expect(aborted).toBe(false);
    await daemon.stop();
    expect(aborted).toBe(true);
    expect(settled).toBe(true);
    expect((await readDaemonStatus(paths))?.state).toBe('stopped');
  }, 30_000);

  it('stop() waits for the save in flight, leaves `stopped` on disk and fires nothing afterwards', async () => {
    await tmux.run('new-session', '-d', '-s', 'work');
    const settings = { ...DEFAULT_SETTINGS, intervalS: 3600, staleAfterS: 7200 };
    let saved = 0;
    let savedAtStop = -1;
    daemon = makeDaemon(() => settings, { watchdogMs: 100, onSaved: () => void saved++ });
    await daemon.start();
    await waitFor(async () => (await listSnapshots(paths)).valid.length > 0, 10_000, 'the first save');

    await sleep(1000);
    // Hold a save in flight: the server is stopped, so the query through the control client waits.
    const pid = (await tmux.serverPid())!;
    process.kill(pid, 'SIGSTOP');
    stoppedServer = pid;
    const save = daemon.saveNow('manual');
    await sleep(300);
    const healthAtStop = health.length;
    savedAtStop = saved;
    const stopping = daemon.stop();
    await sleep(500);
    process.kill(pid, 'SIGCONT');
    stoppedServer = null;
    await stopping;
    const result = await save;
    const statusAfterStop = statSync(paths.daemonStatus).mtimeMs;
    const snapsAfterStop = (await listSnapshots(paths)).valid.map((s) => s.id);

    // The save stop() waited for completed (it was not cut off by the client's dispose).
    expect(result).not.toBeNull();
    expect(snapsAfterStop).toContain(result?.snapshot.id);
    // Quiet afterwards: give any straggler (watchdog every 100 ms, reconnect, debouncer) time to show.
    await sleep(1500);
    expect(health.length).toBe(healthAtStop);
    expect(saved).toBe(savedAtStop);
    const status = await readDaemonStatus(paths);
    expect(status?.state).toBe('stopped');
    expect(status?.lastOkAt).toBe(result?.snapshot.savedAt);
    expect(statSync(paths.daemonStatus).mtimeMs).toBe(statusAfterStop);
    expect((await listSnapshots(paths)).valid.map((s) => s.id)).toEqual(snapsAfterStop);
    // Nothing asks for a save after stop().
    expect(await daemon.saveNow('manual')).toBeNull();
    // The control client detached: only the server's own sessions remain, no client attached.
    expect((await tmux.run('list-clients', '-F', '#{client_control_mode}')).trim()).toBe('');
  }, 60_000);

  it('stop() while connecting to a server leaves no client behind', async () => {
    await tmux.run('new-session', '-d', '-s', 'work');
    daemon = makeDaemon(() => DEFAULT_SETTINGS);
    const starting = daemon.start();
    await daemon.stop();
    await starting.catch(() => undefined);
    await sleep(500);
    expect((await tmux.run('list-clients', '-F', '#{client_control_mode}')).trim()).toBe('');
    expect((await readDaemonStatus(paths))?.state).toBe('stopped');
  }, 30_000);

  it('a re-timed interval re-times the watchdog', async () => {
    await tmux.run('new-session', '-d', '-s', 'work');
    // An hour's interval: the watchdog re-reads disk every 30 s.
    let settings: Settings = { ...DEFAULT_SETTINGS, intervalS: 3600, staleAfterS: 7200 };
    daemon = makeDaemon(() => settings);
    await daemon.start();
    await waitFor(async () => (await listSnapshots(paths)).valid.length > 0, 10_000, 'the first save');
    await sleep(300);
    const before = health.length;
    await sleep(2500);
    expect(health.length).toBe(before);

    // Two seconds' interval: the watchdog now runs every second (half the interval, at least 1 s).
    settings = { ...settings, intervalS: 2, staleAfterS: 10 };
    daemon.retime();
    const from = health.length;
    await sleep(3500);
    expect(health.length - from).toBeGreaterThanOrEqual(2);
    expect((await readDaemonStatus(paths))?.intervalS).toBe(2);
  }, 60_000);
});
