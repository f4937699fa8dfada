// What the restore planner needs from the live system: which sessions and roles already exist
// (one tmux call; none when no server runs), file-system checks, and conversation titles.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { OwnSession, PlanEnv } from '../../common/restore/plan.js';
import { TmuxError } from '../../common/base/errors.js';
import { ROLE_OPTION } from '../../common/tmux/fleet-format.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { conversationTitleSync } from '../claude/transcript.js';
import { hasKeptTranscript, keptTranscriptPath } from '../claude/kept-transcripts.js';
import type { StatePaths } from '../base/state-dir.js';
import { claudeBinFrom } from '../../common/claude/claude-bin.js';

export interface LiveNames {
  sessions: Set<string>;
  roles: Set<string>;
  /** Sessions a restore built (tagged with the snapshot id), by stored name. */
  own: Map<string, OwnSession>;
}

/** Session option a restore sets on what it builds: the snapshot it came from. */
export const RESTORED_FROM_OPTION = '@fleetkeeper-restored-from';
/** Pane option set when a restore typed its resume: completing a session never types it twice. */
export const RESUME_TYPED_OPTION = '@fleetkeeper-resume-typed';

/** tmux decides whether a pane sits at a bare shell (its command is free text: never split on it). */
const AT_SHELL = '#{m/r:^-?(bash|zsh|fish|sh|dash|ksh|mksh|tcsh|csh|ash|nu|elvish|xonsh)$,#{pane_current_command}}';

/** Session names and pane roles of the running server; empty sets when there is no server. */
export async function liveNames(target: TmuxTarget): Promise<LiveNames> {
  const names: LiveNames = { sessions: new Set(), roles: new Set(), own: new Map() };
  let out: string;
  try {
    // Roles are free text (a tab set by hand included); the session name is vis-encoded (never a
    // raw tab): fixed fields first, the name last, the role is what lies between.
    const fixed = [`#{pane_id}`, `#{${RESTORED_FROM_OPTION}}`, `#{${RESUME_TYPED_OPTION}}`, AT_SHELL];
    out = await runTmux(target, ['list-panes', '-a', '-F', `${fixed.join('\t')}\t#{${ROLE_OPTION}}\t#{session_name}`]);
  } catch (err) {
    if (err instanceof TmuxError && err.reason === 'no-server') return names;
    throw err;
  }
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f.length < 6) continue;
    const [paneId, from, typed, atShell] = f as [string, string, string, string];
    const session = f[f.length - 1] as string;
    const role = f.slice(4, -1).join('\t');
    names.sessions.add(session);
    if (role !== '') names.roles.add(role);
    if (from === '') continue;
    let own = names.own.get(session);
    if (own === undefined) names.own.set(session, (own = { snapshotId: from, panes: new Map() }));
    if (role !== '')
      (own.panes as Map<string, { paneId: string; idle: boolean }>).set(role, {
        paneId,
        idle: typed === '' && atShell === '1',
      });
  }
  return names;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function gatherPlanEnv(
  target: TmuxTarget,
  env: NodeJS.ProcessEnv = process.env,
  paths?: StatePaths,
): Promise<PlanEnv> {
  const live = await liveNames(target);
  const titles = new Map<string, string | null>();
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return {
    existingSessions: live.sessions,
    liveRoles: live.roles,
    ownSessions: live.own,
    keptTranscript: (id) =>
      paths !== undefined && hasKeptTranscript(paths, id) ? keptTranscriptPath(paths, id) : null,
    dirExists: isDir,
    transcriptExists: isFile,
    titleOf(path: string): string | null {
      if (!titles.has(path)) titles.set(path, conversationTitleSync(path));
      return titles.get(path) ?? null;
    },
    home,
    // Replaces the captured Claude executable only (DESIGN.md contracts); one with a control
    // character is refused here too, with the same one line as the CLI (claude-bin.ts).
    claudeBinOverride:
      env.FLEETKEEPER_CLAUDE_BIN !== undefined && env.FLEETKEEPER_CLAUDE_BIN !== ''
        ? claudeBinFrom(env.FLEETKEEPER_CLAUDE_BIN)
        : null,
  };
}
