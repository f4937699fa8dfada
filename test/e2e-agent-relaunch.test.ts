import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, showsPrompt, CLAUDE_BIN, type ClaudeSandbox } from './helpers/claude-env.js';
import { runCli, json } from './helpers/cli.js';
import type { PaneSnapshot } from '../main/common/base/types.js';
import type { PlannedPane } from '../main/common/restore/plan.js';

// Issue 9 end to end, with real tmux and the real Claude Code (offline): Claudes launched with
// flags, one under a second CLAUDE_CONFIG_DIR whose settings have no hooks, two started before
// `hooks install` (one of them /clear-ed afterwards), a variable from `claudeEnv` and a canary
// secret. Kill the server, restore, and read the running processes themselves: each pane runs
// its own conversation with its flags and its config dir, and the report verifies every pane.

const tag = randomBytes(3).toString('hex');
const CANARY = `canary-secret-${tag}`;
const SPACED = `a b 'q' $(nope) ${tag}`;

let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let dirs: Record<string, string>;
let config2: string;
let env: NodeJS.ProcessEnv;
/** The user's own install location (a login shell resets PATH, so it is typed as a path). */
let claude: string;

const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], env);

/** The Claude process of a pane: a descendant of its shell whose argv[0] is claude. */
function claudeIn(panePid: number): number | null {
  let level = [panePid];
  for (let depth = 0; depth < 5 && level.length > 0; depth++) {
    for (const pid of level) {
      const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
      if (/(^|\/)claude(\.exe)?$/.test(argv0)) return pid;
    }
    level = level.flatMap((pid) =>
      readdirSync(`/proc/${pid}/task`).flatMap((t) => {
        try {
          return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8')
            .trim()
            .split(/\s+/)
            .filter(Boolean)
            .map(Number);
        } catch {
          return [];
        }
      }),
    );
  }
  return null;
}

const argvOf = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
function environOf(pid: number): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = e.indexOf('=');
    if (i > 0) m.set(e.slice(0, i), e.slice(i + 1));
  }
  return m;
}

async function paneOf(role: string): Promise<{ id: string; pid: number }> {
  const out = await tmux.run('list-panes', '-a', '-F', '#{pane_id}\t#{pane_pid}\t#{@fleetkeeper-role}');
  for (const line of out.split('\n')) {
    const [id, pid, r] = line.split('\t');
    if (r === role && id && pid) return { id, pid: Number(pid) };
  }
  throw new Error(`no pane with role ${role}`);
}

async function waitForPrompt(pane: string, what: string): Promise<void> {
  try {
    await waitFor(async () => showsPrompt(await tmux.capture(pane)), 90_000, `claude prompt in ${what}`);
  } catch (err) {
    throw new Error(`${String(err)}\nscreen:\n${await tmux.capture(pane)}`);
  }
}

async function type(pane: string, text: string): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', text);
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

function transcriptWith(configDir: string, marker: string): string | null {
  const root = join(configDir, 'projects');
  if (!existsSync(root)) return null;
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.jsonl')) continue;
    if (readFileSync(join(root, f), 'utf8').includes(marker)) return f.replace(/^.*\//, '').replace(/\.jsonl$/, '');
  }
  return null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => {
      try {
        return readFileSync(f) !== undefined;
      } catch {
        return false;
      }
    });
}

describe('the same agent after a restore: flags, account, adopted and /clear-ed panes (real Claude Code)', () => {
  beforeAll(async () => {
    const root = (await import('node:fs')).mkdtempSync('/tmp/fk-agent-');
    dirs = {
      flags: join(root, 'proj-flags'),
      work: join(root, 'proj-work'),
      early: join(root, 'proj-early'),
      clear: join(root, 'proj-clear'),
    };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    sb = claudeSandbox(Object.values(dirs), root);
    // The second account: its own config dir, onboarded and trusting the same projects, no hooks.
    config2 = join(root, 'claude-work');
    mkdirSync(config2, { recursive: true });
    writeFileSync(join(config2, '.claude.json'), readFileSync(join(sb.configDir, '.claude.json')));
    // The user's own install location: the captured executable is the path typed, no override.
    const bin = join(root, 'bin');
    mkdirSync(bin);
    claude = join(bin, 'claude');
    symlinkSync(CLAUDE_BIN, claude);
    env = { ...sb.env };
    delete env.FLEETKEEPER_CLAUDE_BIN;
    tmux = new TmuxHarness(env);
  }, 120_000);

  afterAll(async () => {
    await tmux?.kill();
    await new Promise((r) => setTimeout(r, 1500));
    if (sb) rmSync(sb.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('relaunches every Claude exactly and verifies every pane', async () => {
    const roles = ['flags', 'work', 'early', 'clear'] as const;
    await tmux.run('new-session', '-d', '-s', 'agents', '-n', 'main', '-x', '200', '-y', '50', '-c', dirs.flags!);
    await tmux.run('split-window', '-t', 'agents:main', '-h', '-c', dirs.work!);
    await tmux.run('new-window', '-t', 'agents:', '-n', 'old', '-c', dirs.early!);
    await tmux.run('split-window', '-t', 'agents:old', '-h', '-c', dirs.clear!);
    const ids = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean);
    for (const [i, role] of roles.entries()) expect((await cli(['role', role, '--pane', ids[i]!])).code).toBe(0);
    const pane = Object.fromEntries(roles.map((r, i) => [r, ids[i]!])) as Record<(typeof roles)[number], string>;
    expect((await cli(['config', 'set', 'claudeEnv', '["FK_TEST_VAR","MY_SERVICE_TOKEN"]'])).code).toBe(0);

    // Two Claudes run before Fleetkeeper's hooks exist: the hooks never see them start.
    await type(pane.early, `${claude} --effort high`);
    await type(pane.clear, `${claude} --permission-mode acceptEdits`);
    for (const r of ['early', 'clear'] as const) await waitForPrompt(pane[r], r);
    expect((await cli(['hooks', 'install'])).code).toBe(0);
    // Then the flagged one (with a listed variable and a listed secret) and the second account.
    await type(
      pane.flags,
      `FK_TEST_VAR='${SPACED.replace(/'/g, `'\\''`)}' MY_SERVICE_TOKEN=${CANARY} ${claude} --model opus --permission-mode acceptEdits`,
    );
    await type(pane.work, `CLAUDE_CONFIG_DIR=${config2} ${claude} --model sonnet --add-dir ${dirs.flags}`);
    for (const r of ['flags', 'work'] as const) await waitForPrompt(pane[r], r);

    const marker = Object.fromEntries(roles.map((r) => [r, `marker-${r}-${tag}`])) as Record<string, string>;
    for (const r of roles) await type(pane[r], marker[r]!);
    const cfg = (r: string) => (r === 'work' ? config2 : sb.configDir);
    await waitFor(() => roles.every((r) => transcriptWith(cfg(r), marker[r]!) !== null), 90_000, 'every transcript');
    // /clear in the adopted pane: Claude's registry follows the new conversation.
    await type(pane.clear, '/clear');
    await new Promise((r) => setTimeout(r, 2500));
    const afterClear = `after-clear-${tag}`;
    await type(pane.clear, afterClear);
    await waitFor(() => transcriptWith(sb.configDir, afterClear) !== null, 60_000, 'post-clear transcript');
    const expected: Record<string, string> = {
      flags: transcriptWith(sb.configDir, marker.flags!)!,
      work: transcriptWith(config2, marker.work!)!,
      early: transcriptWith(sb.configDir, marker.early!)!,
      clear: transcriptWith(sb.configDir, afterClear)!,
    };
    expect(new Set(Object.values(expected)).size).toBe(4);

    // --- save: the snapshot carries each agent, adopted panes are bound
    const saved = await cli(['save', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const snapId = json<{ id: string }>(saved).id;
    const snap = JSON.parse(readFileSync(join(sb.stateDir, 'snapshots', `${snapId}.json`), 'utf8')) as {
      version: number;
      sessions: Array<{ windows: Array<{ panes: PaneSnapshot[] }> }>;
    };
    expect(snap.version).toBe(2);
    const saved2 = new Map(snap.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).map((p) => [p.role, p]));
    for (const r of roles) expect(saved2.get(r)?.binding?.sessionId, r).toBe(expected[r]);
    expect(saved2.get('flags')?.agent).toMatchObject({
      executable: claude,
      args: ['--model', 'opus', '--permission-mode', 'acceptEdits'],
      env: { CLAUDE_CONFIG_DIR: sb.configDir, FK_TEST_VAR: SPACED },
    });
    expect(saved2.get('flags')?.agent?.envNotCarried.map((n) => n.name)).toContain('MY_SERVICE_TOKEN');
    expect(saved2.get('work')?.agent).toMatchObject({ configDir: config2, env: { CLAUDE_CONFIG_DIR: config2 } });
    expect(saved2.get('early')?.agent?.registry).toBe('adopted');
    expect(saved2.get('early')?.binding?.source).toBe('claude-registry');
    // The second account's Claude fired no hook: only its own registry knew it.
    expect(saved2.get('work')?.agent?.registry).toBe('adopted');

    const status = json<{ problems: Array<{ code: string; message: string }> }>(await cli(['status', '--json']));
    const codes = status.problems.map((p) => `${p.code}: ${p.message}`);
    expect(
      codes.some((c) => c.startsWith('hooks-missing-config-dir') && c.includes(config2)),
      codes.join('\n'),
    ).toBe(true);
    expect(codes.some((c) => c.startsWith('claude-adopted') && c.includes(expected.early!))).toBe(true);
    const hs = await cli(['hooks', 'status', '--json']);
    expect(hs.code).toBe(1);
    expect(json<{ uncovered: string[] }>(hs).uncovered).toEqual([config2]);

    // --- the reboot
    await tmux.kill();

    const dry = json<{ plan: { sessions: Array<{ windows: Array<{ panes: PlannedPane[] }> }> } }>(
      await cli(['restore', '--dry-run', '--json']),
    );
    const planned = new Map(
      dry.plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).map((p) => [p.role, p]),
    );
    expect(planned.get('flags')?.command).toBe(
      `env CLAUDE_CONFIG_DIR=${sb.configDir} 'FK_TEST_VAR=${SPACED.replace(/'/g, `'\\''`)}' ${claude} --model opus --permission-mode acceptEdits --resume ${expected.flags}`,
    );
    expect(planned.get('work')?.command).toBe(
      `env CLAUDE_CONFIG_DIR=${config2} ${claude} --model sonnet --add-dir ${dirs.flags} --resume ${expected.work}`,
    );
    expect(planned.get('flags')?.notCarried?.map((n) => n.name)).toContain('MY_SERVICE_TOKEN');
    const dryText = await cli(['restore', '--dry-run']);
    expect(dryText.stdout).toContain(`types: env CLAUDE_CONFIG_DIR=${config2} ${claude} --model sonnet`);
    expect(dryText.stdout).toMatch(/not carried: MY_SERVICE_TOKEN — .*secret/);

    const restored = await cli(['restore', '--json', '--stagger', '400', '--verify-timeout', '120']);
    const report = json<{ ok: boolean; verification: Array<{ role: string; status: string; via?: string }> }>(restored);
    expect(report.verification.map((v) => `${v.role}:${v.status}`).sort(), restored.stdout).toEqual(
      roles.map((r) => `${r}:verified`).sort(),
    );
    // The second account has no hooks: verified through its own new registry file, not on faith.
    expect(report.verification.find((v) => v.role === 'work')?.via).toBe('claude-registry');
    expect(report.ok).toBe(true);
    expect(restored.code).toBe(0);

    // --- the processes themselves
    for (const r of roles) {
      const p = await paneOf(r);
      let pid: number | null = null;
      await waitFor(() => (pid = claudeIn(p.pid)) !== null, 60_000, `claude process in ${r}`);
      const argv = argvOf(pid!);
      const penv = environOf(pid!);
      const configDir = r === 'work' ? config2 : sb.configDir;
      expect(argv[0], r).toBe(claude);
      expect(argv.slice(-2), r).toEqual(['--resume', expected[r]]);
      expect(penv.get('CLAUDE_CONFIG_DIR'), r).toBe(configDir);
      const reg = JSON.parse(readFileSync(join(configDir, 'sessions', `${pid}.json`), 'utf8')) as { sessionId: string };
      expect(reg.sessionId, r).toBe(expected[r]);
      if (r === 'flags') {
        expect(argv.slice(1, -2)).toEqual(['--model', 'opus', '--permission-mode', 'acceptEdits']);
        expect(penv.get('FK_TEST_VAR')).toBe(SPACED);
        expect(penv.has('MY_SERVICE_TOKEN')).toBe(false);
      }
      if (r === 'work') expect(argv.slice(1, -2)).toEqual(['--model', 'sonnet', '--add-dir', dirs.flags]);
      if (r === 'early') expect(argv.slice(1, -2)).toEqual(['--effort', 'high']);
      if (r === 'clear') expect(argv.slice(1, -2)).toEqual(['--permission-mode', 'acceptEdits']);
    }

    // The canary secret was never written anywhere in the state dir.
    for (const f of filesUnder(sb.stateDir)) expect(readFileSync(f, 'latin1'), f).not.toContain(CANARY);
  }, 900_000);
});
