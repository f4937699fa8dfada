import type { ServerInstance } from '../../common/base/types.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { queryInstance } from '../tmux/fleet-query.js';
import { handledInstances, listSnapshots, type SnapshotListing } from './store.js';

/** What choosing a snapshot to restore depends on (see restoreCandidates / restoreDefault). */
export interface RestoreContext {
  listing: SnapshotListing;
  /** The server running now; null when none answers (tmux missing, no server, a hang). */
  current: ServerInstance | null;
  /** Instances already restored or dismissed (restore-handled.json). */
  handled: Set<string>;
}

/** The snapshots on disk, the live server and the handled instances, read together. */
export async function readRestoreContext(paths: StatePaths, target: TmuxTarget): Promise<RestoreContext> {
  const [listing, current, handled] = await Promise.all([
    listSnapshots(paths),
    queryInstance(target).catch(() => null),
    handledInstances(paths),
  ]);
  return { listing, current, handled };
}
