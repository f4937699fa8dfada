// Time from `fleetkeeper restore` until every Claude pane runs its own conversation, with the
// real Claude Code (offline, as in shared/notes/claude-code-in-tests.md), against the floor
// measured in the same run: the same panes built bare in one chained tmux call and the same
// `claude --resume <id>` commands typed into all of them at once. "Runs its conversation" is
// the same test for both: the pane's SessionStart hook, or Claude's own sessions/<pid>.json,
// named the expected session id (the two sources restore's verification reads).
// Alternates floor and ours so machine load hits both alike; kills the server between runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import { ensureStateDir, type StatePaths } from '../main/node/base/state-dir.js';
import { readJournal } from '../main/node/journal/spool.js';
import { registryProbe } from '../main/node/restore/verify-registry.js';
import { shellCommand } from '../main/common/base/shell-quote.js';
import { killServer, newTarget } from './fleet.js';
import { median } from './stats.js';

export interface ClaudeRestoreFigures {
  panes: number;
  floorMs: number[];
  oursMs: number[];
  wrong: number;
  notes: string[];
}

interface Setup {
  root: string;
  env: NodeJS.ProcessEnv;
  paths: StatePaths;
  target: TmuxTarget;
  claudeBin: string;
  dirs: string[];
  ids: string[];
  snapshotId: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(pred: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const sessionName = 'bench';

/** One session, panes tiled in windows of 4, each in its own project dir. */
async function buildBare(target: TmuxTarget, dirs: string[]): Promise<string[]> {
  const argv: string[] = ['new-session', '-d', '-s', sessionName, '-x', '200', '-y', '60', '-c', dirs[0] ?? '/'];
  for (const [i, d] of dirs.entries()) {
    if (i === 0) continue;
    argv.push(';');
    if (i % 4 === 0) argv.push('new-window', '-t', `${sessionName}:`, '-c', d);
    else
      argv.push(
        'split-window',
        '-t',
        `${sessionName}:`,
        '-c',
        d,
        ';',
        'select-layout',
        '-t',
        `${sessionName}:`,
        'tiled',
      );
  }
  await runTmux(target, argv, 60_000);
  const out = await runTmux(target, ['list-panes', '-s', '-t', `${sessionName}:`, '-F', '#{pane_id}']);
  return out.split('\n').filter(Boolean);
}

/**
 * Panes whose Claude runs the expected conversation, by the same two sources restore's own
 * verification reads: the SessionStart hook's journal event, else the live process's
 * `sessions/<pid>.json` (a hook that gave up under load must not stall the floor for ever).
 */
async function resumedPanes(
  paths: StatePaths,
  target: TmuxTarget,
  since: number,
  want: Map<string, string>,
  seen: Set<string>,
): Promise<number> {
  const { events } = await readJournal(paths);
  for (const e of events) {
    if (e.kind !== 'session-start' || e.pane === null || Date.parse(e.at) < since) continue;
    if (want.get(e.pane.paneId) === e.sessionId) seen.add(e.pane.paneId);
  }
  const rest = [...want].filter(([p]) => !seen.has(p));
  if (rest.length > 0) {
    const panes = rest.map(([paneId, sessionId]) => ({
      role: paneId,
      target: paneId,
      paneId,
      action: 'resume' as const,
      sessionId,
    }));
    const found = await registryProbe(target)(panes).catch(() => new Map<string, string>());
    for (const [p, id] of rest) if (found.get(p) === id) seen.add(p);
  }
  return seen.size;
}

/** Starts N real Claudes with one message each, saves, and kills the server: the snapshot to restore. */
export async function setupClaudeFleet(root: string, n: number, cliBin: string, claudeBin: string): Promise<Setup> {
  const configDir = join(root, 'claude');
  const stateDir = join(root, 'state');
  mkdirSync(configDir, { recursive: true });
  const dirs = Array.from({ length: n }, (_, i) => join(root, `proj-${i}`));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  const projects = Object.fromEntries(
    dirs.map((d) => [d, { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true }]),
  );
  writeFileSync(join(configDir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, projects }));
  const env: NodeJS.ProcessEnv = { ...process.env, CLAUDE_CONFIG_DIR: configDir, FLEETKEEPER_HOME: stateDir };
  delete env.ANTHROPIC_API_KEY;
  Object.assign(env, { DISABLE_AUTOUPDATER: '1', FLEETKEEPER_CLAUDE_BIN: claudeBin });
  const target = newTarget(`claude${n}`);
  env.FLEETKEEPER_TMUX_SOCKET = target.socketName;
  // tmux servers take the environment of the client that starts them: ours and the floor's alike.
  Object.assign(process.env, { CLAUDE_CONFIG_DIR: configDir, FLEETKEEPER_HOME: stateDir, DISABLE_AUTOUPDATER: '1' });
  delete process.env.ANTHROPIC_API_KEY;
  const paths = ensureStateDir(stateDir);
  const hooks = await run(process.execPath, [cliBin, 'hooks', 'install'], env);
  if (hooks.code !== 0) throw new Error(`hooks install: ${hooks.out}${hooks.err}`);
  const panes = await buildBare(target, dirs);
  const tag = randomBytes(3).toString('hex');
  // Started a few at a time: the setup is not what is measured.
  for (const [i, p] of panes.entries()) {
    await runTmux(target, ['send-keys', '-t', p, '-l', shellCommand([claudeBin])]);
    await runTmux(target, ['send-keys', '-t', p, 'Enter']);
    if (i % 4 === 3) await sleep(3000);
  }
  const screen = (p: string): Promise<string> => runTmux(target, ['capture-pane', '-p', '-t', p]);
  for (const p of panes) await waitFor(async () => (await screen(p)).includes('❯'), 180_000, `Claude prompt in ${p}`);
  for (const [i, p] of panes.entries()) {
    await runTmux(target, ['send-keys', '-t', p, '-l', `bench-${i}-${tag}`]);
    await runTmux(target, ['send-keys', '-t', p, 'Enter']);
  }
  const transcripts = (): string[] => {
    const r = join(configDir, 'projects');
    if (!existsSync(r)) return [];
    return readdirSync(r, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => join(r, f));
  };
  const ids: string[] = [];
  await waitFor(
    () => {
      ids.length = 0;
      for (let i = 0; i < n; i++) {
        const t = transcripts().find((f) => readFileSync(f, 'utf8').includes(`bench-${i}-${tag}`));
        if (t === undefined) return false;
        ids.push(t.replace(/^.*\//, '').replace(/\.jsonl$/, ''));
      }
      return true;
    },
    180_000,
    'every transcript',
  );
  const save = await run(process.execPath, [cliBin, 'save', '--json'], env);
  if (save.code !== 0) throw new Error(`save: ${save.out}${save.err}`);
  const id = (JSON.parse(save.out) as { id?: string }).id ?? '';
  await killServer(target);
  await sleep(1500);
  return { root, env, paths, target, claudeBin, dirs, ids, snapshotId: id };
}

async function floorOnce(s: Setup): Promise<number> {
  const t0 = Date.now();
  const panes = await buildBare(s.target, s.dirs);
  const want = new Map(panes.map((p, i) => [p, s.ids[i] ?? '']));
  // As restore does: type once each bare shell has drawn its prompt (typeahead can be swallowed).
  await waitFor(
    async () =>
      (await runTmux(s.target, ['list-panes', '-s', '-t', `${sessionName}:`, '-F', '#{cursor_x},#{cursor_y}']))
        .split('\n')
        .filter(Boolean)
        .every((c) => c !== '0,0'),
    30_000,
    'bare prompts',
  ).catch(() => undefined);
  await Promise.all(
    panes.map(async (p, i) => {
      await runTmux(s.target, ['send-keys', '-t', p, '-l', shellCommand([s.claudeBin, '--resume', s.ids[i] ?? ''])]);
      await runTmux(s.target, ['send-keys', '-t', p, 'Enter']);
    }),
  );
  const seen = new Set<string>();
  await waitFor(
    async () => (await resumedPanes(s.paths, s.target, t0 - 1000, want, seen)) === panes.length,
    300_000,
    'the floor',
  ).catch(async (err: unknown) => {
    const got = seen.size;
    const screens = await Promise.all(
      panes.map((p) => runTmux(s.target, ['capture-pane', '-p', '-t', p]).catch(() => '')),
    );
    throw new Error(
      `${String(err)}: ${got} of ${panes.length} resumed; first screen: ${screens.find((x) => !x.includes('bench-'))?.slice(0, 400) ?? ''}`,
    );
  });
  const ms = Date.now() - t0;
  await killServer(s.target);
  await sleep(1500);
  return ms;
}

async function oursOnce(s: Setup, cliBin: string): Promise<{ ms: number; wrong: number; note: string }> {
  const t0 = Date.now();
  const r = await run(process.execPath, [cliBin, 'restore', s.snapshotId, '--json', '--verify-timeout', '300'], s.env);
  const ms = Date.now() - t0;
  let wrong = 0;
  let note = '';
  try {
    const rep = JSON.parse(r.out) as { verification: { status: string }[] };
    wrong = rep.verification.filter((v) => v.status !== 'verified').length;
  } catch {
    wrong = s.ids.length;
    note = `${r.out.slice(0, 200)} ${r.err.slice(-300)}`;
  }
  await killServer(s.target);
  await sleep(1500);
  return { ms, wrong, note };
}

export async function measureClaudeRestore(
  root: string,
  n: number,
  opts: { reps: number; cliBin: string; claudeBin: string; log: (l: string) => void },
): Promise<ClaudeRestoreFigures> {
  opts.log(`${n} real Claude panes: setting up`);
  const s = await setupClaudeFleet(root, n, opts.cliBin, opts.claudeBin);
  const fig: ClaudeRestoreFigures = { panes: n, floorMs: [], oursMs: [], wrong: 0, notes: [] };
  for (let i = 0; i < opts.reps; i++) {
    const f = await floorOnce(s);
    fig.floorMs.push(f);
    const o = await oursOnce(s, opts.cliBin);
    fig.oursMs.push(o.ms);
    fig.wrong += o.wrong;
    if (o.note) fig.notes.push(o.note);
    opts.log(`  rep ${i + 1}: floor ${f} ms, ours ${o.ms} ms, wrong ${o.wrong}`);
  }
  return fig;
}

export function summary(f: ClaudeRestoreFigures): string {
  const fl = median(f.floorMs);
  const ou = median(f.oursMs);
  return `${f.panes} Claude panes: ours ${(ou / 1000).toFixed(1)} s, floor ${(fl / 1000).toFixed(1)} s, ratio ${(ou / fl).toFixed(2)}× (target ≤ 1.3×), wrong ${f.wrong}`;
}
