import type { SessionSnapshot, WindowSnapshot } from '../base/types.js';
import { defaultRole } from '../base/names.js';

// tmux-resurrect's save file, read into a Fleetkeeper fleet. One record per line, TAB
// separated, in two generations (scripts/save.sh in tmux-resurrect):
//   current:  pane   SESSION WIN WACTIVE :WFLAGS PANE TITLE :DIR PACTIVE COMMAND :FULLCOMMAND
//             window SESSION WIN :WNAME WACTIVE :WFLAGS LAYOUT AUTORENAME(on|off|:)
//   earlier:  pane   SESSION WIN :WNAME WACTIVE :WFLAGS PANE :DIR PACTIVE COMMAND :FULLCOMMAND
//             window SESSION WIN WACTIVE :WFLAGS LAYOUT
//   both:     state SESSION LAST_SESSION; grouped_session NAME ORIGINAL :ALT :ACTIVE
// The ':' prefixes keep empty fields from collapsing (the oldest files lack the one on WNAME;
// one generation sets bit 2 of WACTIVE for automatic-rename). The current save.sh writes
// DIR with its first space escaped as `\ `. tmux prints session names vis-escaped (`\t`,
// `\\`, `\037`), but window names, titles and paths raw: a TAB in one of them adds fields,
// and resurrect itself then shifts the fields after a TAB in a path, so the free-text fields
// are found between anchors rather than by position.

export interface ResurrectImport {
  sessions: SessionSnapshot[];
  /** Lines read but not imported, and why (grouped sessions share another session's windows). */
  notes: string[];
}

export type ResurrectParse = { ok: true; fleet: ResurrectImport } | { ok: false; errors: string[] };

const INT = /^\d+$/;
/** A leaf cell of a tmux layout (`WxH,X,Y,ID`); split cells are followed by `{` or `[`. */
const LAYOUT_LEAF = /\d+x\d+,\d+,\d+,\d+/g;
const LAYOUT = /^[0-9a-f]{4},\d+x\d+,\d+,\d+[,{[]/;
const MAX_ERRORS = 20;

/** Undoes tmux's C-style escaping of session names: `\t`, `\n`, `\r`, `\\` and octal `\ooo`. */
export function unescapeTmuxName(s: string): string {
  return s.replace(/\\(?:([0-7]{3})|([tnr\\]))/g, (_, oct: string | undefined, c: string | undefined) => {
    if (oct !== undefined) return String.fromCharCode(parseInt(oct, 8));
    return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\';
  });
}

interface PaneRow {
  line: number;
  session: string;
  window: number;
  /** Earlier files only; current ones name windows on the window line. */
  windowName: string | null;
  windowActive: number;
  windowFlags: string;
  pane: number;
  title: string;
  dir: string;
  paneActive: boolean;
  command: string;
}

const anchored = (f: string[], i: number): boolean => f[i]?.startsWith(':') === true;

/** From `from`, the PANE_ACTIVE that ends DIR: 0/1, then COMMAND (may have collapsed) and :FULL_COMMAND. */
function paneActiveAt(f: string[], from: number): number {
  for (let m = from; m < f.length - 1; m++) {
    if (!/^[01]$/.test(f[m] ?? '')) continue;
    if (anchored(f, m + 2) || (anchored(f, m + 1) && m + 2 === f.length)) return m;
  }
  return -1;
}

/** Finds the fixed fields around the free-text ones (window name, title, path) that may hold TABs. */
function parsePaneFields(f: string[]): Omit<PaneRow, 'line'> | string {
  if (f.length < 10) return `a pane line has 11 TAB-separated fields, this one ${f.length}`;
  const [, session, win] = f;
  if (session === undefined || session === '') return 'empty session name';
  if (!INT.test(win ?? '')) return `window index ${JSON.stringify(win)} is not a number`;
  const current = INT.test(f[3] ?? '') && anchored(f, 4) && INT.test(f[5] ?? '');
  let windowName: string | null = null;
  let titleFrom: number;
  let k: number;
  if (current) {
    k = 3;
    titleFrom = 6;
  } else {
    // WNAME spans f[3..k-1]: k is the first place where WACTIVE :WFLAGS PANE :DIR line up.
    k = 4;
    while (
      k + 3 < f.length &&
      !(INT.test(f[k] ?? '') && anchored(f, k + 1) && INT.test(f[k + 2] ?? '') && anchored(f, k + 3))
    )
      k++;
    if (k + 3 >= f.length) return 'no "WINDOW_ACTIVE :FLAGS PANE_INDEX :DIR" fields where expected';
    const name = f.slice(3, k).join('\t');
    windowName = name.startsWith(':') ? name.slice(1) : name;
    titleFrom = k + 3;
  }
  // TITLE (current files only) runs up to :DIR; DIR up to PANE_ACTIVE.
  let dirAt = titleFrom;
  if (current) while (dirAt < f.length && !anchored(f, dirAt)) dirAt++;
  const m = paneActiveAt(f, dirAt + 1);
  if (dirAt >= f.length || m < 0) return 'no ":DIR PANE_ACTIVE COMMAND :FULL_COMMAND" fields where expected';
  return {
    session: unescapeTmuxName(session),
    window: Number(win),
    windowName,
    windowActive: Number(f[k]),
    windowFlags: (f[k + 1] ?? '').slice(1),
    pane: Number(f[k + 2]),
    title: current ? f.slice(titleFrom, dirAt).join('\t') : '',
    dir: f.slice(dirAt, m).join('\t').slice(1).replace(/\\ /g, ' '),
    paneActive: f[m] === '1',
    command: anchored(f, m + 1) && m + 2 === f.length ? '' : (f[m + 1] ?? ''),
  };
}

interface WindowRow {
  line: number;
  name: string | null;
  active: number;
  flags: string;
  layout: string;
  automaticRename?: boolean;
}

/** Either generation of window line; null when it is neither. */
function parseWindowFields(f: string[], line: number): WindowRow | string {
  if (f.length < 6) return `a window line has 6 to 8 TAB-separated fields, this one ${f.length}`;
  if (!INT.test(f[2] ?? '')) return `window index ${JSON.stringify(f[2])} is not a number`;
  if (INT.test(f[3] ?? '') && anchored(f, 4) && LAYOUT.test(f[5] ?? ''))
    return { line, name: null, active: Number(f[3]), flags: (f[4] ?? '').slice(1), layout: f[5] ?? '' };
  // Current: :WNAME (may hold TABs) WACTIVE :WFLAGS LAYOUT [AUTORENAME].
  for (let k = 4; k + 2 < f.length; k++) {
    if (!(INT.test(f[k] ?? '') && anchored(f, k + 1) && LAYOUT.test(f[k + 2] ?? ''))) continue;
    const auto = f[k + 3];
    const row: WindowRow = {
      line,
      name: f.slice(3, k).join('\t').replace(/^:/, ''),
      active: Number(f[k]),
      flags: (f[k + 1] ?? '').slice(1),
      layout: f[k + 2] ?? '',
    };
    if (auto === 'on' || auto === 'off') row.automaticRename = auto === 'on';
    return row;
  }
  const layout = f.find((x) => /^[0-9a-f]{4},/.test(x)) ?? f[5] ?? '';
  return LAYOUT.test(layout)
    ? 'no "WINDOW_ACTIVE :FLAGS LAYOUT" fields where expected'
    : `${JSON.stringify(layout.slice(0, 40))} is not a tmux layout`;
}

function key(session: string, window: number): string {
  return `${session}\u0000${window}`;
}

/** Parses a save file; every malformed line is reported with its number and nothing is returned then. */
export function parseResurrectFile(text: string): ResurrectParse {
  const errors: string[] = [];
  const notes: string[] = [];
  const panes: PaneRow[] = [];
  const windows = new Map<string, WindowRow>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const f = line.split('\t');
    switch (f[0]) {
      case 'pane': {
        const p = parsePaneFields(f);
        if (typeof p === 'string') errors.push(`line ${n}: ${p}`);
        else if (panes.some((q) => q.session === p.session && q.window === p.window && q.pane === p.pane))
          errors.push(`line ${n}: pane ${p.session}:${p.window}.${p.pane} is listed twice`);
        else panes.push({ ...p, line: n });
        return;
      }
      case 'window': {
        const w = parseWindowFields(f, n);
        if (typeof w === 'string') errors.push(`line ${n}: ${w}`);
        else windows.set(key(unescapeTmuxName(f[1] ?? ''), Number(f[2])), w);
        return;
      }
      case 'state':
        return;
      case 'grouped_session':
        notes.push(
          `line ${n}: grouped session ${JSON.stringify(f[1] ?? '')} not imported (it shows another session's windows)`,
        );
        return;
      default:
        errors.push(`line ${n}: unknown record type ${JSON.stringify((f[0] ?? '').slice(0, 20))}`);
    }
  });
  if (errors.length === 0 && panes.length === 0) errors.push('no pane lines: not a tmux-resurrect save file?');
  const sessions = errors.length === 0 ? assemble(panes, windows, errors) : [];
  if (errors.length > 0)
    return {
      ok: false,
      errors:
        errors.length > MAX_ERRORS ? [...errors.slice(0, MAX_ERRORS), `… ${errors.length - MAX_ERRORS} more`] : errors,
    };
  return { ok: true, fleet: { sessions, notes } };
}

function assemble(panes: PaneRow[], windows: Map<string, WindowRow>, errors: string[]): SessionSnapshot[] {
  const sessions: SessionSnapshot[] = [];
  const taken = new Set<string>();
  let paneSeq = 0;
  let windowSeq = 0;
  for (const [si, name] of [...new Set(panes.map((p) => p.session))].entries()) {
    const mine = panes.filter((p) => p.session === name);
    const indexes = [...new Set(mine.map((p) => p.window))].sort((a, b) => a - b);
    const ws: WindowSnapshot[] = [];
    for (const wi of indexes) {
      const rows = mine.filter((p) => p.window === wi).sort((a, b) => a.pane - b.pane);
      const first = rows[0] as PaneRow;
      const w = windows.get(key(name, wi));
      if (w === undefined) {
        errors.push(`line ${first.line}: window ${name}:${wi} has panes but no window line (its layout)`);
        continue;
      }
      const leaves = w.layout.match(LAYOUT_LEAF)?.length ?? 0;
      if (leaves !== rows.length) {
        errors.push(`line ${w.line}: the layout of ${name}:${wi} has ${leaves} panes, the file lists ${rows.length}`);
        continue;
      }
      const flags = `${w.flags}${first.windowFlags}`;
      const activeBits = w.active | first.windowActive;
      const activePane = rows.findIndex((r) => r.paneActive);
      ws.push({
        index: wi,
        id: `@${windowSeq++}`,
        name: w.name ?? first.windowName ?? '',
        layout: w.layout,
        active: (activeBits & 1) === 1 || flags.includes('*'),
        zoomed: flags.includes('Z'),
        ...(w.automaticRename !== undefined
          ? { automaticRename: w.automaticRename }
          : (activeBits & 2) === 2
            ? { automaticRename: true }
            : {}),
        panes: rows.map((r, i) => {
          const role = defaultRole(name, wi, r.pane, taken);
          taken.add(role);
          return {
            index: r.pane,
            id: `%${paneSeq++}`,
            role,
            cwd: r.dir,
            currentCommand: r.command,
            title: r.title,
            active: activePane < 0 ? i === 0 : i === activePane,
            binding: null,
          };
        }),
      });
    }
    if (ws.length === 0) continue;
    if (!ws.some((w) => w.active)) (ws[0] as WindowSnapshot).active = true;
    for (const w of ws.filter((x) => x.active).slice(1)) w.active = false;
    sessions.push({ name, id: `$${si}`, windows: ws });
  }
  return sessions;
}
