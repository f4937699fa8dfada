// The restore plan: what a restore will create, pane by pane, and why a pane gets only a
// shell. Pure: everything it needs from the live system comes in through PlanEnv. Which
// conversation goes where is read from the snapshot's bindings only (DESIGN.md principle 1):
// no mtime, no newest-file guess.
import type { Binding, PaneSnapshot, SessionSnapshot, Snapshot } from '../base/types.js';
import { isSessionId, isValidRole } from '../base/names.js';
import type { EnvNotCarried } from '../base/types.js';
import { planProgram, planResumeLine, type LaunchEnv } from './plan-launch.js';

export type PaneAction = 'resume' | 'shell' | 'program';

export interface PlannedPane {
  role: string;
  paneIndex: number;
  /** "session:window.pane" as saved, for display. */
  target: string;
  /** The directory the pane starts in, after fallbacks. */
  cwd: string;
  snapshotCwd: string;
  action: PaneAction;
  sessionId?: string;
  title?: string | null;
  /** Why a pane gets only a shell, and why its cwd differs from the snapshot. */
  reason?: string;
  active: boolean;
  /** False when the role must not be set on the new pane (already live elsewhere, invalid, duplicate). */
  applyRole: boolean;
  /** In a session being completed: the live pane that already holds this role (idle shell for a resume). */
  livePaneId?: string;
  /** A resume held back for this restore (not selected, switched to a shell): still on offer. */
  deferred?: boolean;
  /** The transcript is gone from Claude's dir: put this kept copy back at `original` before the resume. */
  transcriptFromKept?: { kept: string; original: string };
  /** The exact line typed into the pane's shell (resume and program panes), every word quoted. */
  command?: string;
  /** Program panes: the argument list re-run. */
  program?: string[];
  /** Resume panes: variables the saved Claude had that the command does not carry, and why. */
  notCarried?: EnvNotCarried[];
}

export interface PlannedWindow {
  index: number;
  name: string;
  layout: string;
  active: boolean;
  zoomed: boolean;
  /** tmux names the window after its program: restored automatic, not frozen (unknown in format 1: fixed). */
  automaticRename?: boolean;
  panes: PlannedPane[];
}

export interface PlannedSession {
  /** The name tmux will store (':' and '.' become '_', as tmux does). */
  name: string;
  /** complete: a session an earlier restore of this same snapshot created; its missing resumes are typed. */
  action: 'create' | 'skip-exists' | 'not-selected' | 'complete';
  /** The snapshot's name when tmux would store it differently. */
  renamedFrom?: string;
  reason?: string;
  /** For 'skip-exists' sessions the windows are listed for display only; nothing is created. */
  windows: PlannedWindow[];
}

export interface RestorePlan {
  snapshotId: string;
  savedAt: string;
  sessions: PlannedSession[];
  /** panes / resumes / shells count only what will be created. */
  counts: { sessions: number; skipped: number; panes: number; resumes: number; shells: number };
  /** Said once above the sessions, e.g. that an imported snapshot has no conversations. */
  note?: string;
}

export interface PlanEnv extends LaunchEnv {
  existingSessions: ReadonlySet<string>;
  liveRoles: ReadonlySet<string>;
  dirExists(path: string): boolean;
  transcriptExists(path: string): boolean;
  titleOf(transcriptPath: string): string | null;
  home: string;
  /** Live sessions an earlier restore built, by stored name: the snapshot it came from and its panes by role. */
  ownSessions?: ReadonlyMap<string, OwnSession>;
  /** Fleetkeeper's kept copy of a conversation's transcript (path), or null. */
  keptTranscript?(sessionId: string): string | null;
}

export interface OwnSession {
  snapshotId: string;
  /** role → the live pane holding it and whether it sits at a bare shell prompt. */
  panes: ReadonlyMap<string, { paneId: string; idle: boolean }>;
}

/** tmux replaces ':' and '.' in session names with '_' (session_check_name). */
export function tmuxSessionName(name: string): string {
  return name.replace(/[:.]/g, '_');
}

/** A SessionEnd that means the user left Claude; 'other' (reboot, kill-server, hangup) does not. */
export function endedByUser(b: Binding): boolean {
  if (b.endedAt === undefined && b.endReason === undefined) return false;
  // Claude always sends a reason; a missing one is treated like its catch-all 'other'.
  return b.endReason !== undefined && b.endReason !== 'other';
}

interface PlanState {
  env: PlanEnv;
  rolesTaken: Map<string, string>;
  sessionIdsTaken: Map<string, string>;
}

export function planRestore(snapshot: Snapshot, env: PlanEnv): RestorePlan {
  const state: PlanState = { env, rolesTaken: new Map(), sessionIdsTaken: new Map() };
  const namesTaken = new Set<string>();
  const sessions: PlannedSession[] = [];
  for (const s of snapshot.sessions) {
    const name = tmuxSessionName(s.name);
    const renamed = name !== s.name ? { renamedFrom: s.name } : {};
    let skipReason: string | null = null;
    const own = env.ownSessions?.get(name);
    if (own !== undefined && own.snapshotId === snapshot.id && !namesTaken.has(name)) {
      namesTaken.add(name);
      sessions.push(completeSession(s, name, renamed, own, state));
      continue;
    }
    if (env.existingSessions.has(name)) skipReason = `session ${JSON.stringify(name)} already exists: left untouched`;
    else if (namesTaken.has(name))
      skipReason = `another session in the snapshot is also stored by tmux as ${JSON.stringify(name)}`;
    namesTaken.add(name);
    if (skipReason !== null) {
      sessions.push({
        name,
        action: 'skip-exists',
        ...renamed,
        reason: skipReason,
        windows: planWindows(s, name, state, skipReason),
      });
    } else {
      sessions.push({ name, action: 'create', ...renamed, windows: planWindows(s, name, state, null) });
    }
  }
  const created = sessions.filter((s) => s.action === 'create' || s.action === 'complete');
  const panes = created.flatMap((s) =>
    s.windows
      .flatMap((w) => w.panes)
      .filter((p) => s.action === 'create' || (p.livePaneId !== undefined && p.action === 'resume')),
  );
  return {
    snapshotId: snapshot.id,
    savedAt: snapshot.savedAt,
    ...(snapshot.importedFrom
      ? {
          note: `imported from ${snapshot.importedFrom.tool} (${snapshot.importedFrom.file}): it never knew the Claude conversations, so no pane resumes one; every pane gets a shell in its directory`,
        }
      : {}),
    sessions,
    counts: {
      sessions: created.length,
      skipped: sessions.length - created.length,
      panes: panes.length,
      resumes: panes.filter((p) => p.action === 'resume').length,
      shells: panes.filter((p) => p.action === 'shell').length,
    },
  };
}

function planWindows(s: SessionSnapshot, name: string, state: PlanState, skipReason: string | null): PlannedWindow[] {
  const windows = [...s.windows].sort((a, b) => a.index - b.index);
  const activeWindow = windows.find((w) => w.active) ?? windows[0];
  return windows.map((w) => {
    const panes = [...w.panes].sort((a, b) => a.index - b.index);
    const activePane = panes.find((p) => p.active) ?? panes[0];
    return {
      index: w.index,
      name: w.name,
      layout: w.layout,
      active: w === activeWindow,
      zoomed: w.zoomed,
      ...(w.automaticRename !== undefined ? { automaticRename: w.automaticRename } : {}),
      panes: panes.map((p) => {
        const target = `${name}:${w.index}.${p.index}`;
        const active = p === activePane;
        if (skipReason !== null) {
          return {
            role: p.role,
            paneIndex: p.index,
            target,
            cwd: p.cwd,
            snapshotCwd: p.cwd,
            action: 'shell',
            reason: skipReason,
            active,
            applyRole: false,
          };
        }
        return planPane(p, target, active, state);
      }),
    };
  });
}

/**
 * A session this snapshot's own earlier restore built (interrupted, or partial): plan it as new,
 * with its own panes' roles not counted as live elsewhere, then point each resume at the pane
 * holding its role when that pane is still a bare shell. Nothing else in it is touched.
 */
function completeSession(
  s: SessionSnapshot,
  name: string,
  renamed: { renamedFrom?: string },
  own: OwnSession,
  state: PlanState,
): PlannedSession {
  const liveElsewhere = new Set([...state.env.liveRoles].filter((r) => !own.panes.has(r)));
  const inner: PlanState = { ...state, env: { ...state.env, liveRoles: liveElsewhere } };
  const windows = planWindows(s, name, inner, null).map((w) => ({
    ...w,
    panes: w.panes.map((p): PlannedPane => {
      const live = own.panes.get(p.role);
      if (live === undefined) {
        const why = 'pane missing from the session an earlier restore built: not rebuilt';
        return { ...p, action: 'shell', reason: p.reason ? `${why}; ${p.reason}` : why };
      }
      if (p.action === 'resume' && live.idle) return { ...p, livePaneId: live.paneId };
      if (p.action === 'resume') return { ...p, action: 'shell', reason: `already running in ${live.paneId}` };
      return p;
    }),
  }));
  if (!windows.some((w) => w.panes.some((p) => p.livePaneId !== undefined)))
    return { name, action: 'skip-exists', ...renamed, reason: 'already restored from this snapshot', windows };
  return { name, action: 'complete', ...renamed, reason: 'built by an earlier restore of this snapshot', windows };
}

function planPane(p: PaneSnapshot, target: string, active: boolean, state: PlanState): PlannedPane {
  const { env } = state;
  const base = { role: p.role, paneIndex: p.index, target, snapshotCwd: p.cwd, active };
  const reasons: string[] = [];
  const shellCwd = (): string => {
    if (p.cwd.startsWith('/') && env.dirExists(p.cwd)) return p.cwd;
    reasons.push(`directory ${JSON.stringify(p.cwd)} no longer exists: starting in ${env.home}`);
    return env.home;
  };
  const shell = (why: string, applyRole: boolean, extra: Partial<PlannedPane> = {}): PlannedPane => {
    reasons.unshift(why);
    const cwd = shellCwd();
    return { ...base, ...extra, cwd, action: 'shell', reason: reasons.join('; '), applyRole };
  };

  const applyRole = p.role !== '' && isValidRole(p.role);
  if (p.role !== '' && !applyRole) reasons.push(`role ${JSON.stringify(p.role)} is not a valid role name: not applied`);
  if (applyRole && env.liveRoles.has(p.role)) {
    return shell(`role ${JSON.stringify(p.role)} is already live in another pane: not re-applied`, false);
  }
  if (applyRole) {
    const holder = state.rolesTaken.get(p.role);
    if (holder !== undefined)
      return shell(
        `role ${JSON.stringify(p.role)} is also held by ${holder} in the snapshot: not applied twice`,
        false,
      );
    state.rolesTaken.set(p.role, target);
  }

  const b = p.binding;
  const prog = b === null || endedByUser(b) ? planProgram(p, env) : null;
  if (prog !== null) {
    if (!prog.ok) return shell(prog.reason, applyRole);
    if (!p.cwd.startsWith('/') || !env.dirExists(p.cwd))
      return shell(
        `${prog.argv[0] ?? 'program'} not restored: its directory ${JSON.stringify(p.cwd)} is gone`,
        applyRole,
      );
    const pane: PlannedPane = {
      ...base,
      cwd: p.cwd,
      action: 'program',
      program: prog.argv,
      command: prog.line,
      applyRole,
    };
    if (reasons.length > 0) pane.reason = reasons.join('; ');
    return pane;
  }
  if (b === null) {
    return shell(
      p.agent !== undefined
        ? `no Claude binding (Claude was running but neither its hooks nor its registry named the conversation${p.agent.note !== undefined ? `: ${p.agent.note}` : ''})`
        : p.currentCommand === 'claude'
          ? 'no Claude binding (Claude was running but its hook never reported)'
          : 'no Claude binding',
      applyRole,
    );
  }
  // Gone from Claude's dir but kept by us: put back before the resume (DESIGN.md "Kept transcripts").
  const kept =
    isSessionId(b.sessionId) && !env.transcriptExists(b.transcriptPath)
      ? (env.keptTranscript?.(b.sessionId) ?? null)
      : null;
  const title = env.transcriptExists(b.transcriptPath)
    ? env.titleOf(b.transcriptPath)
    : kept !== null
      ? env.titleOf(kept)
      : null;
  const info = { sessionId: b.sessionId, title };
  if (endedByUser(b))
    return shell(`Claude was exited before the snapshot (${b.endReason ?? 'ended'})`, applyRole, info);
  if (!isSessionId(b.sessionId))
    return shell(`session id ${JSON.stringify(b.sessionId)} is not a UUID`, applyRole, { title });
  if (kept !== null) reasons.push("transcript restored from Fleetkeeper's copy");
  else if (!env.transcriptExists(b.transcriptPath))
    return shell(`transcript ${b.transcriptPath} is gone`, applyRole, info);
  if (!b.cwd.startsWith('/') || !env.dirExists(b.cwd)) {
    return shell(
      `the conversation's directory ${JSON.stringify(b.cwd)} no longer exists (claude --resume must run there)`,
      applyRole,
      info,
    );
  }
  const other = state.sessionIdsTaken.get(b.sessionId);
  if (other !== undefined) return shell(`conversation ${b.sessionId} is already resumed in ${other}`, applyRole, info);
  const launch = planResumeLine(p, b.sessionId, env);
  if (!launch.ok) return shell(launch.reason, applyRole, info);
  state.sessionIdsTaken.set(b.sessionId, target);
  const pane: PlannedPane = { ...base, cwd: b.cwd, action: 'resume', sessionId: b.sessionId, title, applyRole };
  pane.command = launch.line;
  if (kept !== null) pane.transcriptFromKept = { kept, original: b.transcriptPath };
  if (launch.notCarried.length > 0) pane.notCarried = launch.notCarried;
  if (reasons.length > 0) pane.reason = reasons.join('; ');
  return pane;
}
