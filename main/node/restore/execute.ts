// Builds the planned sessions in a real tmux server (starting it if needed: restore is the one
// place allowed to), then types `claude --resume <id>` into the resume panes, staggered.
// Works with no client attached: every target is a session/pane id, never "the current" one.
import type { JournalEvent, ServerInstance } from '../../common/base/types.js';
import type { RestoreProgress } from '../../common/restore/progress.js';
import type { PacingPolicy } from '../../common/restore/pacing.js';
import { startClaudes } from './launch.js';
import type { RegistryProbe } from './verify.js';
import { typePrograms } from './programs.js';
import { RESTORED_FROM_OPTION } from './env.js';
import type { PaneAction, PlannedSession, RestorePlan } from '../../common/restore/plan.js';
import { randomBytes } from 'node:crypto';
import {
  chain,
  NAMES_FORMAT,
  packInvocations,
  parseCreated,
  sessionCommands,
  tempSessionName,
  type BuildCommand,
  type CreatedSession,
} from '../../common/restore/commands.js';
import { errorMessage, InvalidInputError, TmuxError } from '../../common/base/errors.js';
import { execTmux, runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryInstance } from '../tmux/fleet-query.js';
import { sameInstance } from '../../common/tmux/server-instance.js';

export interface ExecuteOptions {
  claudeBin: string;
  /** Fixed pace between Claude starts, used when no `pacing` is given. */
  staggerMs: number;
  /** Starts paced by Claude's SessionStarts (needs `readEvents`); overrides `staggerMs`. */
  pacing?: PacingPolicy;
  /** The journal since the restore began (SessionStarts drive the pacing and the brake). */
  readEvents?: () => Promise<JournalEvent[]>;
  /** Claude's own registry, asked before a start is called silent at the cap. */
  probe?: RegistryProbe;
  since?: Date;
  /** Stop launching (Ctrl-C, SIGTERM): what was not typed yet is reported as not started. */
  signal?: AbortSignal;
  onProgress?: (e: RestoreProgress) => void;
  /** After the build, before any program or Claude is typed (pane contents are shown here). */
  beforeLaunch?: (result: ExecuteResult) => Promise<void>;
  /** Longest wait for the new panes' shells to draw a prompt before typing anyway (default 10000). */
  shellReadyTimeoutMs?: number;
}

export interface ExecutedPane {
  role: string;
  target: string;
  paneId: string;
  action: PaneAction;
  sessionId?: string;
  startedAt?: string;
  /** A planned resume that was not typed (interrupted, brake): why. The pane stays a shell. */
  notStarted?: string;
  /** The plan's exact line for a resume or program pane. */
  command?: string;
}

export interface ExecuteResult {
  instance: ServerInstance;
  panes: ExecutedPane[];
  skippedSessions: string[];
  /** Sessions tmux stored under another name than planned (it rewrites some characters). */
  renamedSessions: { planned: string; stored: string }[];
  /** Anything that did not go to plan but did not stop the restore. */
  warnings: string[];
}

/** One planned session on its way: built under `tmp`, renamed last. */
interface Build {
  s: PlannedSession;
  tmp: string;
  commands: BuildCommand[];
  created: CreatedSession | null;
  paneIds: string[];
  /** Nothing more to run for it (built, or handed to the slow path). */
  done: boolean;
}

const NAMES = ['list-sessions', '-F', NAMES_FORMAT];
const CHAIN_TIMEOUT_MS = 30_000;

export async function executePlan(target: TmuxTarget, plan: RestorePlan, opts: ExecuteOptions): Promise<ExecuteResult> {
  if (opts.claudeBin === '') throw new InvalidInputError('empty Claude binary path');
  const result: ExecuteResult = {
    instance: { socketPath: '', pid: 0, startTime: 0 },
    panes: [],
    skippedSessions: [],
    renamedSessions: [],
    warnings: [],
  };
  const builds: Build[] = [];
  const completing: ExecutedPane[] = [];
  for (const s of plan.sessions) {
    if (s.action === 'not-selected') continue;
    if (s.action === 'complete') {
      for (const p of s.windows.flatMap((w) => w.panes))
        if (p.livePaneId !== undefined && p.action === 'resume' && p.sessionId !== undefined)
          completing.push({
            role: p.role,
            target: p.target,
            paneId: p.livePaneId,
            action: 'resume',
            sessionId: p.sessionId,
            ...(p.command !== undefined ? { command: p.command } : {}),
          });
      opts.onProgress?.({ kind: 'session', name: s.name, state: 'completing' });
      continue;
    }
    if (s.action !== 'create') {
      result.skippedSessions.push(s.name);
      continue;
    }
    if (opts.signal?.aborted) {
      result.skippedSessions.push(s.name);
      result.warnings.push(`session ${JSON.stringify(s.name)} not created: interrupted`);
      continue;
    }
    const tmp = tempSessionName(randomBytes(8).toString('hex'));
    const { commands, warnings } = sessionCommands(s, tmp);
    // Tagged before the rename: a later restore of this snapshot completes it instead of skipping it.
    commands.splice(commands.length - 1, 0, {
      step: 'finish',
      argv: chain([['set-option', '-t', `=${tmp}:`, RESTORED_FROM_OPTION, plan.snapshotId]]),
    });
    result.warnings.push(...warnings);
    builds.push({ s, tmp, commands, created: null, paneIds: [], done: false });
  }
  await buildAll(target, builds, result);
  dropSessionsOfDeadServer(builds, result);
  for (const b of builds)
    opts.onProgress?.(
      result.skippedSessions.includes(b.s.name)
        ? { kind: 'session', name: b.s.name, state: 'not-created' }
        : { kind: 'session', name: b.s.name, state: 'created' },
    );
  result.panes.push(...completing);
  const instance = builds.reduce<ServerInstance | null>((last, b) => b.created?.instance ?? last, null);
  result.instance = instance ?? (await currentInstance(target));
  // Kept screens go in before anything is typed (a program typed first would be drawn over).
  if (opts.beforeLaunch) await opts.beforeLaunch(result);
  await typePrograms(target, result.panes, opts, result);
  const resumes = result.panes.filter((p) => p.action === 'resume');
  if (resumes.length > 0) await startClaudes(target, resumes, opts, result);
  return result;
}

/**
 * The fast path: whole sessions chained into as few tmux invocations as the command-line limit
 * allows, like building them by hand would. tmux runs a chain in order and stops at the first
 * refused command; then what it printed (and the names now stored) tells each session's state:
 * renamed means whole (its rename is its last command), anything else is rebuilt alone.
 */
async function buildAll(target: TmuxTarget, builds: Build[], result: ExecuteResult): Promise<void> {
  for (const inv of packInvocations(
    builds.map((b) => b.commands.map((c) => c.argv)),
    NAMES,
  )) {
    const mine = inv.sessions.map((i) => builds[i] as Build);
    if (mine.some((b) => b.done)) continue; // the rest of a big session whose first part failed
    const { out, error } = await execTmux(target, inv.argv, CHAIN_TIMEOUT_MS);
    let names = readOutput(out, mine);
    if (error) {
      if (error.reason === 'missing') throw error;
      names = readOutput(await runTmux(target, NAMES).catch(() => ''), []);
    }
    for (const [k, b] of mine.entries()) {
      const complete = inv.completes.includes(inv.sessions[k] as number);
      const stored = names.get(b.created?.sessionId ?? '');
      if (complete && (!error || (stored !== undefined && stored !== b.tmp))) finishBuild(b, names, result);
      else if (error) await rebuildAlone(target, b, error, result);
    }
  }
}

/**
 * A server that dies between two chained invocations takes the sessions already built with it,
 * and the next invocation's new-session starts a fresh server for the rest: the sessions built
 * on an earlier instance than the last one are gone, not created (the restore must not report
 * them whole, or that the server is the one they live in).
 */
function dropSessionsOfDeadServer(builds: Build[], result: ExecuteResult): void {
  const last = builds.reduce<ServerInstance | null>((l, b) => b.created?.instance ?? l, null);
  if (last === null) return;
  for (const b of builds) {
    const built = b.created?.instance;
    if (built === undefined || sameInstance(built, last) || result.skippedSessions.includes(b.s.name)) continue;
    const targets = new Set(b.s.windows.flatMap((w) => w.panes.map((p) => p.target)));
    result.panes = result.panes.filter((p) => !targets.has(p.target));
    result.renamedSessions = result.renamedSessions.filter((r) => r.planned !== b.s.name);
    result.skippedSessions.push(b.s.name);
    result.warnings.push(
      `session ${JSON.stringify(b.s.name)} not created: the tmux server it was built in (pid ${built.pid}) exited during the restore`,
    );
  }
}

/** Reads what a build printed: each `new` line starts the next session, pane ids go to the latest. */
function readOutput(out: string, mine: Build[]): Map<string, string> {
  const names = new Map<string, string>();
  let cur = mine.find((b) => b.created !== null) ?? null;
  for (const line of out.split('\n')) {
    if (line.startsWith('new\t')) {
      cur = mine.find((b) => b.created === null) ?? null;
      if (cur) cur.created = parseCreated(line);
    } else if (/^%\d+$/.test(line)) cur?.paneIds.push(line);
    else if (line.startsWith('ls\t')) {
      const [, id, ...name] = line.split('\t');
      if (id !== undefined) names.set(id, name.join('\t'));
    }
  }
  return names;
}

/** Reports the stored name and, for a whole session, its panes (ids in saved order). */
function finishBuild(b: Build, names: Map<string, string>, result: ExecuteResult, whole = true): void {
  b.done = true;
  const c = b.created;
  if (!c) return;
  const stored = names.get(c.sessionId);
  if (stored !== undefined && stored !== b.s.name) result.renamedSessions.push({ planned: b.s.name, stored });
  if (!whole) return;
  const paneIds = [c.firstPaneId, ...b.paneIds];
  const planned = b.s.windows.flatMap((w) => w.panes);
  if (paneIds.length !== planned.length) {
    result.warnings.push(
      `session ${JSON.stringify(b.s.name)}: tmux reported ${paneIds.length} panes, planned ${planned.length}`,
    );
    return;
  }
  planned.forEach((p, i) => {
    const pane: ExecutedPane = { role: p.role, target: p.target, paneId: paneIds[i] as string, action: p.action };
    if (p.sessionId !== undefined && p.action === 'resume') pane.sessionId = p.sessionId;
    if (p.command !== undefined && p.action !== 'shell') pane.command = p.command;
    result.panes.push(pane);
  });
}

/**
 * The slow path, after a chained build failed: start over with one tmux process per command.
 * A failed create means nothing was made; a failed build step leaves the session partly made
 * (cleaned up and renamed, no finish); a refused finish command is reported and skipped; a
 * failed rename means the planned name was taken meanwhile, so the session is removed again.
 */
async function rebuildAlone(target: TmuxTarget, b: Build, cause: unknown, result: ExecuteResult): Promise<void> {
  const name = JSON.stringify(b.s.name);
  b.done = true;
  b.created = null;
  b.paneIds = [];
  const gone = (err: unknown): boolean => err instanceof TmuxError && err.reason === 'no-server';
  const kill = (): Promise<unknown> => runTmux(target, ['kill-session', '-t', `=${b.tmp}:`]).catch(() => undefined);
  // The server died under us: say so, do not start another. ('no server running' alone means
  // tmux refused to parse the chain, so never started one: rebuilding pins down the command.)
  if (gone(cause) && !/no server running/.test(errorMessage(cause))) {
    result.warnings.push(`session ${name} not created: ${errorMessage(cause)}`);
    result.skippedSessions.push(b.s.name);
    return;
  }
  await kill();
  let broken = false;
  for (const cmd of b.commands) {
    if (broken && (cmd.step === 'build' || cmd.step === 'finish')) continue;
    try {
      readOutput(await runTmux(target, cmd.argv), [b]);
    } catch (err) {
      if (err instanceof TmuxError && err.reason === 'missing') throw err;
      if (cmd.step === 'create' || cmd.step === 'rename' || gone(err)) {
        if (cmd.step !== 'create') await kill();
        result.warnings.push(`session ${name} not created: ${errorMessage(err)}`);
        result.skippedSessions.push(b.s.name);
        return;
      }
      if (cmd.step === 'cleanup') continue; // a window the failed build never made
      if (cmd.step === 'build') {
        result.warnings.push(`session ${name} only partly created: ${errorMessage(err)}`);
        broken = true;
      } else result.warnings.push(`session ${name}: ${errorMessage(err)}`);
    }
  }
  finishBuild(b, readOutput(await runTmux(target, NAMES).catch(() => ''), [b]), result, !broken);
}

async function currentInstance(target: TmuxTarget): Promise<ServerInstance> {
  const instance = await queryInstance(target);
  if (instance === null) throw new TmuxError('no tmux server answered after the restore', 'no-server');
  return instance;
}
