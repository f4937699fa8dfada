import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI, json, runCli, type CliResult } from './helpers/cli.js';

// The CLI contract, walked over every command the CLI itself lists (through its completion
// query, so a command added to the table is walked without editing this file): --json means
// exactly one JSON document on stdout, errors included; bad input exits 2; stray arguments
// are refused, never ignored.

let root: string;
let env: NodeJS.ProcessEnv;
let a: TmuxHarness;
let b: TmuxHarness;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-contract-'));
  mkdirSync(join(root, 'home'));
  env = {
    ...process.env,
    FLEETKEEPER_HOME: join(root, 'state'),
    CLAUDE_CONFIG_DIR: join(root, 'claude'),
    HOME: join(root, 'home'),
    SHELL: '/bin/sh',
  };
  delete env.TMUX;
  delete env.TMUX_PANE;
  delete env.FLEETKEEPER_TMUX_SOCKET;
  a = new TmuxHarness(env);
  b = new TmuxHarness(env);
}, 60_000);

afterAll(async () => {
  await a.kill();
  await b.kill();
  rmSync(root, { recursive: true, force: true });
});

/** One JSON document and nothing else on stdout. */
function oneDocument(r: CliResult): Record<string, unknown> {
  const doc = json(r);
  expect(r.stdout.trim().startsWith('{')).toBe(true);
  expect(JSON.stringify(JSON.parse(r.stdout))).toBe(JSON.stringify(doc));
  return doc;
}

async function words(...prefix: string[]): Promise<string[]> {
  const r = await runCli(['__complete', ...prefix, ''], env);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter((w) => w !== '');
}

/** Every runnable command path, e.g. ['save'], ['hooks', 'install']. */
async function commandPaths(): Promise<string[][]> {
  const paths: string[][] = [];
  for (const c of await words()) {
    const subs = (await words(c)).filter((w) => !w.startsWith('-'));
    const help = await runCli([c, '--help'], env);
    const isParent = /^Commands:/m.test(help.stdout);
    if (isParent) for (const s of subs) paths.push([c, s]);
    else paths.push([c]);
  }
  return paths;
}

describe('the CLI contract', () => {
  it('every command: --help with an example, and a bad option or stray arguments → exit 2 with one JSON document', async () => {
    const paths = await commandPaths();
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['save', 'status', 'restore', 'role', 'hooks install', 'daemon', 'completion']),
    );
    for (const path of paths) {
      const help = await runCli([...path, '--help'], env);
      expect(help.code, path.join(' ')).toBe(0);
      expect(help.stdout).toContain(`Usage: fleetkeeper ${path.join(' ')}`);
      expect(help.stdout).toMatch(/\nExample:\n {2}\S/);
      const helpJson = await runCli([...path, '--help', '--json'], env);
      expect(oneDocument(helpJson).help).toBe(help.stdout);

      const badOption = await runCli([...path, '--no-such-option', '--json'], env);
      expect(badOption.code, `${path.join(' ')} --no-such-option`).toBe(2);
      expect(oneDocument(badOption)).toMatchObject({ ok: false, code: 'invalid-input' });
      expect(badOption.stderr.trim().split('\n')[0]).toContain('--no-such-option');

      // More words than any command takes: refused, whatever its arity (nothing is run).
      const stray = await runCli([...path, ...Array<string>(6).fill('zz-stray'), '--json'], env);
      expect(stray.code, `${path.join(' ')} zz-stray…`).toBe(2);
      expect(oneDocument(stray)).toMatchObject({ ok: false });
      expect(stray.stderr).toContain('zz-stray');
    }
    // A bad value for a typed option.
    const badNumber = await runCli(['restore', '--stagger', 'soon', '--json'], env);
    expect(badNumber.code).toBe(2);
    expect(oneDocument(badNumber).error).toMatch(/--stagger.*"soon"/);
    // Nothing was run by any of the refused commands: not even the state dir was created.
    expect(existsSync(join(root, 'state'))).toBe(false);
  }, 300_000);

  it('top level: unknown command, no command, --version --json, help COMMAND', async () => {
    const unknown = await runCli(['frobnicate', '--json'], env);
    expect(unknown.code).toBe(2);
    expect(oneDocument(unknown).error).toContain('"frobnicate"');
    const none = await runCli(['--json'], env);
    expect(none.code).toBe(2);
    oneDocument(none);
    const v = await runCli(['--version', '--json'], env);
    expect(v.code).toBe(0);
    expect(oneDocument(v).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await runCli(['help', 'restore'], env)).stdout).toBe((await runCli(['restore', '--help'], env)).stdout);
    expect((await runCli(['help', 'nope'], env)).code).toBe(2);
  });

  it('an unknown pane is bad input: exit 2, one JSON document', async () => {
    await a.run('new-session', '-d', '-s', 'w', '-x', '80', '-y', '20');
    const r = await runCli(['role', '--pane', '%999', '--socket', a.socket, '--json'], env);
    expect(r.code).toBe(2);
    expect(oneDocument(r).error).toContain('"%999"');
    const set = await runCli(['role', 'x', '--pane', 'nosuch:9.9', '--socket', a.socket], env);
    expect(set.code).toBe(2);
  });

  it('role without --pane, run in a pane of server A with --socket B: refused naming both; B’s pane with the same %id is untouched', async () => {
    await b.run('new-session', '-d', '-s', 'other', '-x', '80', '-y', '20');
    const bPane = (await b.run('display', '-p', '-t', 'other:0.0', '#{pane_id}')).trim();
    const aPanes = (await a.run('list-panes', '-a', '-F', '#{pane_id}')).trim().split('\n');
    // The first pane of each fresh server is %0: the same handle naming two different panes.
    expect(aPanes).toContain(bPane);
    const before = (await b.run('display', '-p', '-t', bPane, '#{@fleetkeeper-role}')).trim();
    const out = join(root, 'role-out');
    // The first two runs pin $TMUX_PANE to the %id both servers have; the last keeps tmux's own.
    const cmd = (extra: string, pin = true) =>
      `${pin ? `TMUX_PANE=${bPane} ` : ''}${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} role stolen ${extra} --json > ${out} 2>&1; echo "rc=$?" >> ${out}`;
    await a.run('set', '-g', 'remain-on-exit', 'on');
    // Run inside A's pane %0 (tmux sets $TMUX to A's socket) with B named by --socket.
    await a.run(
      'respawn-pane',
      '-k',
      '-t',
      bPane,
      '-e',
      `FLEETKEEPER_HOME=${join(root, 'state')}`,
      cmd(`--socket ${b.socket}`),
    );
    await waitFor(() => /rc=\d+/.test(safeRead(out)), 20_000, 'role in pane to finish');
    const text = safeRead(out);
    expect(text).toMatch(/rc=2/);
    const doc = JSON.parse(text.slice(text.indexOf('{'), text.indexOf('}\n') + 1)) as { error: string };
    expect(doc.error).toContain(`/tmux-${process.getuid?.() ?? 0}/${a.socket}`);
    expect(doc.error).toContain(b.socket);
    expect((await b.run('display', '-p', '-t', bPane, '#{@fleetkeeper-role}')).trim()).toBe(before);

    // The same through FLEETKEEPER_TMUX_SOCKET.
    rmSync(out);
    await a.run('new-window', '-t', 'w', '-e', `FLEETKEEPER_TMUX_SOCKET=${b.socket}`, cmd(''));
    await waitFor(() => /rc=\d+/.test(safeRead(out)), 20_000, 'role in pane to finish');
    expect(safeRead(out)).toMatch(/rc=2/);
    expect((await b.run('display', '-p', '-t', bPane, '#{@fleetkeeper-role}')).trim()).toBe(before);

    // Against its own server it works.
    rmSync(out);
    const paneA = (
      await a.run('new-window', '-P', '-F', '#{pane_id}', '-t', 'w', cmd(`--socket ${a.socket}`, false))
    ).trim();
    await waitFor(() => /rc=\d+/.test(safeRead(out)), 20_000, 'role in pane to finish');
    expect(safeRead(out)).toMatch(/rc=0/);
    expect((await a.run('show', '-pv', '-t', paneA, '@fleetkeeper-role')).trim()).toBe('stolen');
  }, 60_000);

  it('hooks install/uninstall from the CLI: settings backups pruned to the last few, each 0600', async () => {
    mkdirSync(join(root, 'claude'), { recursive: true });
    writeFileSync(join(root, 'claude', 'settings.json'), '{"model": "x"}\n', { mode: 0o644 });
    for (let i = 0; i < 8; i++) {
      expect((await runCli(['hooks', 'install'], env)).code).toBe(0);
      expect((await runCli(['hooks', 'uninstall'], env)).code).toBe(0);
    }
    const backups = readdirSync(join(root, 'claude')).filter((f) => f.startsWith('settings.json.fleetkeeper-backup-'));
    expect(backups.length).toBeGreaterThan(0);
    expect(backups.length).toBeLessThanOrEqual(5);
    for (const b of backups) expect(statSync(join(root, 'claude', b)).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('status names a missing, stopped or killed daemon and uses the settings’ interval, not a dead daemon’s; --tmux is coloured', async () => {
    await a.run('new-session', '-d', '-s', 'st', '-x', '80', '-y', '20');
    const none = json<{ saver: { running: boolean; detail: string } }>(
      await runCli(['status', '--socket', a.socket, '--json'], env),
    );
    expect(none.saver).toMatchObject({ running: false });
    expect(none.saver.detail).toMatch(/no daemon or app has run/);
    expect((await runCli(['status', '--socket', a.socket], env)).stdout).toMatch(/saver: NONE/);

    // Settings: saves every 60 s, no grace, so lateness shows quickly.
    writeFileSync(join(root, 'state', 'settings.json'), '{"graceS": 0}\n', { mode: 0o600 });
    // A daemon with a 2 s clock, logging JSON lines on stdout, then killed without stopping.
    const d = spawn(process.execPath, [CLI, 'daemon', '--interval', '2', '--socket', a.socket, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    d.stdout.on('data', (x: Buffer) => (log += x.toString()));
    await waitFor(() => log.includes('running (interval 2 s'), 20_000, 'daemon to start');
    for (const line of log.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('message');
    const running = json<{ saver: { running: boolean; pid: number } }>(
      await runCli(['status', '--socket', a.socket, '--json'], env),
    );
    expect(running.saver).toMatchObject({ running: true, pid: d.pid });
    const second = await runCli(['daemon', '--if-idle', '--socket', a.socket], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/not started: a saver already holds/);
    const snapDir = join(root, 'state', 'snapshots');
    await waitFor(
      () => existsSync(snapDir) && readdirSync(snapDir).some((f) => f.endsWith('.json')),
      20_000,
      'the daemon’s first save',
    );
    await new Promise<void>((resolve) => {
      d.on('exit', () => resolve());
      d.kill('SIGKILL');
    });
    // The settings say 60 s; the dead daemon said 2 s. 5 s later the backup is late by the
    // dead daemon's clock, fresh by the settings'.
    await new Promise((r) => setTimeout(r, 5000));
    const killed = await runCli(['status', '--socket', a.socket, '--json'], env);
    const k = json<{
      state: string;
      reason: string;
      problems: Array<{ code: string }>;
      saver: { running: boolean; detail: string };
    }>(killed);
    expect(k.saver.running).toBe(false);
    expect(k.saver.detail).toMatch(/is gone without stopping/);
    expect(k.reason).not.toMatch(/every 2s/);
    // Fresh by the settings' clock; and no Claude pane is uncovered, so missing hooks do not
    // turn the badge into FK HOOKS (they stay listed as a problem).
    expect([k.state, k.reason]).toEqual(['fresh', expect.stringMatching(/^last snapshot \d+s ago/)]);
    expect(k.problems.map((p) => p.code)).toContain('hooks-missing');
    expect((await runCli(['status', '--short', '--socket', a.socket], env)).stdout.trim()).toMatch(/^FK \d+s$/);

    // Stopped cleanly: said so.
    const d2 = spawn(process.execPath, [CLI, 'daemon', '--interval', '2', '--socket', a.socket], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log2 = '';
    d2.stderr.on('data', (x: Buffer) => (log2 += x.toString()));
    await waitFor(() => log2.includes('running (interval 2 s'), 20_000, 'second daemon to start');
    await new Promise<void>((resolve) => {
      d2.on('exit', () => resolve());
      d2.kill('SIGTERM');
    });
    const stopped = json<{ saver: { running: boolean; detail: string } }>(
      await runCli(['status', '--socket', a.socket, '--json'], env),
    );
    expect(stopped.saver).toMatchObject({ running: false });
    expect(stopped.saver.detail).toMatch(/^the daemon stopped \(pid \d+/);

    const tmuxLine = (await runCli(['status', '--tmux', '--socket', a.socket], env)).stdout.trim();
    expect(tmuxLine).toMatch(/^#\[fg=\w+.*\]FK .*#\[default\]$/);
  }, 90_000);
});

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
