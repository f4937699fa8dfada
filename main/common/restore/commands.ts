// tmux argv for building a planned session. Pure, so the exact bytes handed to tmux are
// testable. Every name, cwd and layout is one argv element (never shell text), escaped for the
// two places tmux itself interprets argv: a trailing ';' ends a command, and -s/-n/-c values
// are expanded as formats ('#(cmd)' would run a command).
import type { ServerInstance } from '../base/types.js';
import type { PlannedSession } from './plan.js';
import { parseLayout, layoutSize } from './layout.js';
import { assertSessionId } from '../base/names.js';
import { controlCharIn, shellCommand } from '../base/shell-quote.js';
import { InvalidInputError } from '../base/errors.js';
import { formatLiteral, tmuxArg } from '../tmux/quoting.js';
import { INSTANCE_FORMAT, parseInstance, ROLE_OPTION } from '../tmux/fleet-format.js';

/** Joins commands into one tmux invocation, `;` as separate elements, every argument escaped. */
export function chain(commands: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  commands.forEach((cmd, i) => {
    if (i > 0) out.push(';');
    out.push(...cmd.map(tmuxArg));
  });
  return out;
}

const CSTYLE: Record<string, string> = {
  '\\': '\\',
  $: '$',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  a: '\x07',
  v: '\v',
  f: '\f',
  s: ' ',
  E: '\x1b',
};

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

export const TEMP_SESSION_PREFIX = 'fk-restore-';

/** The name a session is built under before its final rename: only hex, so it is safe to target. */
export function tempSessionName(hex: string): string {
  if (!/^[0-9a-f]{8,64}$/.test(hex))
    throw new InvalidInputError(`temporary session suffix must be 8-64 hex digits, got ${JSON.stringify(hex)}`);
  return `${TEMP_SESSION_PREFIX}${hex}`;
}

/** What new-session prints (-P -F): the ids, then the server instance (socket path escaped). */
export const CREATED_FORMAT = `new\t#{session_id}\t#{pane_id}\t${INSTANCE_FORMAT}`;
/** One line per session after the renames, to learn the names tmux stored (vis-encoded: no tab or newline). */
export const NAMES_FORMAT = 'ls\t#{session_id}\t#{session_name}';

export interface CreatedSession {
  sessionId: string;
  firstPaneId: string;
  instance: ServerInstance;
}

export function parseCreated(line: string): CreatedSession {
  const f = line.replace(/\n$/, '').split('\t');
  const [tag, sessionId, firstPaneId] = f;
  if (f.length !== 6 || tag !== 'new' || !/^\$\d+$/.test(sessionId ?? '') || !/^%\d+$/.test(firstPaneId ?? '')) {
    throw new InvalidInputError(`unexpected new-session output ${JSON.stringify(line)}`);
  }
  let instance: ServerInstance;
  try {
    instance = parseInstance(f.slice(3).join('\t'));
  } catch {
    throw new InvalidInputError(`unexpected new-session output ${JSON.stringify(line)}`);
  }
  if (instance.socketPath === '') throw new InvalidInputError(`unexpected new-session output ${JSON.stringify(line)}`);
  return { sessionId: sessionId as string, firstPaneId: firstPaneId as string, instance };
}

/**
 * create: new-session (fails: nothing exists). build: the windows and panes (fails: the session
 * is only partly there, finish is pointless). finish: layout, active pane, zoom, active window
 * (one refused command must not stop the rest). cleanup: unset the temporary index options
 * (always run, best effort). rename: to the planned name (fails: the name was taken meanwhile).
 */
export type BuildStep = 'create' | 'build' | 'finish' | 'cleanup' | 'rename';
export interface BuildCommand {
  step: BuildStep;
  argv: string[];
}
export interface SessionBuild {
  commands: BuildCommand[];
  warnings: string[];
}

/**
 * Everything that builds one planned session, addressed by its temporary name (`=tmp:index`,
 * exact match) so the whole session can be built in one chained tmux invocation with no ids known
 * in advance and no client. Indexes are made deterministic for the build and given back after:
 * the first window reaches its saved index by renumbering from a session base-index, and every
 * window gets pane-base-index 0 so panes are addressed by position; both options are unset at
 * the end, so the server's own settings apply as before. (Relative pane targets like `:1.-1`
 * are no way out: tmux 3.3a resolves them against another window's active pane.) Each new pane
 * is its window's active pane when its role is set. Prints the new session's ids, then one pane
 * id per pane after the first, in saved order.
 */
export function sessionCommands(s: PlannedSession, tmp: string): SessionBuild {
  const first = s.windows[0];
  const firstPane = first?.panes[0];
  if (!first || !firstPane)
    throw new InvalidInputError(`session ${JSON.stringify(s.name)} has no window or pane to create`);
  if (!tmp.startsWith(TEMP_SESSION_PREFIX))
    throw new InvalidInputError(`not a temporary session name: ${JSON.stringify(tmp)}`);
  const sess = `=${tmp}:`;
  const out: BuildCommand[] = [];
  const add = (step: BuildStep, argv: string[]): void => {
    out.push({ step, argv: chain([argv]) });
  };
  const create = ['new-session', '-d', '-s', tmp];
  if (first.name !== '') create.push('-n', formatLiteral(first.name));
  create.push('-c', formatLiteral(firstPane.cwd));
  const size = layoutSize(first.layout);
  if (size) create.push('-x', String(size.width), '-y', String(size.height));
  add('create', [...create, '-P', '-F', CREATED_FORMAT]);
  add('build', ['set-option', '-t', sess, 'base-index', String(first.index)]);
  add('build', ['move-window', '-r', '-t', sess]);
  const warnings: string[] = [];
  const finish: string[][] = [];
  const cleanup: string[][] = [['set-option', '-u', '-t', sess, 'base-index']];
  for (const w of s.windows) {
    const win = `${sess}${w.index}`;
    w.panes.forEach((p, pi) => {
      if (pi === 0 && w !== first) {
        const nw = ['new-window', '-d', '-t', win];
        if (w.name !== '') nw.push('-n', formatLiteral(w.name));
        add('build', [...nw, '-c', formatLiteral(p.cwd), '-P', '-F', '#{pane_id}']);
      } else if (pi > 0) {
        add('build', ['split-window', '-t', win, '-c', formatLiteral(p.cwd), '-P', '-F', '#{pane_id}']);
        add('build', ['select-layout', '-t', win, 'tiled']);
      }
      if (pi === 0) add('build', ['set-option', '-w', '-t', win, 'pane-base-index', '0']);
      if (p.applyRole) add('build', ['set-option', '-p', '-t', win, ROLE_OPTION, p.role]);
    });
    cleanup.push(['set-option', '-w', '-u', '-t', win, 'pane-base-index']);
    const parsed = parseLayout(w.layout);
    if (parsed && parsed.panes >= w.panes.length) finish.push(['select-layout', '-t', win, w.layout]);
    else if (w.panes.length > 1)
      warnings.push(
        `window ${s.name}:${w.index}: saved layout ${JSON.stringify(w.layout)} ` +
          `is not a valid layout for ${w.panes.length} panes; left tiled`,
      );
    const activePos = Math.max(
      0,
      w.panes.findIndex((p) => p.active),
    );
    if (w.panes.length > 1) finish.push(['select-pane', '-t', `${win}.${activePos}`]);
    if (w.zoomed && w.panes.length > 1) finish.push(['resize-pane', '-Z', '-t', win]);
    // -n switched automatic-rename off: a name tmux chose follows the window's program again.
    if (w.automaticRename === true) finish.push(['set-option', '-w', '-t', win, 'automatic-rename', 'on']);
  }
  const active = s.windows.find((w) => w.active) ?? first;
  finish.push(['select-window', '-t', `${sess}${active.index}`]);
  for (const f of finish) add('finish', f);
  for (const c of cleanup) add('cleanup', c);
  // '--': a name may start with '-' (and a chain tmux cannot parse is refused whole).
  add('rename', ['rename-session', '-t', sess, '--', formatLiteral(unvisSessionName(s.name))]);
  return { commands: out, warnings };
}

/** tmux sends a command line to the server in one message: at most 16364 bytes of argv (NUL-terminated). */
export const MAX_COMMAND_BYTES = 16_000;

const utf8 = new TextEncoder();
const argvBytes = (argv: readonly string[]): number => argv.reduce((n, a) => n + utf8.encode(a).length + 1, 0);

export interface Invocation {
  argv: string[];
  /** The sessions with commands in it, by index, in order. */
  sessions: number[];
  /** The sessions whose last command (the rename) is in it. */
  completes: number[];
}

/**
 * Packs whole sessions into as few chained invocations as fit under `maxBytes`, each ending with
 * `tail`. A session too big for one gets consecutive invocations of its own; a single command
 * over the limit still gets an invocation, for tmux to refuse with its own message.
 */
export function packInvocations(
  sessions: readonly (readonly (readonly string[])[])[],
  tail: readonly string[],
  maxBytes = MAX_COMMAND_BYTES,
): Invocation[] {
  const out: Invocation[] = [];
  const tailBytes = argvBytes(tail) + 2;
  let cmds: (readonly string[])[] = [];
  let inv: Omit<Invocation, 'argv'> = { sessions: [], completes: [] };
  let bytes = tailBytes;
  const flush = (): void => {
    if (cmds.length > 0)
      out.push({ argv: [...cmds, tail].flatMap((c, i) => (i === 0 ? [...c] : [';', ...c])), ...inv });
    cmds = [];
    inv = { sessions: [], completes: [] };
    bytes = tailBytes;
  };
  sessions.forEach((session, i) => {
    const sizes = session.map((c) => argvBytes(c) + 2);
    const total = sizes.reduce((x, y) => x + y, 0);
    if (bytes + total > maxBytes) flush();
    session.forEach((c, j) => {
      if (cmds.length > 0 && bytes + (sizes[j] ?? 0) > maxBytes) flush();
      if (inv.sessions.at(-1) !== i) inv.sessions.push(i);
      cmds.push(c);
      bytes += sizes[j] ?? 0;
    });
    inv.completes.push(i);
  });
  flush();
  return out;
}

/** The line typed into a resume pane: `<claudeBin> --resume <uuid>`, shell-quoted. */
export function resumeCommandLine(claudeBin: string, sessionId: string): string {
  if (claudeBin === '') throw new InvalidInputError('empty Claude binary path');
  return shellCommand([claudeBin, '--resume', assertSessionId(sessionId)]);
}

/**
 * Types the resume line literally (-l, no key names, no format expansion), then Enter. `line` is
 * the plan's exact relaunch command (variables, captured executable, kept arguments, resume);
 * without it, `<claudeBin> --resume <uuid>`.
 */
export function resumeKeysArgs(paneId: string, claudeBin: string, sessionId: string, line?: string): string[] {
  return typeLineArgs(paneId, line ?? resumeCommandLine(claudeBin, sessionId));
}

/** Types one command line into a pane's shell and presses Enter; refuses anything with a control character. */
export function typeLineArgs(paneId: string, line: string): string[] {
  if (!/^%\d+$/.test(paneId)) throw new InvalidInputError(`not a pane id: ${JSON.stringify(paneId)}`);
  const c = controlCharIn(line);
  if (c !== null || line === '')
    throw new InvalidInputError(`refusing to type a line with a control character (${c ?? 'empty line'})`);
  return chain([
    ['send-keys', '-t', paneId, '-l', '--', line],
    ['send-keys', '-t', paneId, 'Enter'],
  ]);
}
