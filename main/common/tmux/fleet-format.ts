// The tmux format strings of the fleet query and the pure parser of their output.
//
// Names, titles and cwds may hold anything. tmux 3.3a stores session names and renamed
// windows vis-escaped (`a\nb` becomes the 4 characters `a\nb`), but `new-window -n`, cwds and
// commands arrive raw: a newline there would split a record, a tab would shift fields. tmux
// has no hex or line-safe quoting (`#{q:}` leaves newlines and tabs alone), so every text field
// goes through a chain of `s///` substitutions that backslash-escape `\`, LF, TAB and CR. The
// output then has exactly one line per record and TAB separates fields, and `decodeField`
// restores the value byte for byte. The format holds raw LF/TAB/CR inside `[...]` brackets (a
// bare LF in a POSIX ERE means alternation); a control-mode command line carries them through
// tmux's double-quote escapes (see quoteTmuxArg).
import { TmuxError } from '../base/errors.js';
import type { FleetState, PaneSnapshot, ServerInstance, SessionSnapshot, WindowSnapshot } from '../base/types.js';

export const ROLE_OPTION = '@fleetkeeper-role';

/** `#{variable}` with `\`, LF, TAB and CR backslash-escaped (decode with decodeField). */
export function escapedFormat(variable: string): string {
  return `#{s/[\\]/\\\\\\\\/;s/[\n]/\\\\n/;s/[\t]/\\\\t/;s/[\r]/\\\\r/:${variable}}`;
}

export function decodeField(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === 't') out += '\t';
    else if (next === 'r') out += '\r';
    else
      throw new TmuxError(`unexpected escape \\${next ?? ''} in tmux output ${JSON.stringify(text)}`, 'command-failed');
  }
  return out;
}

export const INSTANCE_FORMAT = [escapedFormat('socket_path'), '#{pid}', '#{start_time}'].join('\t');

const PANE_FIELDS = [
  '#{session_id}',
  escapedFormat('session_name'),
  '#{window_index}',
  '#{window_id}',
  escapedFormat('window_name'),
  escapedFormat('window_layout'),
  '#{window_active}',
  '#{window_zoomed_flag}',
  '#{pane_index}',
  '#{pane_id}',
  '#{pane_active}',
  escapedFormat('pane_current_path'),
  escapedFormat('pane_current_command'),
  escapedFormat('pane_title'),
  escapedFormat(ROLE_OPTION),
  '#{pane_pid}',
  '#{automatic-rename}',
] as const;

/** One line per pane (list-panes -a -F) with every field FleetState needs. */
export const PANE_FORMAT = PANE_FIELDS.join('\t');

function bad(what: string, line: string): TmuxError {
  return new TmuxError(`unexpected tmux output for ${what}: ${JSON.stringify(line)}`, 'command-failed');
}

function int(text: string | undefined, what: string, line: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw bad(what, line);
  return Number(text);
}

function flag(text: string | undefined, what: string, line: string): boolean {
  if (text !== '0' && text !== '1') throw bad(what, line);
  return text === '1';
}

export function parseInstance(line: string): ServerInstance {
  const f = line.split('\t');
  if (f.length !== 3 || f[0] === '') throw bad('the server instance', line);
  return {
    socketPath: decodeField(f[0] ?? ''),
    pid: int(f[1], 'the server pid', line),
    startTime: int(f[2], 'the server start time', line),
  };
}

export interface PaneRow {
  sessionId: string;
  sessionName: string;
  window: Omit<WindowSnapshot, 'panes'>;
  pane: PaneSnapshot;
}

export function parsePaneLine(line: string): PaneRow {
  const f = line.split('\t');
  if (f.length !== PANE_FIELDS.length) throw bad('a pane', line);
  const [
    sessionId,
    sessionName,
    wIndex,
    wId,
    wName,
    layout,
    wActive,
    zoomed,
    pIndex,
    pId,
    pActive,
    cwd,
    cmd,
    title,
    role,
    panePid,
    autoRename,
  ] = f;
  if (!sessionId?.startsWith('$') || !wId?.startsWith('@') || !pId?.startsWith('%')) throw bad('a pane', line);
  return {
    sessionId,
    sessionName: decodeField(sessionName ?? ''),
    window: {
      index: int(wIndex, 'a window index', line),
      id: wId,
      name: decodeField(wName ?? ''),
      layout: decodeField(layout ?? ''),
      active: flag(wActive, 'window_active', line),
      zoomed: flag(zoomed, 'window_zoomed_flag', line),
      // Older tmux may print nothing for the option: then it is simply not known.
      ...(autoRename === '1' || autoRename === '0' ? { automaticRename: autoRename === '1' } : {}),
    },
    pane: {
      index: int(pIndex, 'a pane index', line),
      id: pId,
      // A pane whose process already exited reports no pid (remain-on-exit).
      ...(panePid !== undefined && /^[1-9]\d*$/.test(panePid) ? { pid: Number(panePid) } : {}),
      role: decodeField(role ?? ''),
      cwd: decodeField(cwd ?? ''),
      currentCommand: decodeField(cmd ?? ''),
      title: decodeField(title ?? ''),
      active: flag(pActive, 'pane_active', line),
      binding: null,
    },
  };
}

/** Sessions keep tmux's order; windows and panes are sorted by index. */
export function parseFleet(instanceLine: string, paneLines: readonly string[]): FleetState {
  const instance = parseInstance(instanceLine);
  const sessions = new Map<string, SessionSnapshot>();
  const windows = new Map<string, WindowSnapshot>();
  for (const line of paneLines) {
    if (line === '') continue;
    const row = parsePaneLine(line);
    let session = sessions.get(row.sessionId);
    if (!session) {
      session = { name: row.sessionName, id: row.sessionId, windows: [] };
      sessions.set(row.sessionId, session);
    }
    // A window linked into two sessions appears under both: key by session and window.
    const wKey = `${row.sessionId}\t${row.window.index}`;
    let window = windows.get(wKey);
    if (!window) {
      window = { ...row.window, panes: [] };
      windows.set(wKey, window);
      session.windows.push(window);
    }
    window.panes.push(row.pane);
  }
  for (const s of sessions.values()) {
    s.windows.sort((a, b) => a.index - b.index);
    for (const w of s.windows) w.panes.sort((a, b) => a.index - b.index);
  }
  return { instance, sessions: [...sessions.values()] };
}

/** Every pane once (a linked window lists its panes under each session). */
export function uniquePanes(
  fleet: FleetState,
): Array<{ session: SessionSnapshot; window: WindowSnapshot; pane: PaneSnapshot }> {
  const seen = new Set<string>();
  const out: Array<{ session: SessionSnapshot; window: WindowSnapshot; pane: PaneSnapshot }> = [];
  for (const session of fleet.sessions) {
    for (const window of session.windows) {
      for (const pane of window.panes) {
        if (seen.has(pane.id)) continue;
        seen.add(pane.id);
        out.push({ session, window, pane });
      }
    }
  }
  return out;
}
