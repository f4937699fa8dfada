// Pure geometry of the freshness chart: the age of the newest backup over the last 24 hours
// (a sawtooth: it climbs between saves and drops to zero at each one), the fresh/late/stale
// zones behind it, and the save durations as bars underneath. No DOM here, so it is tested
// directly.
import type { HealthView } from '../shared/ipc-contract.js';

export interface ChartSize {
  width: number;
  ageHeight: number;
  durationHeight: number;
  gap: number;
  left: number;
  right: number;
}

export const DEFAULT_SIZE: ChartSize = { width: 900, ageHeight: 180, durationHeight: 60, gap: 24, left: 56, right: 12 };

export type Zone = 'fresh' | 'late' | 'stale';

export interface TimelineGeometry {
  size: ChartSize;
  /** Background bands of the age plot, top to bottom is stale, late, fresh. */
  bands: { zone: Zone; y: number; height: number }[];
  /** SVG path of the age line (absolute coordinates). Empty when there is no snapshot. */
  agePath: string;
  /** Save instants as dots on the x axis of the age plot. */
  saves: { x: number; snapshotId: string; ageAtSaveS: number | null; savedAt: string }[];
  /** The stretch where retention has thinned the history (no ages claimed there), or null. */
  thinned: { x: number; width: number } | null;
  /** Whether the age line goes off the top (an outage longer than the plot's range). */
  clipped: boolean;
  thresholds: { zone: 'late' | 'stale'; y: number; seconds: number }[];
  durationBars: { x: number; y: number; width: number; height: number; durationMs: number; snapshotId: string }[];
  maxDurationMs: number;
  yMaxS: number;
  /** Tick marks along time, every `stepH` hours aligned to whole hours. */
  xTicks: { x: number; ms: number }[];
  durationTop: number;
}

/** The same view over only the last `hours` (points before it still give the first its age). */
export function narrowView(view: HealthView, hours: number): HealthView {
  const to = Date.parse(view.timeline.to);
  const from = Math.max(Date.parse(view.timeline.from), to - hours * 3_600_000);
  return {
    ...view,
    timeline: {
      ...view.timeline,
      from: new Date(from).toISOString(),
      points: view.timeline.points.filter((p) => Date.parse(p.savedAt) >= from),
    },
  };
}

export function timelineGeometry(view: HealthView, size: ChartSize = DEFAULT_SIZE): TimelineGeometry {
  const from = Date.parse(view.timeline.from);
  const to = Date.parse(view.timeline.to);
  const span = Math.max(1, to - from);
  const plotW = size.width - size.left - size.right;
  const xOf = (ms: number) => size.left + ((Math.min(Math.max(ms, from), to) - from) / span) * plotW;

  const { intervalS, graceS, staleAfterS } = view.thresholds;
  const freshLimit = intervalS + graceS;
  const points = view.timeline.points
    .map((p) => ({ ...p, t: Date.parse(p.savedAt) }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  const nowAge = view.report.ageSeconds;
  const thinnedBefore = view.timeline.thinnedBefore === null ? null : Date.parse(view.timeline.thinnedBefore);

  // The y range always shows the stale line with headroom; a long outage is clipped at 4x
  // stale-after rather than flattening every normal save into the floor.
  let observed = nowAge ?? 0;
  for (const p of points) observed = Math.max(observed, p.ageAtSaveS ?? 0);
  const yMaxS = Math.min(Math.max(staleAfterS * 1.25, observed), staleAfterS * 4);
  const top = 0;
  const yOf = (s: number) => top + size.ageHeight - (Math.min(s, yMaxS) / yMaxS) * size.ageHeight;

  const bands: TimelineGeometry['bands'] = [
    { zone: 'stale', y: top, height: yOf(staleAfterS) - top },
    { zone: 'late', y: yOf(staleAfterS), height: yOf(freshLimit) - yOf(staleAfterS) },
    { zone: 'fresh', y: yOf(freshLimit), height: top + size.ageHeight - yOf(freshLimit) },
  ];

  // Walk the saves: before each one the age had reached ageAtSaveS; at it, the age is zero.
  // A point without an age (history thinned by retention, or the first save) starts a new
  // subpath: drawing a line across an unknown stretch would claim it was fresh.
  const seg: string[] = [];
  const fmt = (n: number) => n.toFixed(1);
  const to2 = (cmd: 'M' | 'L', ms: number, s: number) => seg.push(`${cmd}${fmt(xOf(ms))},${fmt(yOf(s))}`);
  let open = false;
  for (const p of points) {
    if (p.ageAtSaveS !== null) {
      const prevT = p.t - p.ageAtSaveS * 1000;
      if (!open) to2('M', prevT, Math.max(0, (from - prevT) / 1000));
      to2('L', p.t, p.ageAtSaveS);
      to2('L', p.t, 0);
    } else {
      to2('M', p.t, 0);
    }
    open = true;
  }
  const last = points[points.length - 1];
  if (last !== undefined && nowAge !== null) to2('L', to, nowAge);

  const maxDurationMs = Math.max(1, ...points.map((p) => p.durationMs ?? 0));
  const durationTop = size.ageHeight + size.gap;
  const barW = Math.max(1.5, Math.min(6, plotW / Math.max(1, points.length) - 0.5));
  const durationBars = points
    .filter((p) => p.durationMs !== null && p.t >= from)
    .map((p) => {
      const d = p.durationMs ?? 0;
      const height = Math.max(1, (d / maxDurationMs) * size.durationHeight);
      return {
        x: xOf(p.t) - barW / 2,
        y: durationTop + size.durationHeight - height,
        width: barW,
        height,
        durationMs: d,
        snapshotId: p.snapshotId,
      };
    });

  const hourMs = 3_600_000;
  const stepMs = (span > 12 * hourMs ? 3 : span > 4 * hourMs ? 1 : 0.25) * hourMs;
  const xTicks: TimelineGeometry['xTicks'] = [];
  for (let ms = Math.ceil(from / stepMs) * stepMs; ms <= to; ms += stepMs) xTicks.push({ x: xOf(ms), ms });

  return {
    size,
    bands,
    agePath: seg.join(' '),
    saves: points
      .filter((p) => p.t >= from)
      .map((p) => ({ x: xOf(p.t), snapshotId: p.snapshotId, ageAtSaveS: p.ageAtSaveS, savedAt: p.savedAt })),
    clipped: observed > yMaxS,
    thinned:
      thinnedBefore === null || thinnedBefore <= from ? null : { x: size.left, width: xOf(thinnedBefore) - size.left },
    thresholds: [
      { zone: 'late', y: yOf(freshLimit), seconds: freshLimit },
      { zone: 'stale', y: yOf(staleAfterS), seconds: staleAfterS },
    ],
    durationBars,
    maxDurationMs,
    yMaxS,
    xTicks,
    durationTop,
  };
}
