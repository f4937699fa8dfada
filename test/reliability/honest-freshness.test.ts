// Group 7, honest freshness. With an injected clock and no saver: the real health service over
// a real state dir feeds the real notification policy on a watchdog tick; the alarm comes on
// time, repeats on schedule and clears only after a verified save. Then the real CLI against a
// real daemon that is SIGSTOPped, and against a tmux server that stops answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthReport } from '../../main/common/base/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../../main/common/settings/settings-model.js';
import { NotificationPolicy, type PolicyNotification } from '../../main/common/health/notification-policy.js';
import { gatherHealth } from '../../main/node/daemon/health-service.js';
import { buildSnapshot, listSnapshots, writeSnapshot } from '../../main/node/snapshot/store.js';
import { hookCommands, installHooks } from '../../main/node/claude/settings-file.js';
import { ensureBuilt, figures, rng, scaled, seedFromEnv, tempState, type TempState } from './helpers/harness.js';
import { DaemonProc, TmuxHarness, cliEnv, handFleet, killServer, waitFor } from './helpers/h10-support.js';
import { json, runCli } from '../helpers/cli.js';

const HOOKS = hookCommands('/usr/bin/node', '/opt/fleetkeeper/bin/fleetkeeper.js');

interface Config {
  I: number;
  G: number;
  S: number;
  T: number;
  R: number;
}

interface Timeline {
  firstLate: number | null;
  firstRed: number | null;
  alarms: number[];
  recoveredAt: number | null;
  redBeforeS: number;
}

/**
 * Virtual time from the last good save (t = 0) on, one watchdog tick every T seconds, exactly
 * as the daemon wires it: gatherHealth(clock) → policy.handle(health). Mid-way, a snapshot
 * that fails its checksum and an old one touched to now arrive; neither may clear the alarm.
 * At `saveAt` a verified save does.
 */
async function simulate(st: TempState, c: Config, saveAt: number): Promise<Timeline> {
  const t0 = Date.parse('2026-03-01T12:00:00.000Z') + Math.floor(Math.random() * 1e6) * 1000;
  let now = t0;
  const clock = () => new Date(now);
  const fleet = handFleet(2);
  await writeSnapshot(st.paths, buildSnapshot(fleet, {}, 'interval', new Date(t0)));
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    intervalS: c.I,
    graceS: c.G,
    staleAfterS: c.S,
    renotifyMinutes: c.R,
  };
  const claude = join(st.dir, 'claude-settings.json');
  await installHooks(claude, HOOKS);
  const policy = new NotificationPolicy(
    () => ({ renotifyMinutes: c.R, wakeGraceS: c.G + c.I, enabled: true, tzOffsetMinutes: 0 }),
    clock,
  );
  const tl: Timeline = { firstLate: null, firstRed: null, alarms: [], recoveredAt: null, redBeforeS: 0 };
  const dishonest = saveAt / 2;
  let planted = false;
  for (let t = 0; t <= saveAt + 2 * c.T; t += c.T) {
    now = t0 + t * 1000;
    if (!planted && t >= dishonest && t >= c.S + c.T) {
      planted = true;
      // A checksum that fails: newest by name and savedAt, must not count.
      const bad = await writeSnapshot(st.paths, buildSnapshot(fleet, {}, 'interval', new Date(now)));
      const file = join(st.paths.snapshots, `${bad.id}.json`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/"name": "s0"/, '"name": "s9"'));
      // The oldest snapshot touched to now: mtime is not age.
      const listing = await listSnapshots(st.paths);
      const oldest = listing.valid.at(-1)!;
      const of = join(st.paths.snapshots, `${oldest.id}.json`);
      utimesSync(of, new Date(now), new Date(now));
      expect((await listSnapshots(st.paths)).corrupt.map((x) => x.file).join()).toContain(bad.id);
    }
    if (t === saveAt) await writeSnapshot(st.paths, buildSnapshot(fleet, {}, 'interval', new Date(now)));
    const report: HealthReport = await gatherHealth({
      paths: st.paths,
      target: { socketName: 'fk-h10-unused' },
      settings,
      clock,
      settingsPath: claude,
      hookCommands: HOOKS,
      live: fleet,
    });
    const notes: PolicyNotification[] = policy.handle({ kind: 'health', report });
    if (report.state === 'late' && tl.firstLate === null) tl.firstLate = t;
    if ((report.state === 'stale' || report.state === 'failing') && t < saveAt) {
      tl.firstRed ??= t;
      if (t <= c.S) tl.redBeforeS++;
    }
    if (t < saveAt && report.state === 'fresh' && t > c.I + c.G)
      throw new Error(`fresh at t=${t} s with no save since t=0: ${report.reason}`);
    for (const n of notes) {
      if (n.urgency === 'critical') tl.alarms.push(t);
      else if (/fresh again/.test(n.title)) tl.recoveredAt ??= t;
    }
    if (t > c.S && t < saveAt && planted) {
      // After the dishonest files arrived the report still names the old age and the damage.
      expect(report.state).toBe('stale');
      expect(report.ageSeconds).toBe(t);
      expect(report.problems.some((p) => p.code === 'snapshot-corrupt')).toBe(true);
    }
  }
  return tl;
}

describe('7 honest freshness', () => {
  it('injected clock: no alarm before I+G, an alarm by I+G+T, re-notified on schedule, cleared only by a verified save', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    // The G for the red alarm is stale-after − interval; amber comes at interval + grace.
    const configs: Config[] = [{ I: 60, G: 30, S: 300, T: 30, R: 15 }];
    const n = scaled(12);
    for (let i = 0; i < n; i++) {
      const I = 1 + Math.floor(rand() * 120);
      const G = Math.floor(rand() * 60);
      const S = I + G + 1 + Math.floor(rand() * 300);
      const T = Math.min(30, Math.max(1, Math.round(I / 2)));
      configs.push({ I, G, S, T, R: 1 + Math.floor(rand() * 5) });
    }
    let worstRedDelay = 0;
    let worstLateDelay = 0;
    let renotifyChecks = 0;
    for (const c of configs) {
      const st = tempState('h10-fresh');
      try {
        const repeats = 3;
        // Align the verified save to a tick so "cleared at the next tick" is exact.
        const saveAt = Math.ceil((c.S + 1 + c.T + repeats * (c.R * 60 + c.T) + c.T) / c.T) * c.T;
        const tl = await simulate(st, c, saveAt);
        const where = JSON.stringify({ seed, ...c, tl });
        expect(tl.redBeforeS, where).toBe(0);
        expect(tl.firstRed, where).not.toBeNull();
        // Whole-second ages: stale means floor(age) > S, so up to 1 s beyond S, then the tick.
        const redDelay = tl.firstRed! - c.S;
        expect(redDelay, where).toBeGreaterThan(0);
        expect(redDelay, where).toBeLessThanOrEqual(c.T + 1);
        worstRedDelay = Math.max(worstRedDelay, redDelay);
        // Amber is shown on the first tick with I + G < floor(age) ≤ S, if a tick falls there.
        const lateTick = Math.ceil((c.I + c.G + 1) / c.T) * c.T;
        if (lateTick <= c.S) {
          expect(tl.firstLate, where).toBe(lateTick);
          expect(lateTick - (c.I + c.G), where).toBeLessThanOrEqual(c.T + 1);
          worstLateDelay = Math.max(worstLateDelay, lateTick - (c.I + c.G));
        } else {
          expect(tl.firstLate, where).toBeNull();
        }
        // The first alarm is the red transition; the repeats come every R minutes (on a tick).
        expect(tl.alarms[0], where).toBe(tl.firstRed);
        expect(tl.alarms.length, where).toBeGreaterThanOrEqual(repeats + 1);
        for (let k = 1; k < tl.alarms.length; k++) {
          const gap = tl.alarms[k]! - tl.alarms[k - 1]!;
          expect(gap, where).toBeGreaterThanOrEqual(c.R * 60);
          expect(gap, where).toBeLessThan(c.R * 60 + c.T);
          renotifyChecks++;
        }
        expect(tl.recoveredAt, where).toBe(saveAt);
      } finally {
        st.dispose();
      }
    }
    figures(
      `7 freshness (injected clock): ${configs.length} configs (seed ${seed}); red never before stale-after, first red ≤ S + ${worstRedDelay} s (T + 1 allowed), amber ≤ I+G + ${worstLateDelay} s; ${renotifyChecks} re-notify gaps on schedule; a bad-checksum newest and an old file touched to now never cleared it; cleared on the tick of the verified save`,
    );
  }, 60_000);
});

describe('7 honest freshness: a hung saver and a server that stops answering, through the CLI', () => {
  let dir: TempState;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let daemon: DaemonProc | null = null;
  let tmuxPid: number | null = null;

  beforeAll(async () => {
    ensureBuilt();
    dir = tempState('h10-hung');
    env = cliEnv(dir.dir, { FLEETKEEPER_HOME: dir.root });
    tmux = new TmuxHarness(env);
    await tmux.run('new-session', '-d', '-s', 'work');
    tmuxPid = await tmux.serverPid();
    // Hooks installed so that a fresh report is "fresh", not "hooks-missing".
    expect((await runCli(['hooks', 'install'], env)).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    await killServer(tmux, tmuxPid);
    dir.dispose();
  });

  const status = async () => {
    const t = Date.now();
    const r = await runCli(['status', '--json', '--socket', tmux.socket], env);
    return { report: json<HealthReport>(r), code: r.code, ms: Date.now() - t };
  };
  const short = async () => (await runCli(['status', '--short', '--socket', tmux.socket], env)).stdout.trim();

  it('a SIGSTOPped daemon shows stale to status --json and status --short by I + G + T', async () => {
    const I = 1;
    const S = 3;
    daemon = new DaemonProc(['--interval', String(I), '--stale-after', String(S), '--socket', tmux.socket], env);
    await waitFor(
      async () => (await status()).report.state === 'fresh',
      20_000,
      'a fresh report from the running daemon',
    );
    process.kill(daemon.pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    // The newest snapshot's savedAt is the honest start of the clock.
    const newest = (await listSnapshots(dir.paths)).valid[0]!;
    const savedMs = Date.parse(newest.savedAt);
    let first: { report: HealthReport; code: number; ms: number } | null = null;
    let lastNonStale = 0;
    while (Date.now() - stoppedAt < 15_000) {
      const s = await status();
      const at = Date.now();
      if (s.report.state === 'stale') {
        first = s;
        break;
      }
      expect(['fresh', 'late'], JSON.stringify(s.report)).toContain(s.report.state);
      lastNonStale = at - savedMs;
    }
    expect(first, 'stale within 15 s of the SIGSTOP').not.toBeNull();
    const staleSeenMs = Date.now() - savedMs;
    expect(first!.code).toBe(1);
    expect(first!.report.colour).toBe('red');
    const line = await short();
    expect(line).toMatch(/^FK STALE \d+s$/);
    // I + G + T with G = S − I (stale-after), plus the 1 s of whole-second ages and one CLI run.
    const bound = (S + 1) * 1000 + first!.ms + 500;
    expect(staleSeenMs).toBeLessThanOrEqual(bound);
    // Still exactly the newest snapshot: nothing newer appeared while stopped.
    expect((await listSnapshots(dir.paths)).valid[0]!.id).toBe(newest.id);

    process.kill(daemon.pid, 'SIGCONT');
    await waitFor(async () => (await status()).report.state === 'fresh', 15_000, 'fresh after SIGCONT');
    figures(
      `7 hung saver (SIGSTOP daemon, I=${I} s, stale-after ${S} s): status stale at snapshot age ${(staleSeenMs / 1000).toFixed(2)} s (bound ${(bound / 1000).toFixed(2)} s; last non-stale read at ${(lastNonStale / 1000).toFixed(2)} s; one status run ${first!.ms} ms), short line "${line}", exit 1; fresh again after SIGCONT`,
    );
  }, 60_000);

  it('a tmux server that stops answering turns status red (failing or stale), never grey or green', async () => {
    expect(daemon?.alive).toBe(true);
    const pid = tmuxPid!;
    process.kill(pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    let red: { report: HealthReport; code: number; ms: number } | null = null;
    const seen: string[] = [];
    try {
      while (Date.now() - stoppedAt < 40_000) {
        const s = await status();
        seen.push(`${s.report.state}@${((Date.now() - stoppedAt) / 1000).toFixed(1)}s`);
        if (s.report.state === 'failing' || s.report.state === 'stale') {
          red = s;
          break;
        }
        expect(s.report.state, seen.join(' ')).not.toBe('fresh');
      }
      expect(red, seen.join(' ')).not.toBeNull();
      const redAfter = (Date.now() - stoppedAt) / 1000;
      expect(red!.code).toBe(1);
      expect(red!.report.colour).toBe('red');
      const line = await short();
      expect(line, seen.join(' ')).toMatch(/^FK (FAIL|STALE \d+s)$/);
      figures(
        `7 unanswering tmux (SIGSTOP server, daemon connected): status red after ${redAfter.toFixed(1)} s, each status run waiting out tmux's 10 s timeout (${seen.join(', ')}); "${red!.report.reason.slice(0, 90)}"; short "${line}"`,
      );
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(async () => (await status()).report.state === 'fresh', 30_000, 'fresh after SIGCONT of tmux');
  }, 90_000);
});
