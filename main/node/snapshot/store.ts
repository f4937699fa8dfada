import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerInstance } from '../../common/base/types.js';
import { isIsoTimestamp } from '../../common/snapshot/snapshot-id.js';
import { type SnapshotSummary } from '../../common/snapshot/summary.js';
import { selectForDeletion, type RetentionPolicy } from '../../common/snapshot/retention.js';
import { hasValidChecksum, withChecksum } from '../base/checksum.js';
import { fsyncDir, writeFileDurable } from '../base/durable-file.js';
import { readRegularText } from '../base/safe-read.js';
import { listSnapshots, snapshotFileName, type SnapshotListing } from './reader.js';
import { removePaneContents } from './pane-contents.js';
import type { StatePaths } from '../base/state-dir.js';
import { instanceKey, sameInstance } from '../../common/tmux/server-instance.js';

export type { SnapshotSummary } from '../../common/snapshot/summary.js';
export {
  listSnapshots,
  readSnapshot,
  newestValidSnapshot,
  newestValidSummary,
  parseSnapshot,
  type SnapshotListing,
} from './reader.js';
export { buildSnapshot, writeSnapshot, sweepSnapshotAndStatusTemps, newSnapshotId } from './writer.js';

export { instanceKey } from '../../common/tmux/server-instance.js';

/**
 * Snapshots worth restoring, newest first, except that the newest snapshot of the previous
 * server instance (the most recent instance other than `current`) leads while it has not
 * been restored or dismissed: after a reboot that is what the user wants back, even when the
 * new server has been saved since. Snapshots of a server with no sessions never qualify, so
 * an empty server can never displace the last real fleet.
 */
export function restoreCandidates(
  listing: SnapshotListing,
  current: ServerInstance | null,
  handled: ReadonlySet<string> = new Set(),
): SnapshotSummary[] {
  const withSessions = listing.valid.filter((s) => s.sessions > 0);
  // A server a restore built that did not verify never takes the lead from the snapshot it came from.
  const previous = withSessions.find(
    (s) => !sameInstance(s.instance, current) && !handled.has(unacceptedKey(instanceKey(s.instance))),
  );
  if (previous === undefined || handled.has(instanceKey(previous.instance))) return withSessions;
  return [previous, ...withSessions.filter((s) => s !== previous)];
}

export function restoreDefault(
  listing: SnapshotListing,
  current: ServerInstance | null,
  dismissed: ReadonlySet<string>,
): SnapshotSummary | null {
  return restoreCandidates(listing, current, dismissed)[0] ?? null;
}

// ---- restored / dismissed instances -------------------------------------------------------

type HandledHow = 'restored' | 'dismissed' | 'unverified';

interface HandledFile {
  format: 'fleetkeeper-handled';
  version: 1;
  /** 'unverified' (keyed by the new server): a restore from `from` that did not verify. */
  instances: Record<string, { how: HandledHow; at: string; from?: string }>;
  checksum: string;
}

/** In handledInstances' set: this server came from an unverified restore whose source is still on offer. */
export function unacceptedKey(key: string): string {
  return `unaccepted|${key}`;
}

/** Enough for years of reboots; the oldest are forgotten first. */
const MAX_HANDLED = 500;
/** 500 entries are ~60 KB; a file far bigger is not ours. */
const MAX_HANDLED_BYTES = 4 * 1024 * 1024;

function handledPath(paths: StatePaths): string {
  return join(paths.root, 'restore-handled.json');
}

async function readHandledFile(paths: StatePaths): Promise<HandledFile['instances']> {
  let raw: string;
  try {
    raw = await readRegularText(handledPath(paths), MAX_HANDLED_BYTES);
  } catch {
    return {};
  }
  try {
    const v = JSON.parse(raw) as HandledFile;
    if (v?.format !== 'fleetkeeper-handled' || v.version !== 1 || !hasValidChecksum(v)) return {};
    if (v.instances === null || typeof v.instances !== 'object') return {};
    const out: HandledFile['instances'] = {};
    for (const [k, e] of Object.entries(v.instances)) {
      if ((e?.how === 'restored' || e?.how === 'dismissed') && isIsoTimestamp(e.at)) out[k] = { how: e.how, at: e.at };
      else if (e?.how === 'unverified' && isIsoTimestamp(e.at) && typeof e.from === 'string')
        out[k] = { how: e.how, at: e.at, from: e.from };
    }
    return out;
  } catch {
    // Damaged: forgetting what was handled only protects more snapshots, never fewer.
    return {};
  }
}

/** Instances whose snapshots the user has restored or dismissed. */
export async function handledInstances(paths: StatePaths): Promise<Set<string>> {
  const all = await readHandledFile(paths);
  const out = new Set<string>();
  for (const [k, e] of Object.entries(all)) {
    if (e.how !== 'unverified') out.add(k);
    else if (e.from !== undefined && (all[e.from] === undefined || all[e.from]?.how === 'unverified'))
      out.add(unacceptedKey(k));
  }
  return out;
}

/** Records that the server `key` was built by a restore of `from` that did not verify. */
export async function markUnverifiedRestore(
  paths: StatePaths,
  key: string,
  from: string,
  now = new Date(),
): Promise<void> {
  const instances = await readHandledFile(paths);
  if (instances[key] !== undefined && instances[key]?.how !== 'unverified') return;
  await writeHandled(paths, { ...instances, [key]: { how: 'unverified', at: now.toISOString(), from } });
}

/** Caller holds the writer lock (read-modify-write). */
export async function markInstanceHandled(
  paths: StatePaths,
  key: string,
  how: 'restored' | 'dismissed',
  now: Date = new Date(),
): Promise<void> {
  const instances = await readHandledFile(paths);
  instances[key] = { how, at: now.toISOString() };
  await writeHandled(paths, instances);
}

async function writeHandled(paths: StatePaths, instances: HandledFile['instances']): Promise<void> {
  const kept = Object.entries(instances)
    .sort((a, b) => (a[1].at < b[1].at ? 1 : a[1].at > b[1].at ? -1 : 0))
    .slice(0, MAX_HANDLED);
  const file = withChecksum<HandledFile>({
    format: 'fleetkeeper-handled',
    version: 1,
    instances: Object.fromEntries(kept),
  });
  await writeFileDurable(handledPath(paths), `${JSON.stringify(file, null, 1)}\n`);
}

// ---- retention ----------------------------------------------------------------------------

/**
 * The snapshots retention must never delete whatever their age: for every instance other
 * than `current` that has not been restored or dismissed, its newest snapshot and its newest
 * one with sessions (the restore default for that instance).
 */
export function protectedSnapshots(
  valid: readonly SnapshotSummary[],
  current: ServerInstance | null,
  handled: ReadonlySet<string>,
): Set<string> {
  const protect = new Set<string>();
  const seen = new Set<string>();
  const seenWithSessions = new Set<string>();
  for (const s of valid) {
    const key = instanceKey(s.instance);
    if (sameInstance(s.instance, current) || handled.has(key)) continue;
    if (!seen.has(key)) {
      seen.add(key);
      protect.add(s.id);
    }
    if (s.sessions > 0 && !seenWithSessions.has(key)) {
      seenWithSessions.add(key);
      protect.add(s.id);
    }
  }
  return protect;
}

/** Thins old snapshots per `policy`; returns the ids deleted. Caller holds the writer lock. */
export async function applyRetention(
  paths: StatePaths,
  now: Date,
  policy: RetentionPolicy,
  current: ServerInstance | null,
  known?: SnapshotListing,
): Promise<string[]> {
  const [listing, handled] = await Promise.all([known ?? listSnapshots(paths), handledInstances(paths)]);
  const doomed = selectForDeletion(listing.valid, now, policy, protectedSnapshots(listing.valid, current, handled));
  const deleted: string[] = [];
  for (const id of doomed) {
    try {
      await unlink(join(paths.snapshots, snapshotFileName(id)));
      deleted.push(id);
      await removePaneContents(paths, id); // its sidecar goes with it
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (deleted.length > 0) await fsyncDir(paths.snapshots);
  return deleted;
}
