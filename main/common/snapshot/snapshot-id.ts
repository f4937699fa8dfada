// Snapshot ids (the save time stamped to the millisecond, then random hex, so that file-name
// order is time order) and the ISO timestamps they are stamped from.

export const SNAPSHOT_ID_RE = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{4,16}$/;

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID_RE.test(id);
}

/** `2026-11-23T20:30:01.123Z` → `20261123T203001123Z`: sorts as text in time order. */
export function snapshotIdStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

export function isIsoTimestamp(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && new Date(ms).toISOString() === v;
}
