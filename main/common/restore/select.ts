// A partial restore: only the sessions or roles the user picked (`--session`, `--role`, the
// dashboard's ticks). Pure: it narrows a plan, it never re-plans. A session picked through a
// role comes back whole (its layout needs every pane) but only the picked roles resume; the
// others get a shell with the reason, and a later restore of the same snapshot completes them.
import { InvalidInputError } from '../base/errors.js';
import type { PlannedPane, PlannedSession, RestorePlan } from './plan.js';

export interface RestoreSelection {
  /** Session names (as saved or as tmux stores them). Empty/absent with no roles: everything. */
  sessions?: readonly string[];
  /** Roles whose conversations to resume; their sessions come back. */
  roles?: readonly string[];
  /** Roles the user switched to a plain shell (the dashboard preview). */
  shellRoles?: readonly string[];
}

export const NOT_SELECTED = 'not selected for this restore: still on offer';

export function isPartial(sel: RestoreSelection | undefined): boolean {
  return (sel?.sessions?.length ?? 0) > 0 || (sel?.roles?.length ?? 0) > 0 || (sel?.shellRoles?.length ?? 0) > 0;
}

function panesOf(s: PlannedSession): PlannedPane[] {
  return s.windows.flatMap((w) => w.panes);
}

/** Counts what will be created or completed, like planRestore does. */
export function recount(plan: RestorePlan): RestorePlan['counts'] {
  const acted = plan.sessions.filter((s) => s.action === 'create' || s.action === 'complete');
  const panes = acted.flatMap((s) =>
    panesOf(s).filter((p) => s.action === 'create' || (p.livePaneId !== undefined && p.action === 'resume')),
  );
  return {
    sessions: acted.length,
    skipped: plan.sessions.length - acted.length,
    panes: panes.length,
    resumes: panes.filter((p) => p.action === 'resume').length,
    shells: panes.filter((p) => p.action === 'shell').length,
  };
}

/** Narrows `plan` to the selection; an unknown session or role is an error naming it. */
export function selectParts(plan: RestorePlan, sel: RestoreSelection | undefined): RestorePlan {
  if (!isPartial(sel)) return plan;
  const sessions = new Set(sel?.sessions ?? []);
  const roles = new Set(sel?.roles ?? []);
  const shellRoles = new Set(sel?.shellRoles ?? []);
  const known = (s: PlannedSession): boolean => sessions.has(s.name) || sessions.has(s.renamedFrom ?? '\0');
  for (const name of sessions)
    if (!plan.sessions.some((s) => s.name === name || s.renamedFrom === name))
      throw new InvalidInputError(`no session ${JSON.stringify(name)} in snapshot ${plan.snapshotId}`);
  const allRoles = new Set(plan.sessions.flatMap((s) => panesOf(s).map((p) => p.role)));
  for (const r of [...roles, ...shellRoles])
    if (!allRoles.has(r)) throw new InvalidInputError(`no role ${JSON.stringify(r)} in snapshot ${plan.snapshotId}`);
  const pickAll = sessions.size === 0 && roles.size === 0;
  const out: PlannedSession[] = plan.sessions.map((s) => {
    const whole = pickAll || known(s);
    const byRole = panesOf(s).some((p) => roles.has(p.role));
    if (!whole && !byRole) {
      if (s.action === 'skip-exists') return s;
      return { ...s, action: 'not-selected', reason: NOT_SELECTED };
    }
    const windows = s.windows.map((w) => ({
      ...w,
      panes: w.panes.map((p): PlannedPane => {
        if (p.action !== 'resume') return p;
        if (shellRoles.has(p.role)) return toShell(p, 'switched to a shell for this restore');
        if (!whole && !roles.has(p.role)) return toShell(p, `role not selected (--role): ${NOT_SELECTED}`);
        return p;
      }),
    }));
    return { ...s, windows };
  });
  const next = { ...plan, sessions: out };
  return { ...next, counts: recount(next) };
}

function toShell(p: PlannedPane, why: string): PlannedPane {
  const { sessionId, title } = p;
  const shell: PlannedPane = { ...p, action: 'shell', reason: why, deferred: true };
  if (sessionId !== undefined) shell.sessionId = sessionId;
  if (title !== undefined) shell.title = title;
  return shell;
}
