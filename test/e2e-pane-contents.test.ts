import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, type ClaudeSandbox } from './helpers/claude-env.js';
import { runCli, json } from './helpers/cli.js';

// capturePaneContents with the real tmux, bash and CLI: on, a shell pane's screen comes back
// in the new pane above a fresh prompt with nothing typed into the shell's history; off, the
// new pane is empty and no sidecar is written.

const tag = randomBytes(3).toString('hex');
let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let dir: string;

const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], sb.env);

async function say(pane: string, text: string): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', text);
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

async function firstPane(): Promise<string> {
  return (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n')[0] ?? '';
}

describe('pane contents (real tmux, bash)', () => {
  beforeAll(() => {
    const root = mkdtempSync('/tmp/fk-e2e-contents-');
    dir = join(root, 'proj');
    mkdirSync(dir, { recursive: true });
    sb = claudeSandbox([dir], root);
    sb.env.SHELL = '/bin/bash';
    sb.env.HISTFILE = '/dev/null';
    tmux = new TmuxHarness(sb.env);
  });

  afterAll(async () => {
    await tmux?.kill();
    if (sb) rmSync(sb.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('brings a shell screen back when on, and nothing when off', async () => {
    await tmux.run('new-session', '-d', '-s', 'logs', '-x', '120', '-y', '40', '-c', dir, '/bin/bash --norc -i');
    const pane = await firstPane();
    await waitFor(async () => /[$#] ?$/m.test(await tmux.capture(pane)), 20_000, 'a prompt');
    await say(pane, `printf 'kept-%s-%s\\n' line ${tag}`);
    await waitFor(async () => (await tmux.capture(pane)).includes(`kept-line-${tag}`), 20_000, 'output');

    expect((await cli(['config', 'set', 'capturePaneContents', 'true'])).code).toBe(0);
    expect((await cli(['save'])).code).toBe(0);
    const contentsDir = join(sb.stateDir, 'contents');
    expect(readdirSync(contentsDir).filter((f) => f.endsWith('.gz'))).toHaveLength(1);
    const snapFile = readdirSync(join(sb.stateDir, 'snapshots')).find((f) => f.endsWith('.json')) ?? '';
    const snap = JSON.parse(readFileSync(join(sb.stateDir, 'snapshots', snapFile), 'utf8')) as {
      paneContents?: { panes: number };
    };
    expect(snap.paneContents?.panes).toBe(1);
    await tmux.kill();

    const r = await cli(['restore', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(json<{ ok: boolean }>(r).ok).toBe(true);
    const back = await firstPane();
    await waitFor(async () => (await tmux.capture(back)).includes(`kept-line-${tag}`), 20_000, 'the kept screen');
    // Nothing was typed into the new shell: its history holds only what we type now.
    await say(back, 'history');
    await waitFor(async () => /^\s*1\s+history\s*$/m.test(await tmux.capture(back)), 20_000, 'a one-line history');
    expect(await tmux.capture(back)).not.toMatch(/^\s*2\s/m);

    // --- off: no sidecar, and the next restore shows nothing of the old screen
    expect((await cli(['config', 'set', 'capturePaneContents', 'false'])).code).toBe(0);
    await say(back, 'clear');
    await say(back, `echo not-kept-${tag}`);
    await waitFor(async () => (await tmux.capture(back)).includes(`not-kept-${tag}`), 20_000, 'output');
    expect((await cli(['save'])).code).toBe(0);
    expect(readdirSync(contentsDir).filter((f) => f.endsWith('.gz'))).toHaveLength(1);
    await tmux.kill();
    expect((await cli(['restore'])).code).toBe(0);
    const third = await firstPane();
    await waitFor(async () => /[$#] ?$/m.test(await tmux.capture(third)), 20_000, 'a prompt');
    expect(await tmux.capture(third)).not.toContain(`not-kept-${tag}`);
    expect(existsSync(contentsDir)).toBe(true);
  }, 300_000);
});
