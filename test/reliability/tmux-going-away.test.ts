// Group 9, tmux going away: the server SIGKILLed while saves run back to back, while `restore`
// executes, and under a running `fleetkeeper daemon`; then a new server appears. The last
// healthy snapshot stays the restore default, no empty snapshot is ever written, the daemon
// reconnects and nothing crashes.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../../main/common/base/shell-quote.js';
import { DEFAULT_SETTINGS } from '../../main/common/settings/settings-model.js';
import type { SnapshotSummary } from '../../main/common/snapshot/summary.js';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { saveSnapshot } from '../../main/node/snapshot/save.js';
import { handledInstances, listSnapshots, restoreDefault } from '../../main/node/snapshot/store.js';
import { ensureBuilt, figures, rng, scaled, seedFromEnv, sleep, tempState, type TempState } from './helpers/harness.js';
import { DaemonProc, TmuxHarness, cliEnv, processGone, waitFor } from './helpers/h10-support.js';
import { json, runCli } from '../helpers/cli.js';

const seed = seedFromEnv();
const rand = rng(seed);
const cleanup: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function fleetOn(tmux: TmuxHarness, sessions: number): Promise<number> {
  for (let i = 0; i < sessions; i++) {
    await tmux.run('new-session', '-d', '-s', `s${i}`, '-x', '100', '-y', '30');
    if (i % 2 === 0) await tmux.run('split-window', '-t', `s${i}`);
  }
  return (await tmux.serverPid())!;
}

/**
 * A `tmux` first on PATH for one restore: every call it makes once a server is up on `socket`
 * waits while `gate` exists. The test kills the server, then removes the gate: the restore is
 * then certainly still executing when its server dies, whatever the machine's speed (with a
 * random kill instant alone, a restore that finishes its ~3 tmux calls first makes the round moot).
 */
function gatedTmux(dir: string, socket: string): { path: string; gate: string } {
  const real = execFileSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).trim();
  const bin = join(dir, 'gated-bin');
  const gate = join(dir, 'gate');
  mkdirSync(bin, { recursive: true });
  const q = shellQuote;
  writeFileSync(
    join(bin, 'tmux'),
    `#!/bin/sh\nif [ -e ${q(gate)} ] && ${q(real)} -L ${q(socket)} list-sessions >/dev/null 2>&1; then\n  while [ -e ${q(gate)} ]; do sleep 0.01; done\nfi\nexec ${q(real)} "$@"\n`,
  );
  chmodSync(join(bin, 'tmux'), 0o755);
  writeFileSync(gate, '');
  return { path: bin, gate };
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

async function defaultOf(st: TempState): Promise<SnapshotSummary | null> {
  return restoreDefault(await listSnapshots(st.paths), null, await handledInstances(st.paths));
}

function noEmpty(valid: readonly SnapshotSummary[]): void {
  for (const s of valid) expect(s.sessions, `snapshot ${s.id} has no sessions`).toBeGreaterThan(0);
}

describe('9 tmux going away', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('server SIGKILLed while saves run back to back: no empty or partial default, ever', async () => {
    const st = tempState('h10-gone-save');
    cleanup.push(() => st.dispose());
    const registry = new RegistryStore(st.paths);
    const rounds = scaled(25);
    let attempts = 0;
    let failed = 0;
    let ok = 0;
    for (let r = 0; r < rounds; r++) {
      const tmux = new TmuxHarness(cliEnv(st.dir));
      const sessions = 2 + (r % 4);
      const pid = await fleetOn(tmux, sessions);
      const deps = {
        paths: st.paths,
        target: { socketName: tmux.socket },
        registry,
        settings: DEFAULT_SETTINGS,
        clock: () => new Date(),
      };
      const healthy = await saveSnapshot(deps, 'manual');
      let stop = false;
      const loop = (async () => {
        while (!stop) {
          attempts++;
          try {
            await saveSnapshot(deps, 'interval');
            ok++;
          } catch {
            failed++;
            return;
          }
        }
      })();
      await sleep(rand() * 200);
      sigkill(pid);
      await waitFor(() => processGone(pid), 10_000, 'the killed server to go');
      await Promise.race([loop, sleep(15_000)]);
      stop = true;
      await loop;
      const listing = await listSnapshots(st.paths);
      noEmpty(listing.valid);
      const d = await defaultOf(st);
      expect(d).not.toBeNull();
      // The default is a whole snapshot of the killed server: as many sessions as it had.
      expect(d!.instance.pid).toBe(pid);
      expect(d!.sessions).toBe(sessions);
      expect(Date.parse(d!.savedAt)).toBeGreaterThanOrEqual(Date.parse(healthy.snapshot.savedAt));
      expect(listing.corrupt).toEqual([]);
    }
    figures(
      `9 killed mid-save: ${rounds} servers SIGKILLed during back-to-back saves (seed ${seed}): ${attempts} save attempts, ${ok} ok, ${failed} refused/failed at the kill; 0 empty snapshots, 0 corrupt, default always a whole snapshot of the dead server`,
    );
  }, 120_000);

  it('server SIGKILLed while restore executes: a clear error, the default unchanged, a later restore works', async () => {
    const st = tempState('h10-gone-restore');
    cleanup.push(() => st.dispose());
    const env = cliEnv(st.dir, { FLEETKEEPER_HOME: st.root });
    const tmux = new TmuxHarness(env);
    cleanup.push(() => tmux.kill());
    const N = 24;
    const pid = await fleetOn(tmux, N);
    const saved = json<{ id: string }>(await runCli(['save', '--json', '--socket', tmux.socket], env));
    sigkill(pid);
    await waitFor(() => processGone(pid), 10_000, 'the first server to go');
    const rounds = scaled(6);
    let interrupted = 0;
    let finished = 0;
    const reasons = new Set<string>();
    for (let r = 0; r < rounds; r++) {
      // The first round holds the restore's tmux calls after its server started (gatedTmux), so
      // at least one kill certainly lands mid-restore; the others kill at a random instant only.
      const gated = r === 0 ? gatedTmux(st.dir, tmux.socket) : null;
      if (gated) cleanup.push(() => rmSync(gated.gate, { force: true }));
      const runEnv = gated ? { ...env, PATH: `${gated.path}:${env.PATH ?? ''}` } : env;
      const run = runCli(['restore', '--json', '--stagger', '150', '--socket', tmux.socket], runEnv);
      // Kill the new server as soon as restore has started it, plus a random instant.
      let b: number | null = null;
      const end = Date.now() + 10_000;
      while (b === null && Date.now() < end) {
        b = await tmux.serverPid();
        if (b === null) await sleep(5);
      }
      await sleep(rand() * 100);
      if (b !== null) sigkill(b);
      if (b !== null) await waitFor(() => processGone(b), 10_000, 'the restored server to go');
      if (gated) rmSync(gated.gate, { force: true });
      const res = await run;
      if (res.code === 0) {
        expect(gated, 'the gated round cannot finish before its server dies').toBeNull();
        // Finished before the kill landed: then it must have been whole.
        finished++;
        expect(json<{ ok: boolean; problems: string[] }>(res).problems).toEqual([]);
      } else {
        interrupted++;
        const out = json<{ ok: boolean; error?: string; problems?: string[] }>(res);
        expect(out.ok).toBe(false);
        // Either one line naming the failure, or a report that says what is missing.
        if (out.error !== undefined) {
          expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
          expect(res.stderr).toMatch(/^fleetkeeper restore: /);
        } else {
          expect(out.problems?.length, res.stdout).toBeGreaterThan(0);
          reasons.add((out.problems ?? [])[0]!.replace(/\d+/g, 'N'));
        }
        expect(res.stderr).not.toMatch(/\n\s+at /);
      }
      const listing = await listSnapshots(st.paths);
      noEmpty(listing.valid);
      // Nothing was saved of the half-restored server (no saver ran), and the default stays.
      expect((await defaultOf(st))?.id).toBe(saved.id);
      const dry = json<{ snapshotId: string }>(
        await runCli(['restore', '--dry-run', '--json', '--socket', tmux.socket], env),
      );
      expect(dry.snapshotId).toBe(saved.id);
      const leftover = await tmux.serverPid();
      if (leftover !== null) await tmux.kill();
    }
    expect(interrupted).toBeGreaterThan(0);
    const whole = await runCli(['restore', '--json', '--stagger', '0', '--socket', tmux.socket], env);
    expect(whole.code, whole.stderr).toBe(0);
    expect((await tmux.run('list-sessions', '-F', '#{session_name}')).trim().split('\n').sort()).toEqual(
      Array.from({ length: N }, (_, i) => `s${i}`).sort(),
    );
    figures(
      `9 killed during restore: ${rounds} restores (${N} sessions, stagger 150 ms) with the new server SIGKILLed 0-100 ms after restore started it: ${interrupted} reported failed (exit 1: ${[...reasons].join(' / ')}), ${finished} finished whole first; default stayed ${saved.id}; a full restore afterwards recreated all ${N} sessions`,
    );
  }, 120_000);

  it('a running daemon: server killed, gone, a new one appears, killed again; it reconnects and never crashes', async () => {
    const st = tempState('h10-gone-daemon');
    cleanup.push(() => st.dispose());
    const env = cliEnv(st.dir, { FLEETKEEPER_HOME: st.root });
    const tmux = new TmuxHarness(env);
    cleanup.push(() => tmux.kill());
    const daemon = new DaemonProc(['--interval', '1', '--stale-after', '5', '--socket', tmux.socket], env);
    cleanup.push(() => daemon.stop());
    const rounds = scaled(5);
    const pids: number[] = [];
    const reconnectMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = Date.now();
      const pid = await fleetOn(tmux, 1 + (r % 3));
      pids.push(pid);
      await waitFor(
        async () => (await listSnapshots(st.paths)).valid.some((s) => s.instance.pid === pid),
        15_000,
        `a save of server ${r + 1}`,
      );
      reconnectMs.push(Date.now() - t);
      // Kill it mid-save: the daemon saves every second, the kill lands at a random instant.
      await sleep(300 + rand() * 1500);
      sigkill(pid);
      await waitFor(() => processGone(pid), 10_000, 'the server to go');
      await waitFor(
        async () => {
          const s = json<{ state: string }>(await runCli(['status', '--json', '--socket', tmux.socket], env));
          return s.state === 'no-server';
        },
        10_000,
        'status no-server',
      );
      expect(daemon.alive, daemon.log).toBe(true);
      const listing = await listSnapshots(st.paths);
      noEmpty(listing.valid);
      const d = await defaultOf(st);
      expect(d?.instance.pid).toBe(pid);
      expect(d?.sessions).toBe(1 + (r % 3));
      await sleep(rand() * 2000);
    }
    expect(daemon.alive).toBe(true);
    expect(daemon.log).not.toMatch(/TypeError|ReferenceError|unhandled|\n\s+at /i);
    figures(
      `9 daemon through ${rounds} server deaths (SIGKILL at random instants): a save of each new server ${Math.min(...reconnectMs)}-${Math.max(...reconnectMs)} ms after it appeared, status no-server after each kill, the default always the dead server's last whole snapshot, daemon alive, 0 errors logged beyond expected ones`,
    );
  }, 120_000);
});
