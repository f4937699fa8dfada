import { describe, expect, it } from 'vitest';
import { formatLiteral, quoteTmuxArg, tmuxArg } from './quoting.js';

describe('tmuxArg', () => {
  it('keeps a trailing ; literal and leaves everything else alone', () => {
    expect(tmuxArg('a;')).toBe('a\\;');
    expect(tmuxArg('a\\;')).toBe('a\\\\;');
    expect(tmuxArg(';')).toBe('\\;');
    expect(tmuxArg('a;b')).toBe('a;b');
  });
});

describe('formatLiteral', () => {
  it('doubles # in format-expanded values, but not a run before [ (tmux copies those verbatim)', () => {
    expect(formatLiteral('#(touch x)#{pane_id}')).toBe('##(touch x)##{pane_id}');
    expect(formatLiteral('a#[b')).toBe('a#[b');
  });
});

describe('quoteTmuxArg', () => {
  it('escapes what tmux double quotes interpret and every control character', () => {
    expect(quoteTmuxArg('a b')).toBe('"a b"');
    expect(quoteTmuxArg('$HOME "x" \\')).toBe('"\\$HOME \\"x\\" \\\\"');
    expect(quoteTmuxArg('a\nb\tc\rd\u0001e\u007f')).toBe('"a\\nb\\tc\\rd\\001e\\177"');
    expect(quoteTmuxArg('é')).toBe('"é"');
  });
});
