// The tray tooltip (main process) and the dashboard's health line (renderer) describe the same
// snapshot: they must read the same age for it, at every scale (they used to round differently:
// 89 s was "1 min" in the tray and "89 s" on the dashboard).
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '../main/common/base/types.js';
import { trayModel } from '../main/common/tray/tray-model.js';
import { healthMeta } from './health-header.js';

function report(ageSeconds: number): HealthReport {
  return {
    state: 'fresh',
    colour: 'green',
    reason: 'ok',
    ageSeconds,
    newestSnapshotId: '20261123T203001123Z-0a1b',
    counts: { sessions: 2, windows: 3, panes: 4, claudePanes: 1 },
    problems: [],
  } as HealthReport;
}

describe('the tray and the dashboard show one age', () => {
  it.each([0, 42, 59.9, 89, 119, 3599, 3660, 5399, 36_600, 86_399, 90_000, 172_799, 867_600])('%d s', (age) => {
    const at = new Date('2026-11-30T02:00:00Z');
    const tray = trayModel(report(age), { now: at, computedAt: at }).tooltip;
    const trayAge = /saved (.+?) ago/.exec(tray)?.[1];
    const dashAge = /newest snapshot (.+?) old/.exec(healthMeta(report(age)))?.[1];
    expect(trayAge).toBeDefined();
    expect(dashAge).toBe(trayAge);
  });

  it('counts with the same plural rule', () => {
    expect(healthMeta(report(1))).toBe('newest snapshot 1 s old · 2 sessions · 3 windows · 4 panes · 1 Claude');
  });
});
