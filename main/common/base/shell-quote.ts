/**
 * POSIX single-quote one argument so a shell reads it back byte for byte.
 * Everything typed into a pane that came from data (cwd, session id, binary path) goes
 * through here; nothing is ever concatenated unquoted.
 */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
