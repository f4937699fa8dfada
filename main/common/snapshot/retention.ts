import type { SnapshotSummary } from './summary.js';

/** Seconds. Recent snapshots are kept dense, older ones sparse, the oldest dropped. */
export interface RetentionPolicy {
  /** Every snapshot younger than this is kept. */
  keepAllNewerThanS: number;
  /** Up to this age, the newest snapshot of each clock hour (ages are from now, not cumulative). */
  hourlyForS: number;
  /** Up to this age, the newest snapshot of each UTC day. Older ones go. */
  dailyForS: number;
  /** Hard cap on the number kept (the oldest unprotected go first). */
  maxCount: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  keepAllNewerThanS: 2 * 3600,
  hourlyForS: 2 * 86_400,
  dailyForS: 30 * 86_400,
  maxCount: 500,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Ids to delete. Never the newest snapshot overall, never the newest one with sessions (the
 * restore default must not regress to an empty server), never an id in `protect`.
 * Buckets are fixed clock hours/days, and the newest of each is kept, so a snapshot kept as
 * "hourly" is the same one later kept as "daily": thinning never leaves a gap it then regrets.
 */
export function selectForDeletion(
  snaps: readonly SnapshotSummary[],
  now: Date,
  policy: RetentionPolicy,
  protect: ReadonlySet<string>,
): string[] {
  const sorted = [...snaps]
    .map((s) => ({ s, t: Date.parse(s.savedAt) }))
    .filter((e) => Number.isFinite(e.t))
    .sort((a, b) => b.t - a.t || (a.s.id < b.s.id ? 1 : a.s.id > b.s.id ? -1 : 0));
  const nowMs = now.getTime();
  const untouchable = new Set(protect);
  const newest = sorted[0];
  if (newest) untouchable.add(newest.s.id);
  const newestWithSessions = sorted.find((e) => e.s.sessions > 0);
  if (newestWithSessions) untouchable.add(newestWithSessions.s.id);

  const keep = new Set<string>();
  const hours = new Set<number>();
  const days = new Set<number>();
  for (const { s, t } of sorted) {
    // A future-dated snapshot (clock moved back) counts as brand new: never thinned on a guess.
    const ageS = Math.max(0, (nowMs - t) / 1000);
    if (ageS <= policy.keepAllNewerThanS) {
      keep.add(s.id);
      continue;
    }
    const hour = Math.floor(t / HOUR_MS);
    const day = Math.floor(t / DAY_MS);
    if (ageS <= policy.hourlyForS && !hours.has(hour)) {
      keep.add(s.id);
    } else if (ageS <= policy.dailyForS && !days.has(day)) {
      keep.add(s.id);
    }
    // Newest-first walk: the first one seen in a bucket is its newest; mark buckets either way
    // so an older snapshot in the same hour/day is never picked instead.
    hours.add(hour);
    days.add(day);
  }
  for (const id of untouchable) keep.add(id);

  // Cap: drop the oldest kept ones that are not untouchable.
  let count = keep.size;
  const cap = Math.max(policy.maxCount, untouchable.size);
  for (let i = sorted.length - 1; i >= 0 && count > cap; i--) {
    const id = (sorted[i] as (typeof sorted)[number]).s.id;
    if (keep.has(id) && !untouchable.has(id)) {
      keep.delete(id);
      count--;
    }
  }
  return sorted.filter((e) => !keep.has(e.s.id)).map((e) => e.s.id);
}
