import { describe, it, expect } from 'vitest';
import { InvalidInputError } from '../base/errors.js';
import { claudeBinFrom } from './claude-bin.js';

describe('claudeBinFrom (FLEETKEEPER_CLAUDE_BIN)', () => {
  it('defaults to claude and keeps any typeable value, quotes and spaces included', () => {
    expect(claudeBinFrom(undefined)).toBe('claude');
    expect(claudeBinFrom('')).toBe('claude');
    expect(claudeBinFrom("/opt/my claude/bin/it's")).toBe("/opt/my claude/bin/it's");
    expect(claudeBinFrom('/opt/ünï/claude')).toBe('/opt/ünï/claude');
  });

  it('refuses every control character (below 0x20, and 0x7f) with a one-line message naming it', () => {
    for (let c = 0; c < 0x20; c++)
      expect(() => claudeBinFrom(`/bin/true${String.fromCharCode(c)}x`)).toThrow(InvalidInputError);
    expect(() => claudeBinFrom('/bin/true\x7f')).toThrow(InvalidInputError);
    let msg = '';
    try {
      claudeBinFrom('/bin/true\x15touch canary\r');
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toBe(
      'FLEETKEEPER_CLAUDE_BIN contains a control character (\\x15): it would be typed into panes; set it to a plain path',
    );
    expect(msg.split('\n')).toHaveLength(1);
  });
});
