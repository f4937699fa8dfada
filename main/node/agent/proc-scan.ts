// What runs in each pane, read from /proc at every save: no process is spawned (a `ps` per pane
// at 200 panes would cost more than the save). Per pane: the shell's stat gives the terminal's
// foreground process group; only when something other than the shell holds it are that
// process's argv read and, when Claude is not the foreground itself, its descendants walked.
// procfs files never block, so plain synchronous reads are both safe and the cheapest here.
import { closeSync, openSync, readSync } from 'node:fs';
import { isClaudeProcess, isInteractiveShell } from '../../common/claude/process-kind.js';

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Foreground process group of the process's terminal (stat field 8). */
  tpgid: number;
  /** Start time in clock ticks since boot (stat field 22), as Claude's registry writes it. */
  startTicks: string;
  comm: string;
  argv: string[];
}

export interface PaneProcesses {
  /** The foreground program when it is neither the pane's interactive shell nor Claude. */
  program: ProcInfo | null;
  /** The outermost Claude process in the pane, with its environment. */
  claude: (ProcInfo & { environ: Map<string, string> }) | null;
}

/** Where the process table lives (tests point it at a copy). */
export interface ProcSource {
  root: string;
}

const MAX_DEPTH = 6;

/** One buffer for every read: procfs reports size 0, so readFileSync grows and copies; this does not. */
let buf = Buffer.allocUnsafe(64 * 1024);

/**
 * `lineDone`: the file is one line (stat), so a read ending in a newline holds all of it and
 * the read that would return 0 is skipped: 200 system calls fewer per save at 200 panes.
 */
function readBytes(path: string, lineDone = false): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (lineDone && buf[n - 1] === 0x0a) break;
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
    }
    return buf.subarray(0, n);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function read(path: string): string | null {
  return readBytes(path)?.toString('latin1') ?? null;
}

/** Decodes as UTF-8; argv and environ are bytes the kernel keeps as they were given. */
function readUtf8(path: string): string | null {
  return readBytes(path)?.toString('utf8') ?? null;
}

export function parseStat(text: string): Omit<ProcInfo, 'argv'> | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).split(' ');
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(f[1]);
  const tpgid = Number(f[5]);
  const start = f[19];
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || start === undefined || !/^\d+$/.test(start)) return null;
  return { pid, ppid, tpgid, startTicks: start, comm: text.slice(open + 1, close) };
}

export function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

export function parseEnviron(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of splitNul(text)) {
    const eq = entry.indexOf('=');
    if (eq > 0 && !env.has(entry.slice(0, eq))) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

function proc(src: ProcSource, pid: number): ProcInfo | null {
  const stat = readBytes(`${src.root}/${pid}/stat`, true)?.toString('latin1') ?? null;
  const st = stat === null ? null : parseStat(stat);
  if (st === null) return null;
  const cmdline = readUtf8(`${src.root}/${pid}/cmdline`);
  return { ...st, argv: cmdline === null ? [] : splitNul(cmdline) };
}

/**
 * The children the process's main thread started (`task/<pid>/children`): one read, and where
 * shells, wrappers and Claude itself start their children. A child started by another thread is
 * missed, which costs only the capture of a wrapper's Claude, never a wrong one.
 */
function children(src: ProcSource, pid: number): number[] {
  const text = read(`${src.root}/${pid}/task/${pid}/children`);
  if (text === null) return [];
  const out: number[] = [];
  for (const c of text.trim().split(/\s+/)) if (/^\d+$/.test(c)) out.push(Number(c));
  return out;
}

/** Breadth first: the Claude nearest the pane's root (a Claude's own child Claude is its business). */
function findClaude(src: ProcSource, root: ProcInfo): ProcInfo | null {
  let level = [root];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    for (const p of level) if (isClaudeProcess(p.argv, p.comm)) return p;
    level = level.flatMap((p) => children(src, p.pid).flatMap((c) => proc(src, c) ?? []));
  }
  return null;
}

function withEnviron(src: ProcSource, p: ProcInfo): ProcInfo & { environ: Map<string, string> } {
  const text = readUtf8(`${src.root}/${p.pid}/environ`);
  return { ...p, environ: text === null ? new Map() : parseEnviron(text) };
}

/** One pane, from its first process (`#{pane_pid}`). A pane whose process is gone has neither. */
export function scanPane(src: ProcSource, panePid: number): PaneProcesses {
  const none: PaneProcesses = { program: null, claude: null };
  const shell = proc(src, panePid);
  if (shell === null) return none;
  // The terminal's foreground group leader; the pane's own process when it holds the terminal.
  const fg = shell.tpgid > 0 && shell.tpgid !== shell.pid ? (proc(src, shell.tpgid) ?? shell) : shell;
  if (fg === shell && isInteractiveShell(shell.argv, shell.comm)) return none;
  const claude = findClaude(src, fg);
  if (claude !== null) return { program: null, claude: withEnviron(src, claude) };
  if (fg === shell && isInteractiveShell(fg.argv, fg.comm)) return none;
  return { program: fg, claude: null };
}

export function procAvailable(src: ProcSource): boolean {
  return read(`${src.root}/self/stat`) !== null;
}
