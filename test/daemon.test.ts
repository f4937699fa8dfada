import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { HealthReport } from '../main/common/base/types.js';
import { DEFAULT_SETTINGS } from '../main/common/settings/settings-model.js';
import type { StatePaths } from '../main/node/base/state-dir.js';
import { RegistryStore } from '../main/node/journal/registry-store.js';
import { Daemon } from '../main/node/daemon/daemon.js';
import { listSnapshots } from '../main/node/snapshot/store.js';
import { readDaemonStatus } from '../main/node/daemon/status.js';
import { waitFor, type TmuxHarness } from './helpers/tmux-harness.js';
import { tmuxWorld, type TmuxWorld } from './helpers/fixtures.js';

// The headless daemon against a real tmux server: its own clock, saves on layout changes,
// quiet without a server (and never starts one), reconnects to a new server.

let world: TmuxWorld;
let root: string;
let paths: StatePaths;
let tmux: TmuxHarness;
let daemon: Daemon | null;
const health: HealthReport[] = [];

function makeDaemon(intervalS: number): Daemon {
  return new Daemon({
    paths,
    target: { socketName: tmux.socket },
    registry: new RegistryStore(paths),
    settings: () => ({ ...DEFAULT_SETTINGS, intervalS, staleAfterS: intervalS * 5, graceS: 1 }),
    claudeSettingsPath: join(root, 'claude', 'settings.json'),
    hookCommands: { sessionStart: 'x', sessionEnd: 'y' },
    debounceMs: 400,
    watchdogMs: 300,
    serverPollMs: 200,
    onHealth: (r) => health.push(r),
  });
}

const snaps = async () => (await listSnapshots(paths)).valid;

beforeEach(() => {
  world = tmuxWorld('daemon');
  ({ dir: root, paths, tmux } = world);
  health.length = 0;
  daemon = null;
});

afterEach(async () => {
  await daemon?.stop();
  await world.dispose();
});

describe('daemon', () => {
  it('waits quietly without a server, never starts one, then saves as soon as one appears', async () => {
    daemon = makeDaemon(60);
    await daemon.start();
    await new Promise((r) => setTimeout(r, 800));
    expect(await tmux.serverPid()).toBeNull();
    expect(await snaps()).toHaveLength(0);
    expect(health.at(-1)?.state).toBe('no-server');
    expect((await readDaemonStatus(paths))?.state).toBe('no-server');

    await tmux.run('new-session', '-d', '-s', 'work', '-x', '120', '-y', '40');
    await waitFor(async () => (await snaps()).length > 0, 10_000, 'a save after the server appeared');
    await waitFor(
      () => health.at(-1)?.state === 'fresh' || health.at(-1)?.state === 'hooks-missing',
      5000,
      'green-ish health',
    );
    // The control client is not a user session and did not resize anything.
    expect((await tmux.run('list-sessions', '-F', '#{session_name}')).trim()).toBe('work');
    expect((await tmux.run('display', '-p', '-t', 'work', '#{window_width}x#{window_height}')).trim()).toBe('120x40');
    expect((await tmux.run('list-clients', '-F', '#{client_control_mode}')).trim()).toBe('1');
  });

  it('saves on its own clock, and again shortly after layout changes settle', async () => {
    await tmux.run('new-session', '-d', '-s', 'work');
    daemon = makeDaemon(1);
    await daemon.start();
    await new Promise((r) => setTimeout(r, 3500));
    const interval = (await snaps()).filter((s) => s.trigger === 'interval');
    expect(interval.length).toBeGreaterThanOrEqual(2);
    await daemon.stop();

    daemon = makeDaemon(3600);
    await daemon.start();
    await waitFor(
      async () => (await snaps()).some((s) => s.trigger === 'change' && s.panes === 1),
      5000,
      'initial change save',
    );
    for (let i = 0; i < 3; i++) await tmux.run('split-window', '-t', 'work');
    await waitFor(async () => (await snaps())[0]?.panes === 4, 5000, 'a change-triggered save with 4 panes');
    expect((await snaps())[0]?.trigger).toBe('change');
  });

  it('reconnects to a new server after the old one is killed, and never saves a dying one', async () => {
    await tmux.run('new-session', '-d', '-s', 'one');
    await tmux.run('split-window', '-t', 'one');
    daemon = makeDaemon(3600);
    await daemon.start();
    await waitFor(async () => (await snaps()).length > 0, 5000, 'first save');
    const first = (await snaps())[0]!;
    await tmux.kill();
    await waitFor(() => health.at(-1)?.state === 'no-server', 5000, 'no-server after kill');
    expect((await snaps()).every((s) => s.panes === 2)).toBe(true);

    await tmux.run('new-session', '-d', '-s', 'two');
    await waitFor(
      async () => (await snaps()).some((s) => s.instance.pid !== first.instance.pid),
      10_000,
      'a save of the new server',
    );
    const fresh = (await snaps())[0]!;
    expect(fresh.instance.pid).not.toBe(first.instance.pid);
    expect(fresh.sessions).toBe(1);
  });
});
