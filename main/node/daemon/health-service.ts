import type { FleetState, HealthReport, Problem } from '../../common/base/types.js';
import { TmuxError, errorMessage } from '../../common/base/errors.js';
import { computeHealth, type HealthInput } from '../../common/health/health.js';
import type { Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { queryFleet } from '../tmux/fleet-query.js';
import { findRoleConflicts } from '../tmux/roles.js';
import { listSnapshots, readSnapshot } from '../snapshot/store.js';
import type { CatalogView } from '../snapshot/catalog.js';
import { isResumableBinding } from '../../common/snapshot/counts.js';
import { daemonAlive, readDaemonStatus } from './status.js';
import { readSpool } from '../journal/spool.js';
import { readSaveLogText } from '../snapshot/save-log.js';
import { FUTURE_TOLERANCE_S } from '../../common/health/health.js';
import { hooksStatus, type HookCommands } from '../claude/settings-file.js';
import { agentProblems } from '../agent/config-dirs.js';

export interface HealthDeps {
  paths: StatePaths;
  target: TmuxTarget;
  settings: Settings;
  clock: () => Date;
  settingsPath: string;
  hookCommands: HookCommands;
  wakeGraceUntil?: Date | null;
  /** The live fleet if the caller already has it (the daemon), else one tmux call. */
  live?: FleetState | null;
  /** The daemon's cached catalog view (newest re-validated); else a full listing now. */
  snapshots?: () => Promise<CatalogView>;
}

/** The snapshot id of the last successful save in the save log's own (append) order. */
async function lastSavedId(paths: StatePaths): Promise<string | null> {
  const text = await readSaveLogText(paths).catch(() => '');
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const r = JSON.parse(lines[i] as string) as { ok?: unknown; snapshotId?: unknown };
      if (r.ok === true && typeof r.snapshotId === 'string') return r.snapshotId;
    } catch {
      // torn or blank line
    }
  }
  return null;
}

/**
 * After the wall clock moved back, the newest snapshot by savedAt is dated in the future and
 * every later save sorts below it: health would say "age unknown" (amber) until the clock
 * caught up, hours during which a dead saver raised no alarm. The save log is appended in
 * real order, so when it names a newer save that still validates, that one is the newest.
 */
async function newestAfterClockMovedBack(paths: StatePaths, view: CatalogView, now: Date): Promise<CatalogView> {
  const head = view.newest;
  if (head === null || Date.parse(head.savedAt) - now.getTime() <= FUTURE_TOLERANCE_S * 1000) return view;
  const id = await lastSavedId(paths);
  if (id === null || id === head.id || !view.listing.valid.some((s) => s.id === id)) return view;
  const snap = await readSnapshot(paths, id).catch(() => null);
  return snap === null ? view : { listing: view.listing, newest: snap };
}

async function fullView(paths: StatePaths): Promise<CatalogView> {
  const listing = await listSnapshots(paths);
  for (const s of listing.valid) {
    const snap = await readSnapshot(paths, s.id).catch(() => null);
    if (snap !== null) return { listing, newest: snap };
  }
  return { listing, newest: null };
}

/**
 * Principle 3: health is computed from what is on disk, read back and validated now, plus
 * the live server and the daemon's last attempt; never from an in-memory "ok" flag.
 */
export async function gatherHealth(deps: HealthDeps, staleAfterOverrideS?: number): Promise<HealthReport> {
  const problems: Problem[] = [];
  const [view, daemon, spool, hooks] = await Promise.all([
    deps.snapshots ? deps.snapshots() : fullView(deps.paths),
    readDaemonStatus(deps.paths).catch(() => null),
    readSpool(deps.paths),
    hooksStatus(deps.settingsPath, deps.hookCommands).catch((e: Error) => ({
      state: 'invalid' as const,
      settingsPath: deps.settingsPath,
      detail: e.message,
    })),
  ]);
  const now = deps.clock();
  const { listing, newest: snap } = await newestAfterClockMovedBack(deps.paths, view, now);
  // Adopted / drifted / moved Claudes, a second source unavailable, config dirs in use without hooks.
  problems.push(...(await agentProblems(snap, deps.settingsPath, deps.hookCommands).catch(() => [])));
  let live: FleetState | null;
  /** tmux is there but did not answer (timeout, garbage): not "no server", a backup at risk. */
  let unanswered: string | null = null;
  try {
    live = deps.live !== undefined ? deps.live : await queryFleet(deps.target);
  } catch (err) {
    live = null;
    if (!(err instanceof TmuxError && err.reason === 'no-server')) unanswered = errorMessage(err);
    problems.push({ code: 'save-failed', message: errorMessage(err) });
  }
  for (const c of listing.corrupt) problems.push({ code: 'snapshot-corrupt', message: `${c.file}: ${c.reason}` });
  for (const c of spool.corrupt) problems.push({ code: 'spool-corrupt', message: `${c.file}: ${c.reason}` });
  const malformed = spool.events.filter((e) => e.kind === 'malformed');
  for (const e of malformed)
    problems.push({ code: 'malformed-hook-payload', message: `hook event ${e.id}: ${e.problem ?? 'malformed'}` });
  if (hooks.state !== 'installed')
    problems.push({ code: hooks.state === 'outdated' ? 'hooks-outdated' : 'hooks-missing', message: hooks.detail });
  if (live) problems.push(...findRoleConflicts(live));

  const newest = snap === null ? null : (listing.valid.find((s) => s.id === snap.id) ?? null);
  let unbound = 0;
  for (const s of snap?.sessions ?? []) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        // Claude typed into a shell shows as `claude`; without a resumable binding the hooks
        // did not see it start, so a restore could only give that pane a shell.
        // Format 2 knows the Claude process itself (however it was started); format 1 only the name.
        if ((p.agent !== undefined || p.currentCommand === 'claude') && !isResumableBinding(p.binding)) {
          unbound++;
          problems.push({
            code: 'unbound-claude-pane',
            message: `pane ${s.name}:${w.index}.${p.index} (role ${p.role}) runs claude but has no live binding`,
          });
        }
      }
    }
  }
  const daemonFailing =
    daemon !== null && daemon.lastError !== null && daemon.consecutiveFailures > 0 && daemon.state !== 'stopped';
  // A running daemon's --stale-after is the alarm it raises: status and the tmux status line
  // must agree with it rather than stay quiet on the settings' (longer) default.
  const staleAfterS =
    staleAfterOverrideS ?? (daemon !== null && daemonAlive(daemon) ? daemon.staleAfterS : deps.settings.staleAfterS);
  const input: HealthInput = {
    now,
    newest,
    // A dead daemon's interval is not a promise anyone keeps: the settings are.
    intervalS: daemon !== null && daemonAlive(daemon) ? daemon.intervalS : deps.settings.intervalS,
    graceS: deps.settings.graceS,
    staleAfterS,
    server:
      live === null
        ? unanswered !== null
          ? 'running'
          : 'none'
        : live.sessions.length === 0
          ? 'running-empty'
          : 'running',
    lastSaveError:
      daemonFailing && daemon.lastAttemptAt !== null
        ? { at: daemon.lastAttemptAt, reason: daemon.lastError ?? 'unknown', consecutive: daemon.consecutiveFailures }
        : unanswered !== null
          ? { at: now.toISOString(), reason: `tmux did not answer: ${unanswered}`, consecutive: 1 }
          : null,
    hooks: hooks.state,
    unboundClaudePanes: unbound,
    problems,
    wakeGraceUntil: deps.wakeGraceUntil ?? null,
  };
  return computeHealth(input);
}
