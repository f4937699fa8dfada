import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, showsPrompt, CLAUDE_BIN, type ClaudeSandbox } from './helpers/claude-env.js';
import { CLI, runCli, json } from './helpers/cli.js';

// Issue 10 with the real tmux and the real Claude Code (offline): a transcript Claude (or the
// user) deleted comes back from Fleetkeeper's kept copy and is resumed and verified; a partial
// restore (--role), an interrupted full one (SIGINT) and a final full one that completes what
// the earlier ones built without duplicating anything.

const tag = randomBytes(3).toString('hex');
let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let dir: string;
const roles = ['a1', 'a2', 'b1'];
const ids = new Map<string, string>();
const paneOf = new Map<string, string>();

const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], sb.env);

function transcripts(): string[] {
  const root = join(sb.configDir, 'projects');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(root, f));
}

async function livePanes(): Promise<{ id: string; role: string; session: string }[]> {
  const out = await tmux.run('list-panes', '-a', '-F', '#{pane_id}\t#{@fleetkeeper-role}\t#{session_name}');
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, role, session] = l.split('\t');
      return { id: id ?? '', role: role ?? '', session: session ?? '' };
    });
}

async function say(pane: string, text: string): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', text);
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

describe('kept transcripts and partial, interrupted and completed restores (real Claude)', () => {
  beforeAll(async () => {
    const root = mkdtempSync('/tmp/fk-e2e-parts-');
    dir = join(root, 'proj');
    mkdirSync(dir, { recursive: true });
    sb = claudeSandbox([dir], root);
    tmux = new TmuxHarness(sb.env);
    expect((await cli(['hooks', 'install'])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await tmux?.kill();
    await new Promise((r) => setTimeout(r, 1500));
    if (sb) rmSync(sb.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('brings back a deleted conversation, restores a part, survives Ctrl-C and completes without duplicates', async () => {
    await tmux.run('new-session', '-d', '-s', 'alpha', '-x', '200', '-y', '50', '-c', dir);
    await tmux.run('split-window', '-t', 'alpha:', '-h', '-c', dir);
    await tmux.run('new-session', '-d', '-s', 'beta', '-x', '200', '-y', '50', '-c', dir);
    const panes = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean);
    for (const [i, role] of roles.entries()) {
      paneOf.set(role, panes[i] ?? '');
      expect((await cli(['role', role, '--pane', panes[i] ?? ''])).code).toBe(0);
      await say(panes[i] ?? '', CLAUDE_BIN);
    }
    for (const role of roles)
      await waitFor(async () => showsPrompt(await tmux.capture(paneOf.get(role) ?? '')), 90_000, `prompt in ${role}`);
    for (const role of roles) await say(paneOf.get(role) ?? '', `marker-${role}-${tag}`);
    await waitFor(
      () => roles.every((r) => transcripts().some((t) => readFileSync(t, 'utf8').includes(`marker-${r}-${tag}`))),
      90_000,
      'every transcript',
    );
    for (const r of roles) {
      const t = transcripts().find((f) => readFileSync(f, 'utf8').includes(`marker-${r}-${tag}`)) ?? '';
      ids.set(r, t.replace(/^.*\//, '').replace(/\.jsonl$/, ''));
    }

    // --- a save keeps every bound transcript as a hard link (same file system here)
    expect((await cli(['save'])).code).toBe(0);
    const a1 = transcripts().find((f) => f.endsWith(`${ids.get('a1')}.jsonl`)) ?? '';
    const kept = join(sb.stateDir, 'transcripts', `${ids.get('a1')}.jsonl`);
    expect(statSync(kept).ino).toBe(statSync(a1).ino);
    // Claude appends in place: a later line lands in the kept link too (no re-link needed).
    await say(paneOf.get('a1') ?? '', `later-a1-${tag}`);
    await waitFor(() => readFileSync(kept, 'utf8').includes(`later-a1-${tag}`), 60_000, 'append seen through the link');
    expect(statSync(kept).ino).toBe(statSync(a1).ino);
    const status = json<{ keptTranscripts: { count: number; bytes: number } }>(await cli(['status', '--json']));
    expect(status.keptTranscripts.count).toBe(3);
    expect(status.keptTranscripts.bytes).toBeGreaterThan(0);
    expect((await cli(['save'])).code).toBe(0);

    // --- Claude's cleanup (or the user) deletes a1's transcript; then the server dies
    rmSync(a1);
    await tmux.kill();

    const dry = json<{
      plan: { sessions: { windows: { panes: { role: string; action: string; reason?: string }[] }[] }[] };
    }>(await cli(['restore', '--dry-run', '--role', 'a1', '--json']));
    const planned = dry.plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
    expect(planned.find((p) => p.role === 'a1')).toMatchObject({ action: 'resume' });
    expect(planned.find((p) => p.role === 'a1')?.reason).toContain("transcript restored from Fleetkeeper's copy");
    expect(existsSync(a1)).toBe(false);

    // --- partial: only a1 resumes; its session comes back whole (a2 a shell), beta stays on offer
    const part = await cli(['restore', '--role', 'a1', '--verify-timeout', '120']);
    expect(part.code, part.stdout + part.stderr).toBe(0);
    expect(part.stderr).toMatch(/a1: resume typed/);
    expect(part.stdout).toMatch(/still on offer: session "beta"/);
    expect(existsSync(a1)).toBe(true);
    let live = await livePanes();
    expect(live.map((p) => p.session).sort()).toEqual(['alpha', 'alpha']);
    const a1Pane = live.find((p) => p.role === 'a1')?.id ?? '';
    await waitFor(
      async () => (await tmux.capture(a1Pane)).includes(`later-a1-${tag}`),
      60_000,
      'a1 conversation on screen',
    );

    // --- full restore, interrupted after its first start (a fixed stagger leaves time for Ctrl-C)
    const child = spawn(process.execPath, [CLI, 'restore', '--stagger', '20000', '--socket', tmux.socket], {
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
    await waitFor(() => /resume typed/.test(err), 60_000, 'the first start of the full restore');
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(out).toMatch(/INTERRUPTED/);
    expect(out).toMatch(/still on offer: .*not started/);
    expect(err).toMatch(/NOT started/);

    // --- the same restore again completes what the earlier ones built: nothing twice
    const full = await cli(['restore', '--verify-timeout', '120']);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    live = await livePanes();
    expect(live.map((p) => p.role).sort()).toEqual(roles);
    expect(live.map((p) => p.session).sort()).toEqual(['alpha', 'alpha', 'beta']);
    for (const r of roles) {
      const id = live.find((p) => p.role === r)?.id ?? '';
      await waitFor(async () => (await tmux.capture(id)).includes(`marker-${r}-${tag}`), 60_000, `${r} conversation`);
    }
    // Everything is back: the snapshot is no longer offered first, and a further restore changes nothing.
    const again = await cli(['restore', '--dry-run', '--json']);
    const plan = json<{ plan: { counts: { panes: number } } }>(again).plan;
    expect(plan.counts.panes).toBe(0);
  }, 900_000);
});
