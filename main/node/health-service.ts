import type { FleetState, HealthReport, Problem } from '../common/types.js';
import { computeHealth, type HealthInput } from '../common/health.js';
import type { Settings } from '../common/settings-model.js';
import type { StatePaths } from './state-dir.js';
import type { TmuxTarget } from './tmux-exec.js';
import { queryFleet } from './fleet-query.js';
import { findRoleConflicts } from './roles.js';
import { listSnapshots, readSnapshot } from './snapshot-store.js';
import { readDaemonStatus } from './daemon-status.js';
import { readSpool } from './spool.js';
import { hooksStatus, type HookCommands } from './claude-settings.js';

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
}

/**
 * Principle 3: health is computed from what is on disk, read back and validated now, plus
 * the live server and the daemon's last attempt; never from an in-memory "ok" flag.
 */
export async function gatherHealth(deps: HealthDeps, staleAfterS = deps.settings.staleAfterS): Promise<HealthReport> {
  const problems: Problem[] = [];
  const [listing, daemon, spool, hooks] = await Promise.all([
    listSnapshots(deps.paths),
    readDaemonStatus(deps.paths).catch(() => null),
    readSpool(deps.paths),
    hooksStatus(deps.settingsPath, deps.hookCommands).catch((e: Error) => ({ state: 'invalid' as const, settingsPath: deps.settingsPath, detail: e.message })),
  ]);
  let live: FleetState | null;
  try {
    live = deps.live !== undefined ? deps.live : await queryFleet(deps.target);
  } catch (err) {
    live = null;
    problems.push({ code: 'save-failed', message: (err as Error).message });
  }
  for (const c of listing.corrupt) problems.push({ code: 'snapshot-corrupt', message: `${c.file}: ${c.reason}` });
  for (const c of spool.corrupt) problems.push({ code: 'spool-corrupt', message: `${c.file}: ${c.reason}` });
  const malformed = spool.events.filter((e) => e.kind === 'malformed');
  for (const e of malformed) problems.push({ code: 'malformed-hook-payload', message: `hook event ${e.id}: ${e.problem ?? 'malformed'}` });
  if (hooks.state !== 'installed') problems.push({ code: hooks.state === 'outdated' ? 'hooks-outdated' : 'hooks-missing', message: hooks.detail });
  if (live) problems.push(...findRoleConflicts(live));

  const newest = listing.valid[0] ?? null;
  let unbound = 0;
  if (newest) {
    const snap = await readSnapshot(deps.paths, newest.id).catch(() => null);
    for (const s of snap?.sessions ?? []) {
      for (const w of s.windows) {
        for (const p of w.panes) {
          if (p.currentCommand === 'claude' && (p.binding === null || p.binding.endedAt !== undefined && p.binding.endReason !== 'other')) {
            unbound++;
            problems.push({ code: 'unbound-claude-pane', message: `pane ${s.name}:${w.index}.${p.index} (role ${p.role}) runs claude but has no live binding` });
          }
        }
      }
    }
  }
  const daemonFailing = daemon !== null && daemon.lastError !== null && daemon.consecutiveFailures > 0 && daemon.state !== 'stopped';
  const input: HealthInput = {
    now: deps.clock(),
    newest,
    intervalS: daemon?.intervalS ?? deps.settings.intervalS,
    graceS: deps.settings.graceS,
    staleAfterS,
    server: live === null ? 'none' : live.sessions.length === 0 ? 'running-empty' : 'running',
    lastSaveError: daemonFailing && daemon.lastAttemptAt !== null
      ? { at: daemon.lastAttemptAt, reason: daemon.lastError ?? 'unknown', consecutive: daemon.consecutiveFailures }
      : null,
    hooks: hooks.state,
    unboundClaudePanes: unbound,
    problems,
    wakeGraceUntil: deps.wakeGraceUntil ?? null,
  };
  return computeHealth(input);
}
