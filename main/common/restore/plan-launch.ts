// What the plan types into a pane besides the shell: the Claude relaunch line for a resume, or a
// listed program. Kept apart from plan.ts, which decides *whether* a pane resumes at all.
import type { EnvNotCarried, PaneSnapshot } from '../base/types.js';
import { DEFAULT_RESTORE_PROGRAMS } from '../settings/settings-model.js';
import { claudeLine, programLine } from './relaunch.js';
import { restoreListMatch } from './programs.js';

export interface LaunchEnv {
  /** The `restorePrograms` setting (default: tmux-resurrect's list). */
  restorePrograms?: readonly string[];
  /** FLEETKEEPER_CLAUDE_BIN: replaces the captured executable only. */
  claudeBinOverride?: string | null;
}

export type ProgramPlan = { ok: true; argv: string[]; line: string } | { ok: false; reason: string };

/** A pane whose foreground was a program: re-run only when the restore list names it. */
export function planProgram(p: PaneSnapshot, env: LaunchEnv): ProgramPlan | null {
  if (p.program === undefined || p.agent !== undefined) return null;
  const argv = p.program.argv;
  const shown = argv.join(' ');
  const display = JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}…` : shown);
  if (p.program.withheld === true)
    return {
      ok: false,
      reason: `${display} not restored (not in restorePrograms when saved: its arguments were not kept)`,
    };
  if (restoreListMatch(argv, env.restorePrograms ?? DEFAULT_RESTORE_PROGRAMS) === null)
    return { ok: false, reason: `${display} not restored (not in restorePrograms)` };
  const typed = programLine(argv);
  if (!typed.ok) return { ok: false, reason: `${display} not restored: ${typed.reason}` };
  return typed;
}

export type ResumeLaunch = { ok: true; line: string; notCarried: EnvNotCarried[] } | { ok: false; reason: string };

export function planResumeLine(p: PaneSnapshot, sessionId: string, env: LaunchEnv): ResumeLaunch {
  const { typed, notCarried } = claudeLine(p.agent, sessionId, env.claudeBinOverride ?? null);
  if (!typed.ok) return { ok: false, reason: typed.reason };
  return { ok: true, line: typed.line, notCarried };
}
