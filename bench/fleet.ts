// Synthetic fleets on isolated tmux sockets, and the structural read-back used to check that a
// restore rebuilt the same thing. Panes run `bash --norc --noprofile` (set as default-command in
// the bench HOME's .tmux.conf, so servers started by restore get the same cheap shell), each in
// its own directory; every fifth pane runs a program instead of sitting at a prompt.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { layoutShape } from '../main/common/restore/layout.js';
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import { ROLE_OPTION } from '../main/common/tmux/fleet-format.js';

export const SHELL_CMD = 'bash --norc --noprofile';
const PANES_PER_WINDOW = [1, 2, 3, 4];
const WINDOWS_PER_SESSION = 4;

/**
 * Points HOME at a private directory holding a .tmux.conf with the cheap shell, so every tmux
 * server this process (or its children) starts, including the ones restore starts, uses it and
 * nothing reads the user's real ~/.tmux.conf or ~/.claude.
 */
export function isolateHome(root: string): string {
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.tmux.conf'), `set -g default-command "${SHELL_CMD}"\nset -g history-limit 2000\n`);
  process.env.HOME = home;
  process.env.SHELL = '/bin/bash';
  for (const k of ['TMUX', 'TMUX_PANE', 'ENV', 'BASH_ENV', 'XDG_CONFIG_HOME', 'DBUS_SESSION_BUS_ADDRESS'])
    delete process.env[k];
  return home;
}

export function newTarget(purpose: string): TmuxTarget {
  return { socketName: `fk-bench-${purpose}-${randomBytes(4).toString('hex')}` };
}

export interface FleetSpec {
  panes: number;
  /** Run a program in every n-th pane (0: none). */
  programEvery?: number;
}

/** The shape of one synthetic fleet: sessions of 4 windows of 1..4 panes. */
export interface PlannedPaneSpec {
  cwd: string;
  program: string | null;
}
export interface PlannedWindowSpec {
  name: string;
  /** Named by tmux after its program (`automatic-rename` on), not by the user. */
  automatic: boolean;
  panes: PlannedPaneSpec[];
  activePane: number;
  zoomed: boolean;
  vertical: boolean;
}
export interface PlannedSessionSpec {
  name: string;
  windows: PlannedWindowSpec[];
  activeWindow: number;
}

export function fleetShape(root: string, spec: FleetSpec): PlannedSessionSpec[] {
  const sessions: PlannedSessionSpec[] = [];
  let made = 0;
  for (let s = 0; made < spec.panes; s++) {
    const windows: PlannedWindowSpec[] = [];
    for (let w = 0; w < WINDOWS_PER_SESSION && made < spec.panes; w++) {
      const want = Math.min(PANES_PER_WINDOW[(s + w) % PANES_PER_WINDOW.length] as number, spec.panes - made);
      const panes: PlannedPaneSpec[] = [];
      for (let p = 0; p < want; p++, made++) {
        const every = spec.programEvery ?? 5;
        panes.push({
          cwd: join(root, 'cwd', `s${s}`, `w${w}`, `p${p} dir`),
          program: every > 0 && made % every === every - 1 ? 'sleep 100000' : null,
        });
      }
      windows.push({
        name: `win-${s}-${w}`,
        automatic: w % 4 === 3,
        panes,
        activePane: (s + w) % want,
        zoomed: want > 1 && (s + w) % 3 === 0,
        vertical: w % 2 === 1,
      });
    }
    sessions.push({ name: `sess-${s}`, windows, activeWindow: s % windows.length });
  }
  return sessions;
}

/** tmux reads a `-c` value as a format: keep '#' literal. */
const lit = (v: string): string => v.replace(/#/g, '##');

/**
 * tmux refuses a command line over ~16 KB ("command too long": the client sends argv to the
 * server in one message), so "one chained invocation" is as few invocations as fit: whole
 * sessions packed greedily into argvs of at most this many bytes.
 */
export const MAX_ARGV_BYTES = 12_000;

/** Chained argvs (commands separated by ';') that build `shape` from nothing on a fresh server. */
export function chainedBuildArgs(
  shape: PlannedSessionSpec[],
  layouts?: Map<string, string>,
  roles?: Map<string, string>,
): string[][] {
  const chunks: string[][] = [];
  let cur: string[][] = [];
  let bytes = 0;
  for (const s of shape) {
    const cmds = sessionCommands(s, layouts, roles);
    const size = cmds.flat().reduce((n, a) => n + Buffer.byteLength(a) + 3, 0);
    if (cur.length > 0 && bytes + size > MAX_ARGV_BYTES) {
      chunks.push(cur.flatMap((c, i) => (i === 0 ? c : [';', ...c])));
      cur = [];
      bytes = 0;
    }
    cur.push(...cmds);
    bytes += size;
  }
  if (cur.length > 0) chunks.push(cur.flatMap((c, i) => (i === 0 ? c : [';', ...c])));
  return chunks;
}

function sessionCommands(
  s: PlannedSessionSpec,
  layouts?: Map<string, string>,
  roles?: Map<string, string>,
): string[][] {
  const cmds: string[][] = [];
  s.windows.forEach((w, wi) => {
    const win = `${s.name}:${wi}`;
    const named = w.automatic ? [] : ['-n', w.name];
    w.panes.forEach((p, pi) => {
      const prog = p.program !== null && layouts === undefined ? [p.program] : [];
      if (wi === 0 && pi === 0)
        cmds.push(['new-session', '-d', '-s', s.name, ...named, '-c', lit(p.cwd), '-x', '200', '-y', '60', ...prog]);
      else if (pi === 0) cmds.push(['new-window', '-d', '-t', win, ...named, '-c', lit(p.cwd), ...prog]);
      else cmds.push(['split-window', w.vertical ? '-v' : '-h', '-t', `${win}.${pi - 1}`, '-c', lit(p.cwd), ...prog]);
      const role = roles?.get(`${win}.${pi}`);
      if (role !== undefined && role !== '') cmds.push(['set-option', '-p', '-t', `${win}.${pi}`, ROLE_OPTION, role]);
    });
    const layout = layouts?.get(win);
    if (layout !== undefined) cmds.push(['select-layout', '-t', win, layout]);
    cmds.push(['select-pane', '-t', `${win}.${w.activePane}`]);
    if (w.zoomed) cmds.push(['resize-pane', '-Z', '-t', `${win}.${w.activePane}`]);
  });
  cmds.push(['select-window', '-t', `${s.name}:${s.activeWindow}`]);
  return cmds;
}

export interface Fleet {
  target: TmuxTarget;
  shape: PlannedSessionSpec[];
  panes: number;
}

/** Builds the fleet on a new isolated server; cwds are created first. */
export async function buildFleet(root: string, spec: FleetSpec, purpose = 'fleet'): Promise<Fleet> {
  const shape = fleetShape(root, spec);
  for (const s of shape) for (const w of s.windows) for (const p of w.panes) mkdirSync(p.cwd, { recursive: true });
  const target = newTarget(purpose);
  for (const argv of chainedBuildArgs(shape)) await runTmux(target, argv, 60_000);
  await settleCwds(target, spec.panes);
  return { target, shape, panes: spec.panes };
}

/** pane_current_path is read from the pane's process: wait until every pane has one. */
async function settleCwds(target: TmuxTarget, panes: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await runTmux(target, ['list-panes', '-a', '-F', '#{pane_current_path}']);
    const rows = out.split('\n').filter((l) => l !== '');
    if (rows.length === panes && rows.every((r) => r.includes('/cwd/'))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fleet on ${target.socketName ?? '?'} did not settle: pane count or cwds wrong`);
}

export async function serverPid(target: TmuxTarget): Promise<number> {
  return Number((await runTmux(target, ['display-message', '-p', '#{pid}']).catch(() => '0')).trim());
}

/** kill-server and wait for the server process to be gone. */
export async function killServer(target: TmuxTarget): Promise<void> {
  const pid = await serverPid(target);
  await runTmux(target, ['kill-server']).catch(() => undefined);
  for (let i = 0; pid > 0 && i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

const US = '\x1f';
const FIELDS = [
  'session_name',
  'window_index',
  'window_name',
  'window_layout',
  'window_active',
  'window_zoomed_flag',
  'automatic-rename',
  'pane_index',
  'pane_current_path',
  'pane_active',
  'pane_id',
  ROLE_OPTION,
];
export type Row = Record<string, string>;

export async function listRows(target: TmuxTarget): Promise<Row[]> {
  const out = await runTmux(target, ['list-panes', '-a', '-F', FIELDS.map((f) => `#{${f}}`).join(US)]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Object.fromEntries(l.split(US).map((v, i) => [FIELDS[i] as string, v])));
}

/** Every property a restore must reproduce, by position (ids and the layout checksum's id part differ). */
export function structure(rows: Row[]): Map<string, string> {
  const m = new Map<string, string>();
  const byWin = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.session_name}:${r.window_index}`;
    byWin.set(k, [...(byWin.get(k) ?? []), r]);
  }
  for (const [k, panes] of byWin) {
    const r = panes[0] as Row;
    m.set(
      `${k} window`,
      JSON.stringify({
        // An automatic name follows whatever runs now: what must come back is that it is automatic.
        name: r['automatic-rename'] === '1' ? '(automatic)' : r.window_name,
        automatic: r['automatic-rename'],
        layout: layoutShape(r.window_layout ?? ''),
        active: r.window_active,
        zoomed: r.window_zoomed_flag,
        panes: panes.length,
      }),
    );
    panes.forEach((p, i) =>
      m.set(
        `${k}.${i} pane`,
        JSON.stringify({ cwd: p.pane_current_path, active: p.pane_active, role: p[ROLE_OPTION] }),
      ),
    );
  }
  return m;
}

export function mismatches(want: Map<string, string>, got: Map<string, string>): string[] {
  const keys = new Set([...want.keys(), ...got.keys()]);
  return [...keys]
    .filter((k) => want.get(k) !== got.get(k))
    .map((k) => `${k}: want ${want.get(k) ?? 'nothing'} got ${got.get(k) ?? 'nothing'}`);
}

/** The role of each pane by position, keyed `session:window.position`. */
export function rolesOf(rows: Row[]): Map<string, string> {
  const seen = new Map<string, number>();
  return new Map(
    rows.map((r) => {
      const win = `${r.session_name}:${r.window_index}`;
      const pos = seen.get(win) ?? 0;
      seen.set(win, pos + 1);
      return [`${win}.${pos}`, r[ROLE_OPTION] ?? ''];
    }),
  );
}

/** The saved layout of each window, keyed `session:index`, for the floor's chained rebuild. */
export function layoutsOf(rows: Row[]): Map<string, string> {
  return new Map(rows.map((r) => [`${r.session_name}:${r.window_index}`, r.window_layout ?? '']));
}
