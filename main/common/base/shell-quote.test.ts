import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ControlCharacterError, controlCharIn, shellCommand, shellQuote } from './shell-quote.js';

describe('shellQuote', () => {
  it('real bash reads every quoted word back byte for byte', () => {
    const words = ['', 'plain', "it's", '$(touch x) `y` ${HOME} ~ * ? [a] ; & | > <', 'ünïcødé 🚀', '-n', "'", '\\'];
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${shellCommand(words)}`], { input: '', timeout: 10_000 });
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
  });

  it('refuses every control character (below 0x20, and 0x7f) with a typed error naming it', () => {
    for (const code of [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f]) {
      const word = `/bin/true${String.fromCharCode(code)}touch canary`;
      expect(controlCharIn(word)).toBe(`\\x${code.toString(16).padStart(2, '0')}`);
      expect(() => shellQuote(word)).toThrow(ControlCharacterError);
    }
    let err: unknown;
    try {
      shellCommand(['ok', '/bin/true\x15touch canary\r']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ControlCharacterError);
    expect((err as ControlCharacterError).code).toBe('invalid-input');
    expect((err as Error).message).toBe(
      '"/bin/true\\u0015touch canary\\r" contains a control character (\\x15): never typed into a pane',
    );
  });
});
