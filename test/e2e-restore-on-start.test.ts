import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, showsPrompt, CLAUDE_BIN, type ClaudeSandbox } from './helpers/claude-env.js';
import { CLI, runCli } from './helpers/cli.js';

// restoreOnStart=auto through the real daemon (the app runs the same autoRestoreOnStart; its
// wiring passes it to the same Daemon): after a kill-server, starting the daemon brings the
// fleet back by itself with the real Claude Code, says so, and never does it twice.

const tag = randomBytes(3).toString('hex');
let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let dir: string;
const daemons: ChildProcess[] = [];

const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], sb.env);

function transcripts(): string[] {
  const root = join(sb.configDir, 'projects');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(root, f));
}

function startDaemon(): { log: () => string; stop: () => Promise<number> } {
  const child = spawn(process.execPath, [CLI, 'daemon', '--socket', tmux.socket, '--interval', '30'], {
    env: sb.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemons.push(child);
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const closed = new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  return {
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      return closed;
    },
  };
}

async function panes(): Promise<{ id: string; role: string }[]> {
  const out = await tmux.run('list-panes', '-a', '-F', '#{pane_id}\t#{@fleetkeeper-role}').catch(() => '');
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ id: l.split('\t')[0] ?? '', role: l.split('\t')[1] ?? '' }));
}

describe('restoreOnStart=auto through the daemon (real tmux, real Claude)', () => {
  beforeAll(async () => {
    const root = mkdtempSync('/tmp/fk-e2e-auto-');
    dir = join(root, 'proj');
    mkdirSync(dir, { recursive: true });
    sb = claudeSandbox([dir], root);
    tmux = new TmuxHarness(sb.env);
    expect((await cli(['hooks', 'install'])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    for (const d of daemons) d.kill('SIGKILL');
    await tmux?.kill();
    await new Promise((r) => setTimeout(r, 1500));
    if (sb) rmSync(sb.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('restores the previous fleet once, at start, and says so', async () => {
    await tmux.run('new-session', '-d', '-s', 'work', '-x', '200', '-y', '50', '-c', dir);
    await tmux.run('split-window', '-t', 'work:', '-h', '-c', dir);
    const ids = (await panes()).map((p) => p.id);
    const roles = ['one', 'two'];
    for (const [i, role] of roles.entries()) {
      expect((await cli(['role', role, '--pane', ids[i] ?? ''])).code).toBe(0);
      await tmux.run('send-keys', '-t', ids[i] ?? '', '-l', CLAUDE_BIN);
      await tmux.run('send-keys', '-t', ids[i] ?? '', 'Enter');
    }
    for (const id of ids) await waitFor(async () => showsPrompt(await tmux.capture(id)), 90_000, `prompt in ${id}`);
    for (const [i, role] of roles.entries()) {
      await tmux.run('send-keys', '-t', ids[i] ?? '', '-l', `auto-${role}-${tag}`);
      await tmux.run('send-keys', '-t', ids[i] ?? '', 'Enter');
    }
    await waitFor(
      () => roles.every((r) => transcripts().some((t) => readFileSync(t, 'utf8').includes(`auto-${r}-${tag}`))),
      90_000,
      'transcripts',
    );
    expect((await cli(['save'])).code).toBe(0);
    expect((await cli(['config', 'set', 'restoreOnStart', 'auto'])).code).toBe(0);
    await tmux.kill();

    // --- the "reboot": the daemon starts and restores by itself
    const d1 = startDaemon();
    await waitFor(() => /restore at start: .*fleet restored/.test(d1.log()), 240_000, 'the restore at start');
    expect(d1.log()).toMatch(/2 of 2 conversations verified/);
    const back = await panes();
    expect(back.map((p) => p.role).sort()).toEqual(roles);
    for (const p of back)
      await waitFor(
        async () => (await tmux.capture(p.id)).includes(`auto-${p.role}-${tag}`),
        60_000,
        `${p.role} screen`,
      );
    expect(await d1.stop()).toBe(0);

    // --- a second start never restores the same instance again (its sessions exist, too)
    const d2 = startDaemon();
    await waitFor(() => /restore at start: not done/.test(d2.log()), 60_000, 'the second start to decline');
    expect(d2.log()).not.toMatch(/fleet restored/);
    expect((await panes()).length).toBe(2);
    expect(await d2.stop()).toBe(0);
  }, 900_000);
});
