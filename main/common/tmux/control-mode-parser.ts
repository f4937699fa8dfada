// Parser for tmux control-mode output (`tmux -C`), fed in arbitrary chunks.
//
// What arrives on a single-`-C` pty (tmux 3.3a): lines end with `\r\n` (the pty's ONLCR), the
// pty echoes every command line we write before tmux answers, each command's reply is framed
// `%begin <time> <number> <flags>` … `%end|%error <time> <number> <flags>`, notifications
// (`%window-add @3`, …) come between replies, and `%exit [reason]` ends the stream.

export type ControlMessage =
  | {
      type: 'reply';
      number: number;
      ok: boolean;
      lines: string[];
      /** The `<flags>` of %begin: 1 when the command came from this client, 0 for tmux's own. */
      flags: number;
    }
  | { type: 'notification'; name: string; args: string[]; line: string }
  | { type: 'exit'; reason: string };

const BEGIN_RE = /^%begin (\d+) (\d+) (\d+)$/;
const GUARD_RE = /^%(end|error) (\d+) (\d+) (\d+)$/;
const NOTIFICATION_RE = /^%([a-z][a-z0-9-]*)(?: (.*))?$/;

interface OpenReply {
  time: string;
  number: number;
  flags: string;
  lines: string[];
}

export class ControlModeParser {
  private partial = '';
  private open: OpenReply | null = null;
  private exited = false;

  /** Lines outside any reply that were not notifications: the pty's echo of our commands. */
  echoedLines = 0;

  push(chunk: string): ControlMessage[] {
    const out: ControlMessage[] = [];
    this.partial += chunk;
    let start = 0;
    for (;;) {
      const nl = this.partial.indexOf('\n', start);
      if (nl < 0) break;
      let line = this.partial.slice(start, nl);
      // The pty turns every `\n` tmux writes into `\r\n`: strip exactly one `\r`.
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = nl + 1;
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    this.partial = this.partial.slice(start);
    return out;
  }

  /** True while a reply is open or a line is incomplete (useful to assert a clean end). */
  get pending(): boolean {
    return this.open !== null || this.partial.length > 0;
  }

  private line(line: string): ControlMessage | null {
    if (this.open) {
      // Only the guard with the same time, number and flags closes the block: a data line that
      // merely looks like `%end …` (e.g. pane text) stays data.
      const g = GUARD_RE.exec(line);
      const o = this.open;
      if (g && g[2] === o.time && Number(g[3]) === o.number && g[4] === o.flags) {
        this.open = null;
        return { type: 'reply', number: o.number, ok: g[1] === 'end', lines: o.lines, flags: Number(o.flags) };
      }
      o.lines.push(line);
      return null;
    }
    if (this.exited) return null;
    const b = BEGIN_RE.exec(line);
    if (b) {
      this.open = { time: b[1] ?? '', number: Number(b[2]), flags: b[3] ?? '', lines: [] };
      return null;
    }
    if (line === '%exit' || line.startsWith('%exit ')) {
      this.exited = true;
      return { type: 'exit', reason: line.slice('%exit'.length).trim() };
    }
    const n = NOTIFICATION_RE.exec(line);
    if (n) {
      const rest = n[2] ?? '';
      return { type: 'notification', name: n[1] ?? '', args: rest === '' ? [] : rest.split(' '), line };
    }
    // Anything else outside a reply is the pty echoing a command line we wrote.
    this.echoedLines++;
    return null;
  }
}
