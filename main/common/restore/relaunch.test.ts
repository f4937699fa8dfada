import { describe, expect, it } from 'vitest';
import type { AgentCapture } from '../base/types.js';
import { claudeLine, programLine } from './relaunch.js';
import { restoreListMatch } from './programs.js';
import { DEFAULT_RESTORE_PROGRAMS } from '../settings/settings-model.js';

const ID = '2f6d0c1e-1111-4222-8333-444455556666';
const agent = (o: Partial<AgentCapture> = {}): AgentCapture => ({
  executable: 'claude',
  args: [],
  env: {},
  envNotCarried: [],
  configDir: '/home/u/.claude',
  pid: 42,
  registry: 'agree',
  ...o,
});

describe('claudeLine', () => {
  it("is today's line without a capture (a format-1 snapshot)", () => {
    expect(claudeLine(undefined, ID, null).typed).toEqual({
      ok: true,
      argv: ['claude', '--resume', ID],
      line: `claude --resume ${ID}`,
    });
  });

  it('sets the variables through env, then the executable, the kept arguments and --resume, each word quoted', () => {
    const r = claudeLine(
      agent({
        executable: '/opt/my claude/bin/claude',
        args: ['--model', 'opus', '--permission-mode', 'acceptEdits'],
        env: { CLAUDE_CONFIG_DIR: '/home/u/.claude-work', ANTHROPIC_MODEL: "it's" },
      }),
      ID,
      null,
    );
    expect(r.typed.ok && r.typed.line).toBe(
      `env CLAUDE_CONFIG_DIR=/home/u/.claude-work 'ANTHROPIC_MODEL=it'\\''s' '/opt/my claude/bin/claude' --model opus --permission-mode acceptEdits --resume ${ID}`,
    );
  });

  it('FLEETKEEPER_CLAUDE_BIN replaces the executable only', () => {
    const r = claudeLine(agent({ args: ['--effort', 'high'], env: { CLAUDE_CONFIG_DIR: '/c' } }), ID, '/x/claude');
    expect(r.typed.ok && r.typed.argv).toEqual([
      'env',
      'CLAUDE_CONFIG_DIR=/c',
      '/x/claude',
      '--effort',
      'high',
      '--resume',
      ID,
    ]);
  });

  it('never types a control character: the pane gets a shell and the reason names the word', () => {
    const cases: Array<[Partial<AgentCapture>, RegExp]> = [
      [{ args: ['--append-system-prompt', 'a\nrm -rf x'] }, /argument 2/],
      [{ env: { ANTHROPIC_MODEL: 'opus\u0015' } }, /variable ANTHROPIC_MODEL .*\\x15/],
      [{ executable: 'claude\r' }, /executable .*\\x0d/],
      [{ args: ['\u007f'] }, /\\x7f/],
    ];
    for (const [o, what] of cases) {
      const r = claudeLine(agent(o), ID, null);
      expect(r.typed.ok).toBe(false);
      expect(!r.typed.ok && r.typed.reason).toMatch(what);
    }
  });

  it('a secret-looking variable planted in a snapshot is not carried, and said so', () => {
    const r = claudeLine(agent({ env: { ANTHROPIC_API_KEY: 'x', CLAUDE_CONFIG_DIR: '/c' } }), ID, null);
    expect(r.typed.ok && r.typed.line).toBe(`env CLAUDE_CONFIG_DIR=/c claude --resume ${ID}`);
    expect(r.notCarried).toEqual([{ name: 'ANTHROPIC_API_KEY', reason: expect.stringMatching(/secret/) }]);
  });

  it('refuses an id that is not a UUID', () => {
    expect(() => claudeLine(agent(), '$(touch x)', null)).toThrow();
  });
});

describe('programLine and the restore list', () => {
  it('quotes every word', () => {
    expect(programLine(['tail', '-f', 'my log;$(x).txt'])).toEqual({
      ok: true,
      argv: ['tail', '-f', 'my log;$(x).txt'],
      line: "tail -f 'my log;$(x).txt'",
    });
    expect(programLine(['vim', 'x\ny']).ok).toBe(false);
  });

  it("bare names match the program's name, ~entries anywhere in the command line", () => {
    expect(restoreListMatch(['/usr/bin/vim', 'notes.md'], DEFAULT_RESTORE_PROGRAMS)).toBe('vim');
    expect(restoreListMatch(['tail', '-f', 'app.log'], DEFAULT_RESTORE_PROGRAMS)).toBe('tail');
    expect(restoreListMatch(['python3', 'serve.py'], DEFAULT_RESTORE_PROGRAMS)).toBeNull();
    expect(restoreListMatch(['npm', 'run', 'dev'], ['~npm run dev'])).toBe('~npm run dev');
    expect(restoreListMatch(['node', '/x/npm-cli.js', 'run', 'build'], ['~npm run dev'])).toBeNull();
    // A name is the whole name: `vim` does not let `vimdiff` or `nvim-qt` through.
    expect(restoreListMatch(['vimdiff', 'a', 'b'], ['vim'])).toBeNull();
  });
});
