import { unlink } from 'node:fs/promises';
import type { FleetState, SaveTrigger, Snapshot } from '../../common/base/types.js';
import { TmuxError, errorMessage } from '../../common/base/errors.js';
import { appendSaveRecord } from './save-log.js';
import { TEMP_SESSION_PREFIX } from '../../common/restore/commands.js';
import { sameInstance } from '../../common/tmux/server-instance.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { instanceStillUp, queryFleet } from '../tmux/fleet-query.js';
import { assignDefaultRoles } from '../tmux/roles.js';
import { RegistryStore } from '../journal/registry-store.js';
import { buildSnapshot, sweepSnapshotAndStatusTemps, writeSnapshot } from './store.js';
import { applyRetention, type SnapshotListing } from './store.js';
import type { Settings } from '../../common/settings/settings-model.js';
import { captureAgents } from '../agent/capture.js';
import { keepTranscripts, pruneKeptTranscripts } from '../claude/kept-transcripts.js';
import { listSnapshots } from './reader.js';
import { capturePaneContents, removePaneContents, writePaneContents } from './pane-contents.js';

export interface SaveDeps {
  paths: StatePaths;
  target: TmuxTarget;
  registry: RegistryStore;
  settings: Settings;
  clock: () => Date;
  /** How to read the live fleet: through the daemon's open control client, or one tmux call. */
  query?: () => Promise<FleetState | null>;
  /** Which server answers now (the daemon asks through its control client). */
  instanceNow?: () => Promise<FleetState['instance'] | null>;
  /**
   * The daemon's catalog, so retention does not re-read every snapshot on every save; it is
   * handed the snapshot just written (and read back), so it need not parse that one again.
   */
  listing?: (written: Snapshot) => Promise<SnapshotListing>;
}

export interface SaveResult {
  snapshot: Snapshot;
  /** The live state the snapshot was taken from (roles filled in). */
  fleet: FleetState;
  rolesAssigned: number;
  eventsFolded: number;
  pruned: string[];
  /** Kept transcripts (issue 10): what could not be kept (over the copy cap, unreadable). */
  transcriptProblems?: string[];
}

/**
 * One verified save. Caller holds the writer lock. Refuses to write when there is nothing
 * worth restoring (no server, no sessions), and withdraws a snapshot whose server vanished
 * while it was being written: a server going down must never displace the last healthy one.
 */
export async function saveSnapshot(deps: SaveDeps, trigger: SaveTrigger): Promise<SaveResult> {
  const at = deps.clock().toISOString();
  try {
    const r = await saveOnce(deps, trigger);
    await appendSaveRecord(deps.paths, {
      at: r.snapshot.savedAt,
      trigger,
      ok: true,
      snapshotId: r.snapshot.id,
      durationMs: r.snapshot.durationMs,
    }).catch(() => undefined);
    return r;
  } catch (err) {
    // "No server / nothing to save" is not a failed backup; everything else goes in the history.
    if (!(err instanceof TmuxError && err.reason === 'no-server')) {
      await appendSaveRecord(deps.paths, { at, trigger, ok: false, error: errorMessage(err) }).catch(() => undefined);
    }
    throw err;
  }
}

async function saveOnce(deps: SaveDeps, trigger: SaveTrigger): Promise<SaveResult> {
  const started = deps.clock();
  const t0 = performance.now();
  const queried = await (deps.query ?? (() => queryFleet(deps.target)))();
  if (queried === null) throw new TmuxError('no tmux server is running: nothing to save', 'no-server');
  // Sessions a restore is still building (temporary names, renamed last) are not the user's yet.
  const live = { ...queried, sessions: queried.sessions.filter((s) => !s.name.startsWith(TEMP_SESSION_PREFIX)) };
  if (live.sessions.length === 0) throw new TmuxError('the tmux server has no sessions: nothing to save', 'no-server');
  const { fleet, assigned } = await assignDefaultRoles(deps.target, live);
  const folded = await deps.registry.foldSpool();
  // What runs in each pane, and Claude's own registry reconciled with the journal's bindings.
  const { bindings } = captureAgents(fleet, await deps.registry.bindings(), {
    claudeEnv: deps.settings.claudeEnv ?? [],
    restorePrograms: deps.settings.restorePrograms,
    now: started,
  });
  const draft = buildSnapshot(fleet, bindings, trigger, started);
  // Under the writer lock: temps of saves and status writes killed earlier are swept here.
  await sweepSnapshotAndStatusTemps(deps.paths).catch(() => 0);
  // capturePaneContents: the sidecar first, so the snapshot that names its digest never precedes it.
  const paneContents = deps.settings.capturePaneContents
    ? await writePaneContents(
        deps.paths,
        draft.id,
        (await capturePaneContents(deps.target, draft, deps.settings.paneContentsLines)).contents,
      )
    : undefined;
  const snapshot = await writeSnapshot(deps.paths, {
    ...draft,
    ...(paneContents ? { paneContents } : {}),
    durationMs: Math.round(performance.now() - t0),
  }).catch(async (err: unknown) => {
    if (paneContents) await removePaneContents(deps.paths, draft.id);
    throw err;
  });
  const after = await (deps.instanceNow ?? (() => instanceStillUp(deps.target, fleet.instance)))().catch(() => null);
  if (!sameInstance(fleet.instance, after)) {
    await unlink(`${deps.paths.snapshots}/${snapshot.id}.json`).catch(() => undefined);
    await removePaneContents(deps.paths, snapshot.id);
    throw new TmuxError('the tmux server went away during the save; snapshot withdrawn', 'no-server');
  }
  // One listing (after the write) serves retention and the kept-transcript prune.
  const listing = deps.listing
    ? await deps.listing(snapshot)
    : await listSnapshots(deps.paths, [snapshot], { cache: true });
  const pruned = await applyRetention(deps.paths, started, deps.settings.retention, fleet.instance, listing);
  const transcriptProblems = await keepAndPrune(deps, snapshot, pruned, listing);
  return { snapshot, fleet, rolesAssigned: assigned.length, eventsFolded: folded.applied, pruned, transcriptProblems };
}

/** Every bound conversation's transcript kept in the state dir; those no snapshot can reference dropped. */
async function keepAndPrune(
  deps: SaveDeps,
  snapshot: Snapshot,
  pruned: readonly string[],
  listing: SnapshotListing,
): Promise<string[]> {
  const targets = snapshot.sessions.flatMap((s) =>
    s.windows.flatMap((w) => w.panes.flatMap((p) => (p.binding ? [p.binding] : []))),
  );
  const kept = await keepTranscripts(deps.paths, targets, { now: deps.clock() }).catch((err: unknown) => ({
    problems: [`transcripts not kept: ${errorMessage(err)}`],
  }));
  if (pruned.length > 0) {
    const gone = new Set(pruned);
    const times = listing.valid.filter((v) => !gone.has(v.id)).map((v) => Date.parse(v.savedAt));
    const oldest = times.length > 0 ? new Date(Math.min(...times)) : null;
    await pruneKeptTranscripts(deps.paths, oldest).catch(() => []);
  }
  return kept.problems;
}
