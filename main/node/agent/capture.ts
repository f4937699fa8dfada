// At every save: what runs in each pane (Claude with its launch and account, or a program),
// and Claude's own registry reconciled with the hook journal. Reads /proc and small files only.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AgentCapture,
  Binding,
  FleetState,
  PaneSnapshot,
  Problem,
  ProgramCapture,
} from '../../common/base/types.js';
import { errorMessage } from '../../common/base/errors.js';
import { uniquePanes } from '../../common/tmux/fleet-format.js';
import { claudeLaunch } from '../../common/claude/process-kind.js';
import { normalizeClaudeArgs } from '../../common/claude/normalize-args.js';
import { filterClaudeEnv } from '../../common/claude/env-filter.js';
import { reconcile } from '../../common/claude/reconcile.js';
import { transcriptPathFor } from '../../common/claude/session-registry.js';
import { readRegistryEntry } from '../claude/session-registry.js';
import { procAvailable, scanPane, type ProcSource } from './proc-scan.js';
import { programName, restoreListMatch } from '../../common/restore/programs.js';
import { DEFAULT_RESTORE_PROGRAMS } from '../../common/settings/settings-model.js';

export interface CaptureOptions {
  /** The `claudeEnv` setting: more variable names to carry. */
  claudeEnv: readonly string[];
  /** The `restorePrograms` setting: only a listed program's arguments are stored. */
  restorePrograms?: readonly string[];
  now: Date;
  proc?: ProcSource;
  /** Fleetkeeper's own HOME, for a Claude process whose environment has none. */
  home?: string;
}

export interface CaptureResult {
  /** role → binding after reconciling with Claude's registry (the journal's, where it agrees). */
  bindings: Record<string, Binding>;
  problems: Problem[];
  /** Every config dir a Claude in the fleet runs under. */
  configDirs: string[];
  claudePanes: number;
}

const DEFAULT_PROC: ProcSource = { root: '/proc' };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the conversation's file is: Claude's usual place, else the one project dir holding that exact id. */
function findTranscript(configDir: string, cwd: string, sessionId: string): string {
  const usual = transcriptPathFor(configDir, cwd, sessionId);
  if (isFile(usual)) return usual;
  try {
    for (const d of readdirSync(join(configDir, 'projects'))) {
      const p = join(configDir, 'projects', d, `${sessionId}.jsonl`);
      if (isFile(p)) return p;
    }
  } catch {
    // no projects dir yet
  }
  return usual;
}

export function configDirOf(environ: ReadonlyMap<string, string>, fallbackHome: string): string {
  const explicit = environ.get('CLAUDE_CONFIG_DIR');
  if (explicit !== undefined && explicit !== '') return resolve('/', explicit);
  const home = environ.get('HOME');
  return join(home !== undefined && home !== '' ? home : fallbackHome, '.claude');
}

/**
 * Fills `pane.agent` / `pane.program` on the fleet's panes (in place) and returns the bindings
 * the snapshot should carry. Without /proc (not Linux) nothing is captured and the journal's
 * bindings pass through unchanged.
 */
export function captureAgents(
  fleet: FleetState,
  journal: Readonly<Record<string, Binding>>,
  opts: CaptureOptions,
): CaptureResult {
  const src = opts.proc ?? DEFAULT_PROC;
  const bindings: Record<string, Binding> = { ...journal };
  const result: CaptureResult = { bindings, problems: [], configDirs: [], claudePanes: 0 };
  if (!procAvailable(src)) return result;
  const dirs = new Set<string>();
  const now = opts.now.toISOString();
  const home = opts.home ?? homedir();
  for (const { session, window, pane } of uniquePanes(fleet)) {
    if (pane.pid === undefined) continue;
    // A pane that cannot be captured keeps what the journal says: capture must never fail a save.
    try {
      captureOne(session.name, window.index, pane, pane.pid);
    } catch (err) {
      delete pane.agent;
      delete pane.program;
      result.problems.push({
        code: 'claude-registry-unavailable',
        message: `pane ${session.name}:${window.index}.${pane.index}: not captured (${errorMessage(err)})`,
      });
    }
  }
  result.configDirs = [...dirs].sort();
  return result;

  function keptProgram(argv: string[]): ProgramCapture {
    // Restore re-runs only listed programs; an unlisted command line is never stored (secrets).
    if (restoreListMatch(argv, opts.restorePrograms ?? DEFAULT_RESTORE_PROGRAMS) !== null) return { argv };
    return { argv: [programName(argv)], withheld: true };
  }

  function captureOne(sessionName: string, windowIndex: number, pane: PaneSnapshot, pid: number): void {
    const found = scanPane(src, pid);
    if (found.program !== null && found.program.argv.length > 0) pane.program = keptProgram(found.program.argv);
    const c = found.claude;
    if (c === null || c.argv.length === 0) return;
    result.claudePanes++;
    const { executable, args } = claudeLaunch(c.argv, c.comm);
    const { env, notCarried } = filterClaudeEnv(c.environ, opts.claudeEnv);
    const configDir = configDirOf(c.environ, home);
    dirs.add(configDir);
    const registry = readRegistryEntry(configDir, c.pid, c.startTicks);
    const hook = Object.hasOwn(journal, pane.role) ? (journal[pane.role] ?? null) : null;
    const r = reconcile({
      where: `pane ${sessionName}:${windowIndex}.${pane.index} (role ${pane.role})`,
      hook,
      registry,
      registryTranscript:
        registry.kind === 'ok' ? findTranscript(configDir, registry.entry.cwd, registry.entry.sessionId) : '',
      paneId: pane.id,
      instance: fleet.instance,
      now,
      pid: c.pid,
    });
    if (r.binding !== null && pane.role !== '') bindings[pane.role] = r.binding;
    result.problems.push(...r.problems);
    const agent: AgentCapture = {
      executable,
      args: normalizeClaudeArgs(args).kept,
      env,
      envNotCarried: notCarried,
      configDir,
      pid: c.pid,
      registry: r.verdict,
    };
    if (r.registrySessionId !== undefined) agent.registrySessionId = r.registrySessionId;
    if (r.note !== undefined) agent.note = r.note;
    pane.agent = agent;
  }
}
