import { describe, it, expect } from 'vitest';
import { trayIconFile, trayModel, TOOLTIP_MAX } from './tray-model.js';
import type { HealthReport, HealthState } from '../base/types.js';

const T0 = new Date('2025-06-01T12:00:00Z');
const ctx = { now: T0, computedAt: T0 };

function report(state: HealthState, over: Partial<HealthReport> = {}): HealthReport {
  const colour = (
    {
      fresh: 'green',
      late: 'amber',
      'hooks-missing': 'amber',
      stale: 'red',
      failing: 'red',
      'no-server': 'grey',
    } as const
  )[state];
  return {
    state,
    colour,
    reason: over.reason ?? '',
    ageSeconds: 42,
    newestSnapshotId: 'snap-1',
    counts: { sessions: 3, windows: 5, panes: 12, claudePanes: 8 },
    problems: [],
    ...over,
  };
}

describe('trayModel', () => {
  it.each<[HealthState, string, string, string]>([
    ['fresh', 'all good', 'green', 'Fleetkeeper — saved 42 s ago · 12 panes · 8 Claude'],
    ['late', '1 save missed', 'amber', 'Fleetkeeper — late · saved 42 s ago · 12 panes · 8 Claude · 1 save missed'],
    [
      'hooks-missing',
      'Claude hooks are not installed',
      'amber',
      'Fleetkeeper — hooks missing · saved 42 s ago · 12 panes · 8 Claude · Claude hooks are not installed',
    ],
    [
      'stale',
      'no save for 6 min',
      'red',
      'Fleetkeeper — STALE · saved 42 s ago · 12 panes · 8 Claude · no save for 6 min',
    ],
    ['failing', 'disk full', 'red', 'Fleetkeeper — SAVE FAILING · saved 42 s ago · 12 panes · 8 Claude · disk full'],
    [
      'no-server',
      'no tmux server is running',
      'grey',
      'Fleetkeeper — no tmux server · saved 42 s ago · 12 panes · 8 Claude · no tmux server is running',
    ],
  ])('%s → icon and tooltip', (state, reason, icon, tooltip) => {
    expect(trayModel(report(state, { reason }), ctx)).toEqual({ icon, tooltip });
  });

  it('keeps ageing the tooltip between reports', () => {
    const m = trayModel(report('fresh'), { now: new Date(T0.getTime() + 30_000), computedAt: T0 });
    expect(m.tooltip).toBe('Fleetkeeper — saved 1 min ago · 12 panes · 8 Claude');
  });

  it('says when there is no snapshot at all, without counts', () => {
    const m = trayModel(report('no-server', { ageSeconds: null, newestSnapshotId: null, reason: '' }), ctx);
    expect(m).toEqual({ icon: 'grey', tooltip: 'Fleetkeeper — no tmux server · no snapshot yet' });
  });

  it('uses the singular for one pane and shows a running save', () => {
    const m = trayModel(report('fresh', { counts: { sessions: 1, windows: 1, panes: 1, claudePanes: 1 } }), {
      ...ctx,
      busy: 'saving',
    });
    expect(m.tooltip).toBe('Fleetkeeper — saving… · saved 42 s ago · 1 pane · 1 Claude');
  });

  it('is grey and says so before the first report', () => {
    expect(trayModel(null, ctx)).toEqual({ icon: 'grey', tooltip: 'Fleetkeeper — starting…' });
  });

  it('clips long reasons to what Windows shows, on one line', () => {
    const m = trayModel(report('failing', { reason: 'x'.repeat(300) + '\nsecond line' }), ctx);
    expect(m.tooltip.length).toBe(TOOLTIP_MAX);
    expect(m.tooltip.endsWith('…')).toBe(true);
    expect(m.tooltip).not.toContain('\n');
  });
});

describe('trayIconFile', () => {
  it.each([
    ['linux', 'red', 'linux/tray-red-22.png'],
    ['darwin', 'green', 'mac/tray-greenTemplate.png'],
    ['win32', 'amber', 'win/tray-amber.ico'],
  ] as const)('%s %s → %s', (platform, icon, file) => expect(trayIconFile(platform, icon)).toBe(file));
});
