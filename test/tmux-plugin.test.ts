import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as ptySpawn, type IPty } from 'node-pty';
import { TmuxHarness, processGone, waitFor } from './helpers/tmux-harness.js';
import { json, runCli } from './helpers/cli.js';

// fleetkeeper.tmux in a real tmux: sourced the way TPM does (run-shell), its options and
// bindings read back, its keys pressed by a client attached in a pseudo-terminal (the bytes a
// keyboard sends), and the daemon it starts seen holding the state dir.

const PLUGIN = join(import.meta.dirname, '..', 'fleetkeeper.tmux');
const LAUNCHER = join(import.meta.dirname, '..', 'bin', 'fleetkeeper.js');

let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
let client: IPty | null = null;
let screen = '';
const daemons: number[] = [];

const snapshots = () => {
  try {
    return readdirSync(join(root, 'state', 'snapshots')).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
};

async function socketPath(): Promise<string> {
  return (await tmux.run('display', '-p', '#{socket_path}')).trim();
}

async function saver(): Promise<{ running: boolean; pid: number | null }> {
  const r = await runCli(['status', '--json', '--socket', await socketPath()], env);
  return json<{ saver: { running: boolean; pid: number | null } }>(r).saver;
}

/** Attach a real client in a pty, as a terminal would. */
async function attach(): Promise<IPty> {
  screen = '';
  const c = ptySpawn('tmux', ['-L', tmux.socket, 'attach', '-t', 'p'], {
    name: 'xterm-256color',
    cols: 120,
    rows: 35,
    env: env as Record<string, string>,
  });
  c.onData((d) => (screen += d));
  await waitFor(async () => (await tmux.run('list-clients', '-F', '#{client_name}')).trim() !== '', 10_000, 'client');
  return c;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fk-plugin-'));
  mkdirSync(join(root, 'home'));
  env = {
    ...process.env,
    FLEETKEEPER_HOME: join(root, 'state'),
    CLAUDE_CONFIG_DIR: join(root, 'claude'),
    HOME: join(root, 'home'),
    SHELL: '/bin/sh',
    TERM: 'xterm-256color',
  };
  for (const k of ['TMUX', 'TMUX_PANE', 'FLEETKEEPER_TMUX_SOCKET']) delete env[k];
  tmux = new TmuxHarness(env);
  await tmux.run('-f', '/dev/null', 'new-session', '-d', '-s', 'p', '-x', '120', '-y', '35');
}, 60_000);

afterEach(() => {
  client?.kill();
  client = null;
});

afterAll(async () => {
  for (const pid of daemons) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await waitFor(() => processGone(pid), 10_000, `daemon ${pid} to stop`);
  }
  await tmux.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('fleetkeeper.tmux', () => {
  it('with the badge and the daemon switched off: bindings only, status-right untouched, no daemon', async () => {
    await tmux.run('set', '-g', '@fleetkeeper-status', 'off');
    await tmux.run('set', '-g', '@fleetkeeper-daemon', 'off');
    await tmux.run('set', '-g', '@fleetkeeper-save-key', 'M-s');
    const before = (await tmux.run('show', '-gv', 'status-right')).trim();
    await tmux.run('run-shell', PLUGIN);
    expect((await tmux.run('show', '-gv', 'status-right')).trim()).toBe(before);
    expect(await tmux.run('list-keys', '-T', 'prefix', 'M-s')).toContain(`'${PLUGIN}' save`);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await saver()).running).toBe(false);
    await tmux.run('unbind', '-T', 'prefix', 'M-s');
    for (const o of ['@fleetkeeper-status', '@fleetkeeper-daemon', '@fleetkeeper-save-key'])
      await tmux.run('set', '-gu', o);
  }, 60_000);

  it('sourced with run-shell: badge in status-right, prefix C-s / C-r bound, a daemon started for this server', async () => {
    await tmux.run('run-shell', PLUGIN);
    const right = (await tmux.run('show', '-gv', 'status-right')).trim();
    expect(right).toContain(`#('${process.execPath}' '${LAUNCHER}' status --tmux --socket '${await socketPath()}')`);
    expect(await tmux.run('list-keys', '-T', 'prefix', 'C-s')).toContain(`run-shell -b "'${PLUGIN}' save"`);
    expect(await tmux.run('list-keys', '-T', 'prefix', 'C-r')).toMatch(/display-popup -E .*restore-popup/);
    await waitFor(async () => (await saver()).running, 20_000, 'the plugin to start a daemon');
    const pid = (await saver()).pid as number;
    daemons.push(pid);
    // Sourced again (a config reload): no second badge, no second daemon.
    await tmux.run('run-shell', PLUGIN);
    const again = (await tmux.run('show', '-gv', 'status-right')).trim();
    expect(again.split(LAUNCHER)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await saver()).pid).toBe(pid);
    // tmux runs the badge: a client's status line shows it.
    client = await attach();
    await waitFor(() => /FK (\d+s|--|HOOKS|LATE)/.test(screen), 20_000, 'the badge on the status line');
  }, 90_000);

  it('prefix C-s pressed on an attached client saves a snapshot and says so', async () => {
    client = await attach();
    await waitFor(() => snapshots() > 0, 20_000, 'the daemon’s first save');
    const before = snapshots();
    client.write('\x02\x13'); // C-b C-s
    await waitFor(() => snapshots() > before, 20_000, 'a snapshot from the save key');
    await waitFor(() => /fleetkeeper: saved \d{8}T/.test(screen), 10_000, 'the save message');
  }, 60_000);

  it('prefix C-r shows the restore plan in a popup and changes nothing when not confirmed', async () => {
    client = await attach();
    const sessions = await tmux.run('list-sessions', '-F', '#{session_name}');
    screen = '';
    client.write('\x02\x12'); // C-b C-r
    await waitFor(() => /restore plan for snapshot/.test(screen) && /\[y\/N\]/.test(screen), 20_000, 'the popup');
    expect(screen).toMatch(/session "p": SKIPPED/);
    const saved = snapshots();
    client.write('n');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tmux.run('list-sessions', '-F', '#{session_name}')).toBe(sessions);
    expect(screen).not.toMatch(/session "p": created/);
    expect(snapshots()).toBeGreaterThanOrEqual(saved);
  }, 60_000);

  it('prefix C-r then y restores a session that is gone', async () => {
    // Stop the plugin's daemon so that its own saves do not supersede the snapshot below.
    for (const pid of daemons.splice(0)) {
      process.kill(pid, 'SIGTERM');
      await waitFor(() => processGone(pid), 10_000, `daemon ${pid} to stop`);
    }
    await tmux.run('new-session', '-d', '-s', 'gone', '-x', '80', '-y', '20');
    await tmux.run('split-window', '-h', '-t', 'gone');
    client = await attach();
    const before = snapshots();
    client.write('\x02\x13');
    await waitFor(() => snapshots() > before, 20_000, 'the save');
    await tmux.run('kill-session', '-t', '=gone');
    screen = '';
    client.write('\x02\x12');
    await waitFor(() => /session "gone": create/.test(screen) && /\[y\/N\]/.test(screen), 20_000, 'the plan');
    client.write('y');
    await waitFor(
      async () => (await tmux.run('list-sessions', '-F', '#{session_name}')).split('\n').includes('gone'),
      30_000,
      'the restored session',
    );
    expect((await tmux.run('list-panes', '-t', '=gone', '-F', '#{pane_index}')).trim().split('\n')).toHaveLength(2);
    await waitFor(() => /Press a key to close/.test(screen), 30_000, 'the restore to finish in the popup');
    client.write('q');
  }, 90_000);
});
