// What the restore planner needs from the live system: which sessions and roles already exist
// (one tmux call; none when no server runs), file-system checks, and conversation titles.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { PlanEnv } from '../../common/restore/plan.js';
import { TmuxError } from '../../common/base/errors.js';
import { ROLE_OPTION } from '../../common/restore/commands.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { conversationTitleSync } from '../claude/transcript.js';

export interface LiveNames {
  sessions: Set<string>;
  roles: Set<string>;
}

/** Session names and pane roles of the running server; empty sets when there is no server. */
export async function liveNames(target: TmuxTarget): Promise<LiveNames> {
  const names: LiveNames = { sessions: new Set(), roles: new Set() };
  let out: string;
  try {
    // tmux vis-encodes session names (never a raw tab), so the name is what follows the last tab.
    out = await runTmux(target, ['list-panes', '-a', '-F', `#{${ROLE_OPTION}}\t#{session_name}`]);
  } catch (err) {
    if (err instanceof TmuxError && err.reason === 'no-server') return names;
    throw err;
  }
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    const role = line.slice(0, tab);
    names.sessions.add(line.slice(tab + 1));
    if (role !== '') names.roles.add(role);
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

export async function gatherPlanEnv(target: TmuxTarget, env: NodeJS.ProcessEnv = process.env): Promise<PlanEnv> {
  const live = await liveNames(target);
  const titles = new Map<string, string | null>();
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return {
    existingSessions: live.sessions,
    liveRoles: live.roles,
    dirExists: isDir,
    transcriptExists: isFile,
    titleOf(path: string): string | null {
      if (!titles.has(path)) titles.set(path, conversationTitleSync(path));
      return titles.get(path) ?? null;
    },
    home,
  };
}
