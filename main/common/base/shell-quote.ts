import { InvalidInputError } from './errors.js';

/** A word that would be typed into a pane but holds a control character: refused, never typed. */
export class ControlCharacterError extends InvalidInputError {
  constructor(
    readonly word: string,
    readonly char: string,
  ) {
    super(`${JSON.stringify(word)} contains a control character (${char}): never typed into a pane`);
  }
}

/**
 * POSIX single-quote one argument so a shell reads it back byte for byte.
 * Everything typed into a pane that came from data (cwd, session id, binary path) goes
 * through here; nothing is ever concatenated unquoted.
 */
export function shellQuote(arg: string): string {
  // Quoting cannot protect a control character: the terminal acts on it before any shell reads.
  const c = controlCharIn(arg);
  if (c !== null) throw new ControlCharacterError(arg, c);
  if (arg === '') return "''";
  // Bare only when no shell reads it otherwise: zsh expands a leading `=` (=cmd → its path),
  // fish a leading `%self` (its pid).
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) && !/^[=%]/.test(arg)) return arg;
  // A quote or a backslash is written outside the single quotes, escaped: fish reads `\\` and
  // `\'` as escapes even inside single quotes, so a backslash inside them would change there.
  return `'${arg.replace(/['\\]/g, (ch) => (ch === "'" ? `'\\''` : `'\\\\'`))}'`;
}

export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;

/**
 * The first character that must never be typed into a pane (< 0x20 or 0x7f: a newline runs
 * what follows, ^U erases the line), as `\x0a`; null when the text can be typed.
 */
export function controlCharIn(text: string): string | null {
  const m = CONTROL_CHAR.exec(text);
  return m === null ? null : `\\x${(m[0].codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`;
}
