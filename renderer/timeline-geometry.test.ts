import { describe, it, expect } from 'vitest';
import type { HealthView, TimelinePoint } from '../shared/ipc-contract.js';
import { DEFAULT_SIZE, timelineGeometry } from './timeline-geometry.js';

const TO = Date.parse('2026-03-01T12:00:00.000Z');
const FROM = TO - 24 * 3600_000;

function view(
  points: TimelinePoint[],
  ageSeconds: number | null,
  staleAfterS = 300,
  thinnedBefore: string | null = null,
): HealthView {
  return {
    report: {
      state: 'fresh',
      colour: 'green',
      reason: '',
      ageSeconds,
      newestSnapshotId: null,
      counts: { sessions: 0, windows: 0, panes: 0, claudePanes: 0 },
      problems: [],
    },
    statusLine: '',
    now: new Date(TO).toISOString(),
    thresholds: { intervalS: 60, graceS: 30, staleAfterS },
    timeline: { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), thinnedBefore, points },
  };
}

const pt = (msBeforeTo: number, ageAtSaveS: number | null, durationMs: number | null = 20): TimelinePoint => ({
  snapshotId: `s${msBeforeTo}`,
  savedAt: new Date(TO - msBeforeTo).toISOString(),
  trigger: 'interval',
  ageAtSaveS,
  durationMs,
});

function coords(path: string): [number, number][] {
  return [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('timelineGeometry', () => {
  const s = DEFAULT_SIZE;
  const plotW = s.width - s.left - s.right;

  it('draws a sawtooth: the age climbs between saves, drops to zero at each, and climbs to now', () => {
    const g = timelineGeometry(view([pt(120_000, null), pt(60_000, 60)], 60));
    const c = coords(g.agePath);
    const yMax = g.yMaxS;
    expect(yMax).toBe(375); // 1.25 x stale-after: nothing older was seen
    const y = (sec: number) => s.ageHeight - (sec / yMax) * s.ageHeight;
    const x = (msBeforeTo: number) => s.left + ((24 * 3600_000 - msBeforeTo) / (24 * 3600_000)) * plotW;
    const expected: [number, number][] = [
      [x(120_000), y(0)],
      [x(60_000), y(60)],
      [x(60_000), y(0)],
      [x(0), y(60)],
    ];
    expect(c).toHaveLength(4);
    c.forEach(([cx, cy], i) => {
      expect(cx).toBeCloseTo(expected[i]![0], 0);
      expect(cy).toBeCloseTo(expected[i]![1], 0);
    });
  });

  it('stacks the fresh, late and stale bands at interval+grace and stale-after', () => {
    const g = timelineGeometry(view([pt(60_000, null)], 60));
    const byZone = Object.fromEntries(g.bands.map((b) => [b.zone, b]));
    expect(byZone.fresh!.y + byZone.fresh!.height).toBeCloseTo(s.ageHeight);
    expect(byZone.late!.y + byZone.late!.height).toBeCloseTo(byZone.fresh!.y);
    expect(byZone.stale!.y).toBe(0);
    expect(g.thresholds.map((t) => t.seconds)).toEqual([90, 300]);
    expect(g.thresholds[0]!.y).toBeCloseTo(byZone.fresh!.y);
  });

  it('clips a long outage at 4x stale-after instead of flattening every normal save', () => {
    const g = timelineGeometry(view([pt(7200_000, null), pt(60_000, 7140)], 60));
    expect(g.yMaxS).toBe(1200);
    expect(g.clipped).toBe(true);
    expect(Math.min(...coords(g.agePath).map(([, cy]) => cy))).toBeCloseTo(0);
  });

  it('scales duration bars to the slowest save and skips saves without a duration', () => {
    const g = timelineGeometry(view([pt(180_000, null, 10), pt(120_000, 60, 40), pt(60_000, 60, null)], 60));
    expect(g.maxDurationMs).toBe(40);
    expect(g.durationBars.map((b) => b.durationMs)).toEqual([10, 40]);
    expect(g.durationBars[1]!.height).toBeCloseTo(s.durationHeight);
    expect(g.durationBars[0]!.height).toBeCloseTo(s.durationHeight / 4);
  });

  it('starts the line at the left edge when the first save in the window follows an older one', () => {
    // The previous save was 30 h ago, outside the window: the line enters already high.
    const g = timelineGeometry(view([pt(3600_000, 29 * 3600)], 3600, 300));
    const first = coords(g.agePath)[0]!;
    expect(first[0]).toBeCloseTo(s.left);
    expect(first[1]).toBeCloseTo(0); // clipped at the top: 5 h old at the window's start
  });

  it('claims no age across history thinned by retention: the line breaks and the stretch is marked', () => {
    const thinnedAt = new Date(TO - 2 * 3600_000).toISOString();
    // Hourly survivors before the horizon (no ages), then dense saves every minute.
    const g = timelineGeometry(
      view([pt(5 * 3600_000, null), pt(4 * 3600_000, null), pt(120_000, null), pt(60_000, 60)], 60, 300, thinnedAt),
    );
    expect(g.agePath.match(/M/g)).toHaveLength(3);
    const ys = coords(g.agePath).map(([, y]) => y);
    expect(Math.min(...ys)).toBeGreaterThan(s.ageHeight - (61 / g.yMaxS) * s.ageHeight); // never near the stale zone
    expect(g.thinned!.x).toBe(s.left);
    expect(g.thinned!.x + g.thinned!.width).toBeCloseTo(s.left + (22 / 24) * plotW, 0);
  });

  it('draws nothing when there is no snapshot', () => {
    const g = timelineGeometry(view([], null));
    expect(g.agePath).toBe('');
    expect(g.saves).toEqual([]);
    expect(g.xTicks.length).toBe(9); // every 3 h across 24 h, both ends on whole hours here
  });
});
