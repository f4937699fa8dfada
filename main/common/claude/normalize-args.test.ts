import { describe, expect, it } from 'vitest';
import { normalizeClaudeArgs } from './normalize-args.js';

const ID = '2f6d0c1e-1111-4222-8333-444455556666';
const kept = (args: string[]): string[] => normalizeClaudeArgs(args).kept;

describe('normalizeClaudeArgs', () => {
  it('keeps every launch flag verbatim and in order', () => {
    const args = [
      '--model',
      'opus',
      '--permission-mode',
      'acceptEdits',
      '--dangerously-skip-permissions',
      '--add-dir',
      '../lib',
      '--mcp-config',
      'x.json',
      '--agent',
      'reviewer',
      '--settings',
      '{"a":1}',
      '--effort',
      'high',
      '-n',
      'worker',
    ];
    expect(kept(args)).toEqual(args);
  });

  it('drops --resume with its value in every spelling, and --resume with no value (the picker)', () => {
    expect(kept(['--model', 'opus', '--resume', ID, '--effort', 'high'])).toEqual([
      '--model',
      'opus',
      '--effort',
      'high',
    ]);
    expect(kept([`--resume=${ID}`, '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(kept(['-r', ID, '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(kept([`-r${ID}`, '--verbose'])).toEqual(['--verbose']);
    expect(kept(['--resume', '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(kept(['--model', 'opus', '-r'])).toEqual(['--model', 'opus']);
  });

  it('drops --continue / -c, --session-id, --fork-session, --print / -p', () => {
    expect(kept(['-c', '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(kept(['--continue', '--verbose'])).toEqual(['--verbose']);
    expect(kept([`--session-id=${ID}`, '--verbose'])).toEqual(['--verbose']);
    expect(kept(['--session-id', ID, '--verbose'])).toEqual(['--verbose']);
    expect(kept(['--resume', ID, '--fork-session', '--verbose'])).toEqual(['--verbose']);
    expect(kept(['-p', '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(kept(['--print', '--output-format', 'json'])).toEqual(['--output-format', 'json']);
  });

  it('drops a clustered conversation flag but keeps the other flags of the cluster', () => {
    expect(normalizeClaudeArgs(['-cp', '--verbose'])).toEqual({ kept: ['--verbose'], dropped: ['-cp'] });
    expect(kept(['-hc'])).toEqual(['-h']);
  });

  it('drops a positional prompt, and everything after --', () => {
    expect(kept(['--model', 'opus', 'fix the bug'])).toEqual(['--model', 'opus']);
    expect(kept(['fix the bug', '--model', 'opus'])).toEqual(['--model', 'opus']);
    expect(normalizeClaudeArgs(['--model', 'opus', '--', '--verbose', 'prompt'])).toEqual({
      kept: ['--model', 'opus'],
      dropped: ['--', '--verbose', 'prompt'],
    });
  });

  it('reads variadic options as Claude does: every word up to the next option is theirs', () => {
    expect(kept(['--add-dir', 'a', 'b', '--model', 'opus', 'prompt'])).toEqual([
      '--add-dir',
      'a',
      'b',
      '--model',
      'opus',
    ]);
    // Commander gives `x.json y.json` both to --mcp-config: no prompt here, nothing dropped.
    expect(normalizeClaudeArgs(['--mcp-config', 'x.json', 'y.json'])).toEqual({
      kept: ['--mcp-config', 'x.json', 'y.json'],
      dropped: [],
    });
    // After `--` a prompt is a prompt, however many dirs came before.
    expect(normalizeClaudeArgs(['--add-dir', 'a', 'b', '--', 'hello'])).toEqual({
      kept: ['--add-dir', 'a', 'b'],
      dropped: ['--', 'hello'],
    });
  });

  it('a required value that looks like a flag is still the value', () => {
    expect(kept(['--append-system-prompt', '--resume', '--model', 'opus'])).toEqual([
      '--append-system-prompt',
      '--resume',
      '--model',
      'opus',
    ]);
    expect(kept(['--system-prompt', '-p', 'x'])).toEqual(['--system-prompt', '-p']);
    expect(kept(['--model=opus', '--effort=high'])).toEqual(['--model=opus', '--effort=high']);
  });

  it('an optional value is taken only when it does not look like a flag', () => {
    expect(kept(['--debug', 'hooks', '--verbose'])).toEqual(['--debug', 'hooks', '--verbose']);
    expect(kept(['--debug', '--verbose'])).toEqual(['--debug', '--verbose']);
    expect(kept(['-w', 'feature', '-c'])).toEqual(['-w', 'feature']);
  });

  it('keeps an unknown option with the word after it (it may be its value)', () => {
    expect(kept(['--future-flag', 'value', '--model', 'opus'])).toEqual(['--future-flag', 'value', '--model', 'opus']);
    expect(kept(['--future-flag', '--model', 'opus'])).toEqual(['--future-flag', '--model', 'opus']);
  });

  it('keeps hostile values byte for byte', () => {
    const v = [`a b 'q' "d" $(touch x) \`y\`; z`, 'é 日本 🚀'];
    expect(kept(['--append-system-prompt', v[0]!, '--name', v[1]!])).toEqual([
      '--append-system-prompt',
      v[0],
      '--name',
      v[1],
    ]);
  });
});
