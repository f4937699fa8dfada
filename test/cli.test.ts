import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI, json, runCli } from './helpers/cli.js';
import { isolatedEnv, tempDir, type TempDir } from './helpers/fixtures.js';

// The CLI contract: every command answers --json with one document, exits 0 on success and
// non-zero with a one-line reason, and status tells the truth through its exit code.

let temp: TempDir;
let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
const cli = (...args: string[]) => runCli([...args, '--socket', tmux.socket], env);

beforeAll(() => {
  temp = tempDir('cli');
  root = temp.dir;
  // The state dir is not created here: the CLI creates it.
  env = isolatedEnv(root);
  tmux = new TmuxHarness(env);
}, 60_000);

afterAll(async () => {
  await tmux.kill();
  temp.dispose();
});

describe('fleetkeeper CLI', () => {
  it('--help and --version; an unknown command or flag is a usage error', async () => {
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('restore [ID] [--dry-run]');
    expect((await runCli(['--version'], env)).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const bad = await runCli(['frobnicate'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"frobnicate"');
    expect((await runCli(['status', '--bogus'], env)).code).toBe(2);
  });

  it('without a server: save fails with one line, status says no-server, nothing is started', async () => {
    const save = await cli('save');
    expect(save.code).toBe(1);
    expect(save.stderr.trim().split('\n')).toHaveLength(1);
    expect(save.stderr).toMatch(/no tmux server/);
    const j = json<{ ok: boolean; error: string }>(await cli('save', '--json'));
    expect(j.ok).toBe(false);
    const status = await cli('status', '--json');
    expect(status.code).toBe(1);
    expect(json<{ state: string }>(status).state).toBe('no-server');
    expect((await cli('status', '--short')).stdout.trim()).toBe('FK --');
    expect(await tmux.serverPid()).toBeNull();
    const restore = await cli('restore');
    expect(restore.code).not.toBe(0);
    expect(restore.stderr).toMatch(/no snapshot/);
  });

  it('save, snapshots, status fresh then stale by the injected stale-after, registry, hooks', async () => {
    await tmux.run('new-session', '-d', '-s', 'w', '-x', '100', '-y', '30');
    await tmux.run('split-window', '-t', 'w');
    // A session a restore is still building (temporary name) is not saved as the user's.
    await tmux.run('new-session', '-d', '-s', 'fk-restore-0123456789abcdef');
    const saved = json<{ ok: boolean; id: string; panes: number; sessions: number }>(await cli('save', '--json'));
    expect(saved).toMatchObject({ ok: true, panes: 2, sessions: 1 });
    await tmux.run('kill-session', '-t', '=fk-restore-0123456789abcdef');
    const list = json<{ valid: Array<{ id: string; panes: number }> }>(await cli('snapshots', '--json'));
    expect(list.valid[0]).toMatchObject({ id: saved.id, panes: 2 });
    expect((await cli('snapshots')).stdout).toContain(saved.id);

    expect(json<{ state: string }>(await cli('hooks', 'status', '--json')).state).toBe('missing');
    expect((await cli('hooks', 'install')).code).toBe(0);
    const again = json<{ changed: boolean }>(await cli('hooks', 'install', '--json'));
    expect(again.changed).toBe(false);
    expect((await cli('hooks', 'status')).code).toBe(0);

    const fresh = await cli('status', '--json');
    expect(json<{ state: string }>(fresh).state).toBe('fresh');
    expect(fresh.code).toBe(0);
    expect((await cli('status', '--short')).stdout.trim()).toMatch(/^FK \d+s$/);
    await new Promise((r) => setTimeout(r, 2100));
    const stale = await cli('status', '--stale-after', '1', '--json');
    expect(json<{ state: string }>(stale).state).toBe('stale');
    expect(stale.code).toBe(1);
    expect((await cli('status', '--stale-after', '1', '--short')).stdout.trim()).toMatch(/^FK STALE \d+s$/);
    expect((await cli('status', '--stale-after', 'soon')).code).toBe(2);

    // A torn spool file is skipped, counted and reported, and does not hide the rest.
    writeFileSync(
      join(root, 'state', 'spool', 'new', '20261123T000000000Z-0000000001-00000000000000aa.json'),
      '{"format":"fleetkeeper-ev',
    );
    const torn = json<{ problems: Array<{ code: string; message: string }> }>(await cli('status', '--json'));
    expect(torn.problems.filter((p) => p.code === 'spool-corrupt')).toHaveLength(1);
    expect((await cli('status')).stdout).toMatch(/problem \[spool-corrupt\]/);
    rmSync(join(root, 'state', 'spool', 'new', '20261123T000000000Z-0000000001-00000000000000aa.json'));

    expect(json<Record<string, unknown>>(await cli('registry', '--json'))).toEqual({});
    // Roles were assigned by the save, unique, valid.
    const roles = (await tmux.run('list-panes', '-a', '-F', '#{@fleetkeeper-role}')).trim().split('\n');
    expect(new Set(roles).size).toBe(2);
    const shown = await cli('role', '--pane', 'w:0.0', '--json');
    expect(json<{ role: string }>(shown).role).toBe(roles[0]);
    const refused = await cli('role', 'a;b', '--pane', 'w:0.0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"a;b"');
    expect((await cli('role', 'x')).stderr).toMatch(/not inside a tmux pane/);
  });

  it('a save sweeps the temp files of killed saves and status writes, and keeps one whose writer still runs', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const state = join(root, 'state');
    const killedSave = `.tmp-20261123T000000000Z-00aa.json.${dead}.0a1b2c3d`;
    const killedStatus = `.tmp-daemon-status.json.${dead}.0a1b2c3d`;
    const inFlight = `.tmp-20261123T000000001Z-00bb.json.${process.pid}.0a1b2c3d`;
    for (const f of [killedSave, inFlight]) writeFileSync(join(state, 'snapshots', f), '{"half');
    writeFileSync(join(state, killedStatus), '{"half');
    expect(json<{ ok: boolean }>(await cli('save', '--json')).ok).toBe(true);
    const temps = [...readdirSync(join(state, 'snapshots')), ...readdirSync(state)].filter((n) =>
      n.startsWith('.tmp-'),
    );
    expect(temps).toEqual([inFlight]);
    rmSync(join(state, 'snapshots', inFlight));
  });

  it('daemon: one per state dir, saves on its clock, stops cleanly on SIGTERM', async () => {
    const d = spawn(
      process.execPath,
      [CLI, 'daemon', '--interval', '1', '--stale-after', '5', '--socket', tmux.socket],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    d.stderr.on('data', (b: Buffer) => (log += b.toString()));
    const before = readdirSync(join(root, 'state', 'snapshots')).length;
    await waitFor(() => readdirSync(join(root, 'state', 'snapshots')).length >= before + 2, 10_000, 'two daemon saves');
    const second = await cli('daemon', '--interval', '1');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/locked by process/);
    expect((await cli('status')).code).toBe(0);
    const code = await new Promise<number | null>((resolve) => {
      d.on('exit', (c) => resolve(c));
      d.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(log).toContain('running (interval 1 s');
  });

  it('daemon: a SIGTERM while it is still connecting stops it in order (exit 0, state "stopped")', async () => {
    // A stopped server holds the control client's connect: the daemon cannot finish starting.
    await tmux.run('new-session', '-d', '-s', 'sigterm-at-start'); // a server even when run alone
    const serverPid = Number((await tmux.run('display-message', '-p', '#{pid}')).trim());
    process.kill(serverPid, 'SIGSTOP');
    try {
      const d = spawn(process.execPath, [CLI, 'daemon', '--interval', '1', '--socket', tmux.socket], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      d.stderr.on('data', (b: Buffer) => (log += b.toString()));
      await waitFor(() => log.includes('restore at start'), 10_000, 'the daemon to be starting');
      const code = await new Promise<number | null>((resolve) => {
        d.on('exit', (c) => resolve(c));
        d.kill('SIGTERM');
      });
      expect(code).toBe(0); // not null: killed by the signal's default action
      expect(log).toContain('stopping');
      expect(log).not.toContain('running (interval');
      const status = JSON.parse(readFileSync(join(root, 'state', 'daemon-status.json'), 'utf8')) as { state: string };
      expect(status.state).toBe('stopped');
    } finally {
      process.kill(serverPid, 'SIGCONT');
    }
  });
});
