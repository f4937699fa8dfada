// Builds the planned sessions in a real tmux server (starting it if needed: restore is the one
// place allowed to), then types `claude --resume <id>` into the resume panes, staggered.
// Works with no client attached: every target is a session/pane id, never "the current" one.
import type { ServerInstance } from '../common/types.js';
import type { PaneAction, PlannedSession, RestorePlan } from '../common/restore-plan.js';
import {
  finishCommands,
  newSessionArgs,
  parseCreated,
  resumeKeysArgs,
  structureArgs,
  type CreatedSession,
} from '../common/restore-commands.js';
import { errorMessage, InvalidInputError, TmuxError } from '../common/errors.js';
import { runTmux, type TmuxTarget } from './tmux-exec.js';

export interface ExecuteOptions {
  claudeBin: string;
  staggerMs: number;
  socketEnv?: never;
  /** Unused: panes always run tmux's default-command / default-shell, so exiting Claude leaves it. */
  shell?: string;
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

const INSTANCE_FORMAT = '#{socket_path}\t#{pid}\t#{start_time}';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function executePlan(target: TmuxTarget, plan: RestorePlan, opts: ExecuteOptions): Promise<ExecuteResult> {
  if (opts.claudeBin === '') throw new InvalidInputError('empty Claude binary path');
  const result: ExecuteResult = {
    instance: { socketPath: '', pid: 0, startTime: 0 },
    panes: [],
    skippedSessions: [],
    renamedSessions: [],
    warnings: [],
  };
  let instance: ServerInstance | null = null;
  for (const s of plan.sessions) {
    if (s.action !== 'create') {
      result.skippedSessions.push(s.name);
      continue;
    }
    const built = await buildSession(target, s, result);
    if (built) instance = built.instance;
  }
  result.instance = instance ?? (await currentInstance(target));
  const resumes = result.panes.filter((p) => p.action === 'resume');
  if (resumes.length > 0) await startClaudes(target, resumes, opts, result);
  return result;
}

async function buildSession(target: TmuxTarget, s: PlannedSession, result: ExecuteResult): Promise<CreatedSession | null> {
  let created: CreatedSession;
  try {
    created = parseCreated(await runTmux(target, newSessionArgs(s)));
  } catch (err) {
    if (err instanceof TmuxError && err.reason === 'missing') throw err;
    result.warnings.push(`session ${JSON.stringify(s.name)} not created: ${errorMessage(err)}`);
    result.skippedSessions.push(s.name);
    return null;
  }
  if (created.storedName !== s.name) result.renamedSessions.push({ planned: s.name, stored: created.storedName });
  const paneIds: string[] = [created.firstPaneId];
  try {
    const rest = structureArgs(s, created);
    if (rest.length > 0) paneIds.push(...(await runTmux(target, rest)).split('\n').filter((l) => l !== ''));
  } catch (err) {
    result.warnings.push(`session ${JSON.stringify(s.name)} only partly created: ${errorMessage(err)}`);
    return created;
  }
  const planned = s.windows.flatMap((w) => w.panes);
  if (paneIds.length !== planned.length) {
    result.warnings.push(`session ${JSON.stringify(s.name)}: tmux reported ${paneIds.length} panes, planned ${planned.length}`);
    return created;
  }
  planned.forEach((p, i) => {
    const pane: ExecutedPane = { role: p.role, target: p.target, paneId: paneIds[i] as string, action: p.action };
    if (p.sessionId !== undefined && p.action === 'resume') pane.sessionId = p.sessionId;
    result.panes.push(pane);
  });
  await finish(target, s, created, result);
  return created;
}

/** One process for all of it; if tmux refuses one command, the rest are run one by one. */
async function finish(target: TmuxTarget, s: PlannedSession, c: CreatedSession, result: ExecuteResult): Promise<void> {
  const { commands, warnings } = finishCommands(s, c);
  result.warnings.push(...warnings);
  if (commands.length === 0) return;
  try {
    await runTmux(target, commands.flatMap((cmd, i) => (i === 0 ? cmd : [';', ...cmd])));
  } catch {
    for (const cmd of commands) {
      await runTmux(target, cmd).catch((err: unknown) => {
        result.warnings.push(`session ${JSON.stringify(s.name)}: ${errorMessage(err)}`);
      });
    }
  }
}

async function currentInstance(target: TmuxTarget): Promise<ServerInstance> {
  const out = await runTmux(target, ['display-message', '-p', INSTANCE_FORMAT]);
  const [socketPath, pid, startTime] = out.trim().split('\t');
  return { socketPath: socketPath ?? '', pid: Number(pid), startTime: Number(startTime) };
}

/**
 * A new pane's shell is ready to read a line once it has drawn its prompt, i.e. the cursor has
 * moved off 0,0. Typing before that is not lost (the pty buffers it) but can be echoed twice or
 * swallowed by shells that flush typeahead, so we wait for it, bounded: an empty prompt never
 * moves the cursor, and then we type after the timeout anyway. Login profiles can be slow (seen
 * here: pyenv's rehash lock held every new bash for 60 s), hence a generous default and a warning.
 */
async function waitForPrompts(target: TmuxTarget, paneIds: readonly string[], timeoutMs: number): Promise<Set<string>> {
  const waiting = new Set(paneIds);
  const deadline = Date.now() + timeoutMs;
  while (waiting.size > 0 && Date.now() < deadline) {
    const out = await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}\t#{cursor_x}\t#{cursor_y}']);
    for (const line of out.split('\n')) {
      const [id, x, y] = line.split('\t');
      if (id !== undefined && waiting.has(id) && (x !== '0' || y !== '0')) waiting.delete(id);
    }
    if (waiting.size > 0) await sleep(100);
  }
  return waiting;
}

async function startClaudes(target: TmuxTarget, panes: ExecutedPane[], opts: ExecuteOptions, result: ExecuteResult): Promise<void> {
  const notReady = await waitForPrompts(target, panes.map((p) => p.paneId), opts.shellReadyTimeoutMs ?? 10_000);
  for (const id of notReady) result.warnings.push(`pane ${id}: no shell prompt seen; typed the resume command anyway`);
  for (const [i, p] of panes.entries()) {
    if (i > 0 && opts.staggerMs > 0) await sleep(opts.staggerMs);
    try {
      await runTmux(target, resumeKeysArgs(p.paneId, opts.claudeBin, p.sessionId ?? ''));
      p.startedAt = new Date().toISOString();
    } catch (err) {
      result.warnings.push(`pane ${p.target} (${p.paneId}): resume not typed: ${errorMessage(err)}`);
    }
  }
}
