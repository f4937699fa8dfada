import { describe, it, expect } from 'vitest';
import type { SnapshotSummary } from './summary.js';
import { DEFAULT_RETENTION, selectForDeletion, type RetentionPolicy } from './retention.js';

const INST = { socketPath: '/s', pid: 1, startTime: 1 };
const NOW = new Date('2026-11-23T12:00:00.000Z');
const MIN = 60_000;

function snap(ageMin: number, sessions = 1, n = 0): SnapshotSummary {
  const at = new Date(NOW.getTime() - ageMin * MIN);
  return {
    id: `${at.toISOString().replace(/[-:.]/g, '')}-${n.toString(16).padStart(4, '0')}`,
    file: '',
    savedAt: at.toISOString(),
    trigger: 'interval',
    instance: INST,
    sessions,
    windows: sessions,
    panes: sessions,
    claudePanes: 0,
  };
}

function kept(
  snaps: SnapshotSummary[],
  policy: RetentionPolicy = DEFAULT_RETENTION,
  protect = new Set<string>(),
  now = NOW,
): SnapshotSummary[] {
  const del = new Set(selectForDeletion(snaps, now, policy, protect));
  return snaps.filter((s) => !del.has(s.id));
}

describe('selectForDeletion', () => {
  it('keeps every snapshot of the last 2 h, one per hour to 2 days, one per day to 30 days', () => {
    // A save every minute for 40 days: 57 600 snapshots.
    const snaps = Array.from({ length: 40 * 1440 }, (_, i) => snap(i));
    const k = kept(snaps, { ...DEFAULT_RETENTION, maxCount: 100_000 });
    const age = (s: SnapshotSummary) => (NOW.getTime() - Date.parse(s.savedAt)) / MIN;
    expect(k.filter((s) => age(s) <= 120)).toHaveLength(121);
    const hourly = k.filter((s) => age(s) > 120 && age(s) <= 48 * 60);
    expect(hourly).toHaveLength(46); // hours 2..48 back, the boundary hour already covered by the dense band
    // the one kept per hour is the newest of its hour (minute :59)
    for (const s of hourly.slice(1)) expect(s.savedAt.slice(14, 16)).toBe('59');
    const daily = k.filter((s) => age(s) > 48 * 60);
    expect(daily.length).toBe(28);
    expect(new Set(daily.map((s) => s.savedAt.slice(0, 10))).size).toBe(28);
    expect(k.some((s) => age(s) > 30 * 1440)).toBe(false);
  });

  it('never deletes the newest overall, the newest with sessions, or a protected id', () => {
    const newest = snap(100 * 1440, 0, 1);
    const withSessions = snap(101 * 1440, 2, 2);
    const prot = snap(200 * 1440, 1, 3);
    const doomed = snap(300 * 1440, 1, 4);
    const del = selectForDeletion([doomed, prot, withSessions, newest], NOW, DEFAULT_RETENTION, new Set([prot.id]));
    expect(del).toEqual([doomed.id]);
  });

  it('caps the count by dropping the oldest unprotected', () => {
    const snaps = Array.from({ length: 50 }, (_, i) => snap(i));
    const policy = { ...DEFAULT_RETENTION, maxCount: 10 };
    const protect = new Set([snaps[49]!.id]);
    const k = kept(snaps, policy, protect);
    expect(k.map((s) => s.id)).toEqual([...snaps.slice(0, 9), snaps[49]!].map((s) => s.id));
    // the cap never eats the untouchable ones even when it is smaller than them
    expect(kept(snaps, { ...policy, maxCount: 0 }, protect).map((s) => s.id)).toEqual([snaps[0]!.id, snaps[49]!.id]);
  });

  it('treats future-dated snapshots (clock moved back) as new, never thinning on a guess', () => {
    const snaps = [snap(-600, 1, 1), snap(-500, 1, 2), snap(0, 1, 3)];
    expect(selectForDeletion(snaps, NOW, DEFAULT_RETENTION, new Set())).toEqual([]);
  });

  it('is stable when applied repeatedly over time: no hour in the hourly band loses its only snapshot', () => {
    let snaps: SnapshotSummary[] = [];
    const start = NOW.getTime() - 5 * 86_400_000;
    for (let t = start, n = 0; t <= NOW.getTime(); t += 5 * MIN, n++) {
      const at = new Date(t);
      snaps.push({
        ...snap(0),
        id: `${at.toISOString().replace(/[-:.]/g, '')}-${(n % 65536).toString(16).padStart(4, '0')}`,
        savedAt: at.toISOString(),
      });
      if (n % 12 === 0) {
        const del = new Set(selectForDeletion(snaps, at, DEFAULT_RETENTION, new Set()));
        snaps = snaps.filter((s) => !del.has(s.id));
      }
    }
    const hoursBack = new Set(snaps.map((s) => Math.floor((NOW.getTime() - Date.parse(s.savedAt)) / 3600_000)));
    for (let h = 0; h < 47; h++) expect(hoursBack.has(h)).toBe(true);
    expect(selectForDeletion(snaps, NOW, DEFAULT_RETENTION, new Set())).toEqual([]);
  });
});
