import type { SaveTrigger, ServerInstance, Snapshot } from '../base/types.js';
import { countPanes } from './counts.js';

/** One line of a snapshot listing: what the catalog, retention, health and the dashboard read. */
export interface SnapshotSummary {
  id: string;
  file: string;
  savedAt: string;
  trigger: SaveTrigger;
  instance: ServerInstance;
  sessions: number;
  windows: number;
  panes: number;
  claudePanes: number;
  durationMs?: number;
}

/** The listing line for a validated snapshot. */
export function summarizeSnapshot(snap: Snapshot, file: string): SnapshotSummary {
  const summary: SnapshotSummary = {
    id: snap.id,
    file,
    savedAt: snap.savedAt,
    trigger: snap.trigger,
    instance: { socketPath: snap.instance.socketPath, pid: snap.instance.pid, startTime: snap.instance.startTime },
    ...countPanes(snap),
  };
  if (snap.durationMs !== undefined) summary.durationMs = snap.durationMs;
  return summary;
}
