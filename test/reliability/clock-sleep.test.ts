// Group 8, clock and sleep. The wake detector with injected wall and monotonic clocks; a real
// Daemon on an isolated tmux server with an injected wall clock through an 8-hour suspend and
// ±2 h jumps: a save soon after resume, no false alarm, and the alarm not held back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { HealthReport } from '../../main/common/base/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/common/settings/settings-model.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { Daemon } from '../../main/node/daemon/daemon.js';
import { WakeDetector } from '../../main/node/daemon/wake-detector.js';
import { gatherHealth } from '../../main/node/daemon/health-service.js';
import { listSnapshots } from '../../main/node/snapshot/store.js';
import { hookCommands, installHooks } from '../../main/node/claude/settings-file.js';
import { figures, tempState, type TempState } from './helpers/harness.js';
import { TmuxHarness, cliEnv, waitFor } from './helpers/h10-support.js';

const H = 3600_000;
const HOOKS = hookCommands('/usr/bin/node', '/opt/fleetkeeper/bin/fleetkeeper.js');

describe('8 clock and sleep: the wake detector', () => {
  it('an 8 h suspend and a +2 h jump are wakes; a −2 h jump and normal ticks are not', () => {
    let wall = Date.parse('2026-03-01T08:00:00Z');
    let mono = 1000;
    const wakes: number[] = [];
    const d = new WakeDetector(
      (ms) => wakes.push(ms),
      5000,
      30_000,
      () => wall,
      () => mono,
    );
    d.start();
    d.dispose(); // driven by hand below
    const tick = (wallMs: number, monoMs: number) => {
      wall += wallMs;
      mono += monoMs;
      d.check();
    };
    for (let i = 0; i < 100; i++) tick(5000 + (i % 3) * 7, 5000); // ms of drift: nothing
    expect(wakes).toEqual([]);
    tick(8 * H, 0); // suspend: timers stood still
    expect(wakes).toHaveLength(1);
    expect(Math.abs(wakes[0]! - 8 * H)).toBeLessThan(1000);
    tick(2 * H + 5000, 5000); // NTP or the user moved the clock forward
    expect(wakes).toHaveLength(2);
    tick(-2 * H + 5000, 5000); // backwards: not a sleep
    tick(5000, 5000);
    expect(wakes).toHaveLength(2);
    figures(
      `8 wake detector: 8 h suspend → wake (${(wakes[0]! / H).toFixed(2)} h), +2 h jump → wake, −2 h jump and 100 normal ticks → none`,
    );
  });
});

describe('8 clock and sleep: a real daemon with an injected clock', () => {
  let st: TempState;
  let tmux: TmuxHarness;
  let daemon: Daemon | null = null;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const reports: Array<{ at: number; r: HealthReport }> = [];
  const settings: Settings = { ...DEFAULT_SETTINGS, intervalS: 3600, graceS: 20, staleAfterS: 3700 };
  const claude = () => join(st.dir, 'claude', 'settings.json');

  beforeEach(async () => {
    st = tempState('h10-sleep');
    tmux = new TmuxHarness(cliEnv(st.dir));
    await tmux.run('new-session', '-d', '-s', 'work');
    await installHooks(claude(), HOOKS);
    offset = 0;
    reports.length = 0;
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    await tmux.kill();
    st.dispose();
  });

  const snaps = async () => (await listSnapshots(st.paths)).valid;

  it('8 h suspend and ±2 h jumps: a save within 5 s of each wake, no false alarm, the alarm not held back', async () => {
    daemon = new Daemon({
      paths: st.paths,
      target: { socketName: tmux.socket },
      registry: new RegistryStore(st.paths),
      settings: () => settings,
      claudeSettingsPath: claude(),
      hookCommands: HOOKS,
      clock,
      debounceMs: 200,
      watchdogMs: 150,
      onHealth: (r) => reports.push({ at: Date.now(), r }),
    });
    await daemon.start();
    await waitFor(async () => (await snaps()).length > 0, 10_000, 'the first save');
    await waitFor(() => reports.at(-1)?.r.state === 'fresh', 5000, 'fresh');
    // The daemon's own detector runs on the real clocks; this one sees the injected wall
    // clock and calls the same entry point (what Electron's powerMonitor 'resume' calls).
    let mono = 0;
    const wake = new WakeDetector(
      () => daemon!.notifyResume(),
      5000,
      30_000,
      () => clock().getTime(),
      () => mono,
    );
    wake.start();
    wake.dispose();

    const wakeSave = async (label: string, move: () => void): Promise<number> => {
      const before = new Set((await snaps()).map((s) => s.id));
      const from = reports.length;
      move();
      const t = Date.now();
      wake.check();
      await waitFor(
        async () => (await snaps()).some((s) => !before.has(s.id) && s.trigger === 'wake'),
        5000,
        `a wake save after ${label}`,
      );
      const ms = Date.now() - t;
      await waitFor(() => reports.length > from && reports.at(-1)!.r.state === 'fresh', 5000, `fresh after ${label}`);
      const red = reports.slice(from).filter((x) => x.r.colour === 'red');
      expect(
        red.map((x) => x.r.reason),
        label,
      ).toEqual([]);
      return ms;
    };

    const suspend = await wakeSave('an 8 h suspend', () => {
      offset += 8 * H; // wall clock moved on while timers stood still
    });
    const forward = await wakeSave('a +2 h jump', () => {
      offset += 2 * H;
      mono += 5000;
    });

    // −2 h: no wake. The newest snapshot is now dated 2 h ahead; a save after the jump must
    // count as the newest, or health would stay amber for 2 h and a dead saver go unnoticed.
    const from = reports.length;
    offset -= 2 * H;
    mono += 5000;
    wake.check();
    const manual = await daemon.saveNow('manual');
    expect(manual).not.toBeNull();
    const after = await daemon.checkHealth();
    const redAfterBack = reports.slice(from).filter((x) => x.r.colour === 'red').length;
    expect(redAfterBack).toBe(0);
    expect(after?.state, after?.reason).toBe('fresh');
    expect(after?.newestSnapshotId).toBe(manual!.snapshot.id);
    await daemon.stop();
    daemon = null;

    // The saver is gone now (daemon stopped, server still running): with the clock injected,
    // red must come by stale-after after the last real save, not 2 h later when the wall clock
    // catches up with the future-dated snapshot.
    const lastSave = Date.parse(manual!.snapshot.savedAt);
    let firstRed: number | null = null;
    for (let t = 0; t <= (3 * H) / 1000; t += 30) {
      offset = lastSave + t * 1000 - Date.now();
      const r = await gatherHealth({
        paths: st.paths,
        target: { socketName: tmux.socket },
        settings,
        clock,
        settingsPath: claude(),
        hookCommands: HOOKS,
      });
      if (r.colour === 'red') {
        firstRed = t;
        break;
      }
    }
    expect(firstRed).not.toBeNull();
    expect(firstRed!).toBeGreaterThan(settings.staleAfterS);
    expect(firstRed! - settings.staleAfterS).toBeLessThanOrEqual(31);
    figures(
      `8 daemon with injected clock: wake save ${suspend} ms after an 8 h suspend, ${forward} ms after a +2 h jump (bound 5000 ms); 0 red reports around either; after a −2 h jump a save counts as newest (fresh), and with the saver stopped red comes ${firstRed! - settings.staleAfterS} s after stale-after (not held back by the future-dated snapshot)`,
    );
  }, 60_000);

  it('stale found at wake is held back only for the grace, then alarms by grace + tick', async () => {
    daemon = new Daemon({
      paths: st.paths,
      target: { socketName: tmux.socket },
      registry: new RegistryStore(st.paths),
      settings: () => settings,
      claudeSettingsPath: claude(),
      hookCommands: HOOKS,
      clock,
      debounceMs: 200,
      watchdogMs: 150,
      onHealth: (r) => reports.push({ at: Date.now(), r }),
    });
    await daemon.start();
    await waitFor(async () => (await snaps()).length > 0, 10_000, 'the first save');
    // The server stops answering while the machine sleeps: the wake save cannot succeed.
    const pid = (await tmux.serverPid())!;
    process.kill(pid, 'SIGSTOP');
    try {
      const from = reports.length;
      offset += 8 * H;
      const t0 = Date.now();
      daemon.notifyResume();
      const graceMs = (settings.graceS + settings.intervalS) * 1000;
      // Within the grace the backup shows late (amber), never red for staleness.
      await waitFor(() => reports.length > from + 3, 5000, 'watchdog ticks after the wake');
      const early = reports.slice(from).filter((x) => x.r.state === 'stale');
      expect(early).toHaveLength(0);
      expect(reports.at(-1)!.r.state).toBe('late');
      // Move past the grace: the next tick must say red.
      offset += graceMs;
      const passed = Date.now();
      await waitFor(() => reports.at(-1)!.r.colour === 'red', 15_000, 'red after the grace');
      const heldMs = Date.now() - passed;
      expect(heldMs).toBeLessThan(1000);
      figures(
        `8 wake with a hung server: amber (late) for the whole grace (${graceMs / 1000} s injected), red ${heldMs} ms after the grace ended (watchdog 150 ms); wake at +${Date.now() - t0} ms`,
      );
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 60_000);
});
