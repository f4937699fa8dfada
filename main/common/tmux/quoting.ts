// Quoting for the three places tmux interprets what we hand it. Every value that reaches tmux
// from a name, path or title goes through one of these.
//   tmuxArg        one argv element: tmux's argv parser takes a trailing ';' as a separator
//   formatLiteral  a value tmux expands as a format (-s/-n/-c, set-option values): '#' is special
//   quoteTmuxArg   one argument on a control-mode command line (one pty line, tmux's own quoting)

/** tmux strips a trailing ';' from an argument as a command separator; '\;' keeps it literal. */
export function tmuxArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

/**
 * Escapes a value tmux expands as a format: '##' is a literal '#', except that tmux copies a
 * run of '#' followed by '[' verbatim (a style for the status line), so such runs stay as
 * they are (doubling them stored a window named 'a#[b' as 'a##[b').
 */
export function formatLiteral(value: string): string {
  return value.replace(/#+/g, (run: string, at: number) => (value[at + run.length] === '[' ? run : run + run));
}

/**
 * Quote one argument for tmux's command language (a control-mode command line), so tmux
 * reads back exactly `arg`. Double quotes with escapes, because a control-mode command is one
 * pty line: a raw newline would end it, and raw control characters would be taken by the
 * pty's line discipline (^C, ^D, ^U …) before tmux ever sees them.
 */
export function quoteTmuxArg(arg: string): string {
  let out = '"';
  for (const ch of arg) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === '"' || ch === '$') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
