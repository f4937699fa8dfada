import { describe, expect, it } from 'vitest';
import { claudeLaunch, isClaudeProcess, isInteractiveShell } from './process-kind.js';

describe('which process is Claude, and how it was launched', () => {
  it('the native binary, typed by name or by path', () => {
    expect(isClaudeProcess(['claude', '--model', 'opus'], 'claude')).toBe(true);
    expect(claudeLaunch(['claude', '--model', 'opus'], 'claude')).toEqual({
      executable: 'claude',
      args: ['--model', 'opus'],
    });
    expect(isClaudeProcess(['/opt/bin/claude.exe'], 'claude.exe')).toBe(true);
  });

  it('an npm install run by node through its shebang: the script path is the executable', () => {
    const argv = ['node', '/usr/local/bin/claude', '--effort', 'high'];
    expect(isClaudeProcess(argv, 'node')).toBe(true);
    expect(claudeLaunch(argv, 'node')).toEqual({ executable: '/usr/local/bin/claude', args: ['--effort', 'high'] });
    expect(isClaudeProcess(['node', '/x/node_modules/@anthropic-ai/claude-code/cli.js'], 'node')).toBe(true);
  });

  it("a user's own wrapper script named claude", () => {
    const argv = ['/bin/bash', '/home/u/bin/claude', '--model', 'opus'];
    expect(isClaudeProcess(argv, 'claude')).toBe(true);
    expect(claudeLaunch(argv, 'claude')).toEqual({ executable: '/home/u/bin/claude', args: ['--model', 'opus'] });
  });

  it('not Claude: a shell, an editor, a file named claude opened in vim', () => {
    expect(isClaudeProcess(['bash'], 'bash')).toBe(false);
    expect(isClaudeProcess(['vim', 'claude'], 'vim')).toBe(false);
    expect(isClaudeProcess(['less', '/tmp/claude'], 'less')).toBe(false);
  });

  it('an interactive shell, unlike sh -c running a command line', () => {
    expect(isInteractiveShell(['-bash'], 'bash')).toBe(true);
    expect(isInteractiveShell(['/usr/bin/zsh'], 'zsh')).toBe(true);
    expect(isInteractiveShell(['sh', '-c', 'claude; exec bash'], 'sh')).toBe(false);
    expect(isInteractiveShell(['vim'], 'vim')).toBe(false);
  });
});
