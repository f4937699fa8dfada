// Draws the freshness chart from timelineGeometry as SVG elements (no markup strings).
import type { HealthView } from '../shared/ipc-contract.js';
import { svg, replaceChildren } from './dom.js';
import { formatAge, formatClock, formatDuration, formatTime } from './format.js';
import { narrowView, timelineGeometry } from './timeline-geometry.js';

export function renderTimeline(container: Element, legend: Element, full: HealthView, hours = 24): void {
  const view = narrowView(full, hours);
  const g = timelineGeometry(view);
  const { size } = g;
  const height = g.durationTop + size.durationHeight + 22;
  const root = svg('svg', {
    viewBox: `0 0 ${size.width} ${height}`,
    class: 'timeline',
    role: 'img',
    'aria-label': `Age of the newest snapshot over the last ${hours} hours: ${view.timeline.points.length} saves`,
    'data-hours': hours,
    'data-saves': view.timeline.points.length,
  });

  for (const b of g.bands) {
    root.append(
      svg('rect', {
        class: `band band-${b.zone}`,
        x: size.left,
        y: b.y,
        width: size.width - size.left - size.right,
        height: Math.max(0, b.height),
      }),
    );
  }
  if (g.thinned !== null) {
    root.append(
      svg(
        'rect',
        { class: 'thinned', x: g.thinned.x, y: 0, width: g.thinned.width, height: size.ageHeight },
        svg('title', {}, 'Older snapshots are thinned by retention: only some are kept, so ages are not shown here.'),
      ),
      svg('text', { class: 'axis-label', x: g.thinned.x + 6, y: 14 }, 'thinned by retention'),
    );
  }
  for (const t of g.thresholds) {
    root.append(
      svg('line', {
        class: `threshold threshold-${t.zone}`,
        x1: size.left,
        x2: size.width - size.right,
        y1: t.y,
        y2: t.y,
      }),
      svg('text', { class: 'axis-label', x: size.left - 6, y: t.y + 4, 'text-anchor': 'end' }, formatAge(t.seconds)),
    );
  }
  root.append(svg('text', { class: 'axis-label', x: size.left - 6, y: size.ageHeight + 4, 'text-anchor': 'end' }, '0'));
  for (const tick of g.xTicks) {
    root.append(
      svg('line', { class: 'tick', x1: tick.x, x2: tick.x, y1: 0, y2: g.durationTop + size.durationHeight }),
      svg(
        'text',
        { class: 'axis-label', x: tick.x, y: g.durationTop + size.durationHeight + 16, 'text-anchor': 'middle' },
        formatClock(tick.ms),
      ),
    );
  }
  if (g.agePath !== '') root.append(svg('path', { class: 'age-line', d: g.agePath }));
  for (const s of g.saves) {
    root.append(
      svg(
        'circle',
        { class: 'save-dot', cx: s.x, cy: size.ageHeight, r: 2.5, 'data-snapshot': s.snapshotId },
        svg(
          'title',
          {},
          `${formatTime(s.savedAt)}${s.ageAtSaveS === null ? '' : ` · ${formatAge(s.ageAtSaveS)} after the previous save`}`,
        ),
      ),
    );
  }
  root.append(
    svg(
      'text',
      { class: 'axis-label', x: size.left - 6, y: g.durationTop + 10, 'text-anchor': 'end' },
      formatDuration(g.maxDurationMs),
    ),
  );
  root.append(
    svg('line', {
      class: 'axis',
      x1: size.left,
      x2: size.width - size.right,
      y1: g.durationTop + size.durationHeight,
      y2: g.durationTop + size.durationHeight,
    }),
  );
  for (const b of g.durationBars) {
    root.append(
      svg(
        'rect',
        { class: 'duration-bar', x: b.x, y: b.y, width: b.width, height: b.height, 'data-snapshot': b.snapshotId },
        svg('title', {}, `save took ${formatDuration(b.durationMs)}`),
      ),
    );
  }

  replaceChildren(container, root);
  const n = view.timeline.points.length;
  const durations = view.timeline.points
    .map((p) => p.durationMs)
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  const median = durations.length > 0 ? (durations[Math.floor(durations.length / 2)] ?? null) : null;
  legend.textContent =
    n === 0
      ? 'No snapshots in the last 24 hours.'
      : `${n} saves · line: age of the newest snapshot (green fresh, amber late, red stale)` +
        `${g.clipped ? ', clipped at the top' : ''} · bars: save duration, median ${formatDuration(median)}`;
}
