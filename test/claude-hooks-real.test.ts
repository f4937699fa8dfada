import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import * as fsp from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../main/common/base/shell-quote.js';
import { claudeSettingsPath } from '../main/node/claude/paths.js';
import { hookCommands, hooksStatus, installHooks } from '../main/node/claude/settings-file.js';

// Proves the settings format we write is what the real Claude Code CLI reads: hooks installed
// into a private CLAUDE_CONFIG_DIR fire on a real session start and exit.

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'fk-claude-real-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const write = (p: string, v: unknown): Promise<void> => fsp.writeFile(p, JSON.stringify(v, null, 4));

describe('real Claude Code reads the installed hooks', () => {
  const claudeBin = join(process.cwd(), 'node_modules', '.bin', 'claude');
  const socket = `fk-hooks-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let serverPid: number | null = null;
  let socketPath: string | null = null;

  const tmux = (args: string[], env?: NodeJS.ProcessEnv): Promise<string> =>
    new Promise((res, rej) => {
      execFile(
        'tmux',
        ['-L', socket, '-f', '/dev/null', ...args],
        { env, encoding: 'utf8', timeout: 10_000 },
        (err, out, errOut) => (err ? rej(new Error(`tmux ${args[0]}: ${errOut || err.message}`)) : res(out)),
      );
    });
  const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 45_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  afterEach(async () => {
    if (serverPid === null) return;
    const pid = serverPid;
    serverPid = null;
    await tmux(['kill-server']).catch(() => undefined);
    await until(
      'tmux server exit',
      async () => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      10_000,
    );
    // kill-server can leave the socket file behind; it is ours, remove it.
    if (socketPath !== null) await fsp.rm(socketPath, { force: true });
  });

  it('fires SessionStart (source startup) and SessionEnd through the installed commands', async () => {
    const root = realpathSync(dir);
    const config = join(root, 'claude');
    const project = join(root, 'project');
    const stubDir = join(root, 'fleetkeeper-stub');
    const record = join(root, 'hook-calls.jsonl');
    await Promise.all([fsp.mkdir(config), fsp.mkdir(project), fsp.mkdir(stubDir), fsp.mkdir(join(root, 'home'))]);
    // Stands in for the fleetkeeper CLI: appends argv and stdin, prints nothing on stdout.
    const stub = join(stubDir, 'fleetkeeper-record.mjs');
    await fsp.writeFile(
      stub,
      `import { appendFileSync } from 'node:fs';
let d = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', (c) => { d += c; });
process.stdin.on('end', () => appendFileSync(${JSON.stringify(record)}, JSON.stringify({ argv: process.argv.slice(2), stdin: d }) + '\\n'));
`,
    );
    await write(join(config, '.claude.json'), {
      hasCompletedOnboarding: true,
      projects: { [project]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
    });
    const settingsPath = claudeSettingsPath({ CLAUDE_CONFIG_DIR: config });
    await installHooks(settingsPath, hookCommands(process.execPath, stub));
    expect((await hooksStatus(settingsPath, hookCommands(process.execPath, stub))).state).toBe('installed');

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLAUDE_CONFIG_DIR: config,
      DISABLE_AUTOUPDATER: '1',
      HOME: join(root, 'home'),
    };
    for (const k of ['ANTHROPIC_API_KEY', 'TMUX', 'TMUX_PANE']) delete env[k];
    await tmux(['new-session', '-d', '-s', 'e2e', '-x', '160', '-y', '40', '-c', project, shellQuote(claudeBin)], env);
    const [pid, sock] = (await tmux(['display-message', '-p', '#{pid} #{socket_path}'])).trim().split(' ');
    serverPid = Number(pid);
    socketPath = sock ?? null;

    type Call = { argv: string[]; payload: Record<string, unknown> };
    const calls = async (): Promise<Call[]> =>
      (await fsp.readFile(record, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => {
          const c = JSON.parse(l) as { argv: string[]; stdin: string };
          return { argv: c.argv, payload: JSON.parse(c.stdin) as Record<string, unknown> };
        });
    const start = await until('SessionStart hook call', async () =>
      (await calls()).find((c) => c.argv[1] === 'session-start'),
    );
    expect(start.argv).toEqual(['hook', 'session-start']);
    expect(start.payload).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: project });
    expect(start.payload.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    await until('the prompt', async () =>
      (await tmux(['capture-pane', '-p', '-t', 'e2e'])).includes('❯') ? true : undefined,
    );
    await tmux(['send-keys', '-t', 'e2e', '/exit']);
    await new Promise((r) => setTimeout(r, 500));
    await tmux(['send-keys', '-t', 'e2e', 'Enter']);
    const end = await until('SessionEnd hook call', async () =>
      (await calls()).find((c) => c.argv[1] === 'session-end'),
    );
    expect(end.payload).toMatchObject({
      hook_event_name: 'SessionEnd',
      session_id: start.payload.session_id,
      reason: 'prompt_input_exit',
    });
    // Claude kept to the private config dir (no ~/.claude under its HOME).
    expect(await fsp.readdir(join(root, 'home'))).not.toContain('.claude');
  }, 90_000);
});
