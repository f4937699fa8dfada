// tmux argv for building a planned session. Pure, so the exact bytes handed to tmux are
// testable. Every name, cwd and layout is one argv element (never shell text), escaped for the
// two places tmux itself interprets argv: a trailing ';' ends a command, and -s/-n/-c values
// are expanded as formats ('#(cmd)' would run a command).
import type { ServerInstance } from './types.js';
import type { PlannedSession } from './restore-plan.js';
import { parseLayout, layoutSize } from './restore-layout.js';
import { assertSessionId } from './names.js';
import { shellCommand } from './shell-quote.js';
import { InvalidInputError } from './errors.js';

export const ROLE_OPTION = '@fleetkeeper-role';

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

/** Joins commands into one tmux invocation, `;` as separate elements, every argument escaped. */
export function chain(commands: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  commands.forEach((cmd, i) => {
    if (i > 0) out.push(';');
    out.push(...cmd.map(tmuxArg));
  });
  return out;
}

const CSTYLE: Record<string, string> = { '\\': '\\', $: '$', n: '\n', t: '\t', r: '\r', b: '\b', a: '\x07', v: '\v', f: '\f', s: ' ', E: '\x1b' };

/**
 * tmux stores session names vis(3)-encoded ('\\' for a backslash, '\$', '\t', '\001') and
 * encodes again on creation; decoding first recreates the stored name byte for byte.
 */
export function unvisSessionName(stored: string): string {
  return stored.replace(/\\([0-7]{3}|.)/gs, (all, code: string) => {
    if (/^[0-7]{3}$/.test(code)) return String.fromCharCode(parseInt(code, 8));
    return CSTYLE[code] ?? all;
  });
}

/** What new-session prints (-P -F) so the rest can target ids, never names. */
export const CREATED_FORMAT = '#{session_id}\t#{window_index}\t#{pane_id}\t#{pane-base-index}\t#{socket_path}\t#{pid}\t#{start_time}\t#{session_name}';

export interface CreatedSession {
  sessionId: string;
  windowIndex: number;
  firstPaneId: string;
  paneBaseIndex: number;
  instance: ServerInstance;
  /** The name tmux actually stored. */
  storedName: string;
}

export function parseCreated(output: string): CreatedSession {
  const line = output.replace(/\n$/, '');
  const f = line.split('\t');
  const [sessionId, windowIndex, firstPaneId, paneBase, socketPath, pid, startTime] = f;
  const storedName = f.slice(7).join('\t');
  if (f.length < 8 || !/^\$\d+$/.test(sessionId ?? '') || !/^%\d+$/.test(firstPaneId ?? '') || socketPath === undefined) {
    throw new InvalidInputError(`unexpected new-session output ${JSON.stringify(output)}`);
  }
  return {
    sessionId: sessionId as string,
    windowIndex: Number(windowIndex),
    firstPaneId: firstPaneId as string,
    paneBaseIndex: Number(paneBase),
    instance: { socketPath, pid: Number(pid), startTime: Number(startTime) },
    storedName,
  };
}

/** Creates the session with its first window and first pane, sized like the saved layout. */
export function newSessionArgs(s: PlannedSession): string[] {
  const first = s.windows[0];
  const pane = first?.panes[0];
  if (!first || !pane) throw new InvalidInputError(`session ${JSON.stringify(s.name)} has no window or pane to create`);
  const args = ['new-session', '-d', '-s', formatLiteral(unvisSessionName(s.name))];
  if (first.name !== '') args.push('-n', formatLiteral(first.name));
  args.push('-c', formatLiteral(pane.cwd));
  const size = layoutSize(first.layout);
  if (size) args.push('-x', String(size.width), '-y', String(size.height));
  args.push('-P', '-F', CREATED_FORMAT);
  return chain([args]);
}

/**
 * Every other window and pane, in saved order, each printing its pane id (one line per pane
 * after the first). Splitting always the newest (active) pane keeps tmux's pane order equal to
 * the saved order, which is what select-layout assigns cells by; 'tiled' after each split keeps
 * room for the next one.
 */
export function structureArgs(s: PlannedSession, c: CreatedSession): string[] {
  const cmds: string[][] = [];
  const roleOn = (target: string, role: string, apply: boolean): void => {
    if (apply) cmds.push(['set-option', '-p', '-t', target, ROLE_OPTION, role]);
  };
  s.windows.forEach((w, wi) => {
    const win = `${c.sessionId}:${w.index}`;
    w.panes.forEach((p, pi) => {
      if (wi === 0 && pi === 0) {
        if (w.index !== c.windowIndex) cmds.push(['move-window', '-s', `${c.sessionId}:${c.windowIndex}`, '-t', win]);
        roleOn(c.firstPaneId, p.role, p.applyRole);
        return;
      }
      if (pi === 0) {
        const nw = ['new-window', '-d', '-t', win];
        if (w.name !== '') nw.push('-n', formatLiteral(w.name));
        cmds.push([...nw, '-c', formatLiteral(p.cwd), '-P', '-F', '#{pane_id}']);
      } else {
        cmds.push(['split-window', '-t', win, '-c', formatLiteral(p.cwd), '-P', '-F', '#{pane_id}']);
        cmds.push(['select-layout', '-t', win, 'tiled']);
      }
      roleOn(win, p.role, p.applyRole);
    });
  });
  return chain(cmds);
}

export interface FinishCommands {
  /** Each command separately, so one refused layout cannot stop the rest. */
  commands: string[][];
  warnings: string[];
}

/** Saved layouts, active pane per window, zoom, then the active window. Needs no client. */
export function finishCommands(s: PlannedSession, c: CreatedSession): FinishCommands {
  const commands: string[][] = [];
  const warnings: string[] = [];
  for (const w of s.windows) {
    const win = `${c.sessionId}:${w.index}`;
    const parsed = parseLayout(w.layout);
    if (parsed && parsed.panes >= w.panes.length) commands.push(['select-layout', '-t', win, w.layout]);
    else if (w.panes.length > 1) warnings.push(`window ${s.name}:${w.index}: saved layout ${JSON.stringify(w.layout)} is not a valid layout for ${w.panes.length} panes; left tiled`);
    const activePos = Math.max(0, w.panes.findIndex((p) => p.active));
    const pane = `${win}.${c.paneBaseIndex + activePos}`;
    commands.push(['select-pane', '-t', pane]);
    if (w.zoomed && w.panes.length > 1) commands.push(['resize-pane', '-Z', '-t', pane]);
  }
  const active = s.windows.find((w) => w.active) ?? s.windows[0];
  if (active) commands.push(['select-window', '-t', `${c.sessionId}:${active.index}`]);
  return { commands: commands.map((cmd) => chain([cmd])), warnings };
}

/** The line typed into a resume pane: `<claudeBin> --resume <uuid>`, shell-quoted. */
export function resumeCommandLine(claudeBin: string, sessionId: string): string {
  if (claudeBin === '') throw new InvalidInputError('empty Claude binary path');
  return shellCommand([claudeBin, '--resume', assertSessionId(sessionId)]);
}

/** Types the resume line literally (-l, no key names, no format expansion), then Enter. */
export function resumeKeysArgs(paneId: string, claudeBin: string, sessionId: string): string[] {
  if (!/^%\d+$/.test(paneId)) throw new InvalidInputError(`not a pane id: ${JSON.stringify(paneId)}`);
  return chain([
    ['send-keys', '-t', paneId, '-l', '--', resumeCommandLine(claudeBin, sessionId)],
    ['send-keys', '-t', paneId, 'Enter'],
  ]);
}
