import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Binding, FleetState, PaneSnapshot } from '../../common/base/types.js';
import { captureAgents } from './capture.js';

// Capture from the real /proc: a Claude-like process (the stand-in keeps its own
// sessions/<pid>.json), a program, an idle shell; the journal's binding agrees, is missing
// (adopted) or disagrees (drift); a secret in the process environment is never captured.
const FAKE = fileURLToPath(new URL('../../../test/helpers/fake-claude-bin/claude', import.meta.url));
const ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const root = mkdtempSync(join(tmpdir(), 'fk-capture-'));
const conf = join(root, 'conf');
const kids: ChildProcess[] = [];
let claudePid = 0;
let programPid = 0;
let shellPid = 0;

const start = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess => {
  const c = spawn(cmd, args, { env, stdio: 'ignore', cwd: root });
  kids.push(c);
  return c;
};

beforeAll(async () => {
  claudePid = start(FAKE, ['--resume', ID, '--model', 'opus', '-p', '--add-dir', 'a b', 'c', '--', 'a prompt'], {
    ...process.env,
    CLAUDE_CONFIG_DIR: conf,
    ANTHROPIC_MODEL: 'opus',
    ANTHROPIC_API_KEY: 'canary-capture-secret',
  }).pid as number;
  programPid = start('sleep', ['100', '1']).pid as number;
  shellPid = start('bash', [], process.env).pid as number;
  const deadline = Date.now() + 20_000;
  while (!(existsSync(join(conf, 'sessions')) && readdirSync(join(conf, 'sessions')).length > 0)) {
    if (Date.now() > deadline) throw new Error('the stand-in did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(() => {
  for (const k of kids) k.kill();
  rmSync(root, { recursive: true, force: true });
});

function fleet(): FleetState {
  const pane = (id: string, role: string, pid: number): PaneSnapshot => ({
    index: 0,
    id,
    pid,
    role,
    cwd: root,
    currentCommand: 'x',
    title: '',
    active: true,
    binding: null,
  });
  return {
    instance: { socketPath: '/tmp/s', pid: 1, startTime: 1 },
    sessions: [
      {
        name: 's',
        id: '$0',
        windows: [
          {
            index: 0,
            id: '@0',
            name: 'a',
            layout: 'x',
            active: true,
            zoomed: false,
            panes: [pane('%0', 'agent', claudePid)],
          },
          {
            index: 1,
            id: '@1',
            name: 'b',
            layout: 'x',
            active: false,
            zoomed: false,
            panes: [pane('%1', 'prog', programPid)],
          },
          {
            index: 2,
            id: '@2',
            name: 'c',
            layout: 'x',
            active: false,
            zoomed: false,
            panes: [pane('%2', 'sh', shellPid)],
          },
        ],
      },
    ],
  };
}

const hook = (sessionId: string): Binding => ({
  sessionId,
  transcriptPath: `/t/${sessionId}.jsonl`,
  cwd: root,
  source: 'startup',
  boundAt: '2026-01-01T00:00:00.000Z',
  eventId: 'e',
});

describe('captureAgents on the real /proc', () => {
  it('captures the Claude, its kept arguments and allowed variables, the program, and adopts from the registry', () => {
    const f = fleet();
    const r = captureAgents(f, {}, { claudeEnv: [], now: new Date('2026-01-02T00:00:00.000Z') });
    const [agent, prog, sh] = f.sessions[0]!.windows.map((w) => w.panes[0]!) as [
      PaneSnapshot,
      PaneSnapshot,
      PaneSnapshot,
    ];
    expect(agent.agent).toMatchObject({
      executable: FAKE,
      args: ['--model', 'opus', '--add-dir', 'a b', 'c'],
      env: { CLAUDE_CONFIG_DIR: conf, ANTHROPIC_MODEL: 'opus' },
      envNotCarried: [{ name: 'ANTHROPIC_API_KEY', reason: expect.stringMatching(/secret/) }],
      configDir: conf,
      pid: claudePid,
      registry: 'adopted',
      registrySessionId: ID,
    });
    expect(r.bindings.agent).toMatchObject({ sessionId: ID, source: 'claude-registry', cwd: root });
    expect(r.bindings.agent?.transcriptPath).toMatch(new RegExp(`/projects/.*/${ID}\\.jsonl$`));
    expect(existsSync(r.bindings.agent!.transcriptPath)).toBe(true);
    // `sleep` is not on the default restore list: its arguments are not stored (they may hold a secret).
    expect(prog.program).toEqual({ argv: ['sleep'], withheld: true });
    expect(prog.agent).toBeUndefined();
    expect(sh.program).toBeUndefined();
    expect(r.configDirs).toEqual([conf]);
    expect(JSON.stringify({ f, r })).not.toContain('canary-capture-secret');
  });

  it("keeps a program's whole command line only when the restore list names it", () => {
    const listed = fleet();
    captureAgents(listed, {}, { claudeEnv: [], restorePrograms: ['sleep'], now: new Date() });
    expect(listed.sessions[0]!.windows[1]!.panes[0]!.program).toEqual({ argv: ['sleep', '100', '1'] });
    const byLine = fleet();
    captureAgents(byLine, {}, { claudeEnv: [], restorePrograms: ['~100 1'], now: new Date() });
    expect(byLine.sessions[0]!.windows[1]!.panes[0]!.program).toEqual({ argv: ['sleep', '100', '1'] });
  });

  it('agree keeps the journal binding; drift takes the live id and names both', () => {
    const agree = captureAgents(fleet(), { agent: hook(ID) }, { claudeEnv: [], now: new Date() });
    expect(agree.bindings.agent).toEqual(hook(ID));
    expect(agree.problems).toEqual([]);
    const drift = captureAgents(fleet(), { agent: hook(OTHER) }, { claudeEnv: [], now: new Date() });
    expect(drift.bindings.agent?.sessionId).toBe(ID);
    expect(drift.problems[0]?.message).toContain(OTHER);
  });

  it('without /proc nothing is captured and the journal passes through', () => {
    const f = fleet();
    const r = captureAgents(
      f,
      { agent: hook(OTHER) },
      { claudeEnv: [], now: new Date(), proc: { root: join(root, 'no-proc') } },
    );
    expect(r.bindings.agent?.sessionId).toBe(OTHER);
    expect(f.sessions[0]!.windows[0]!.panes[0]!.agent).toBeUndefined();
  });
});
