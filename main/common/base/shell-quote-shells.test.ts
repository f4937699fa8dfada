import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { shellCommand } from './shell-quote.js';

// A restore types its lines into whatever shell the pane runs: bash, zsh or fish must all read
// the same words back. fish reads `\\` and `\'` as escapes even inside single quotes, and zsh
// expands an unquoted word starting with `=`; the quoting must survive both.
const WORDS = [
  '',
  'plain',
  "it's",
  '$(touch x) `y` ${HOME} ~ * ? [a] {a,b} ; & | > < #',
  'back\\slash',
  'two\\\\slashes',
  'ends with \\',
  "\\'",
  '=ls',
  '%self',
  'ünïcødé 日本 🚀',
  '-n',
];

const SHELLS = ['bash', 'zsh', 'fish'];

function argvThrough(shell: string, line: string): string[] {
  const out = execFileSync(shell, ['-c', line], {
    input: '',
    timeout: 20_000,
    env: { ...process.env, HOME: '/nonexistent' },
  });
  return JSON.parse(out.toString('utf8')) as string[];
}

describe('the typed line reads the same in bash, zsh and fish', () => {
  const printer = [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))'];
  for (const shell of SHELLS) {
    it(`${shell}: every word back byte for byte`, () => {
      expect(argvThrough(shell, shellCommand([...printer, ...WORDS]))).toEqual(WORDS);
    });
    it(`${shell}: variables through env`, () => {
      const line = shellCommand([
        'env',
        `FK_A=${WORDS[3]}`,
        'FK_B=a\\b',
        process.execPath,
        '-e',
        'process.stdout.write(JSON.stringify([process.env.FK_A, process.env.FK_B]))',
      ]);
      expect(argvThrough(shell, line)).toEqual([WORDS[3], 'a\\b']);
    });
  }
});
