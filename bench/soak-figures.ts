// The soak's arithmetic and table: least-squares slope per hour of each sampled figure, the
// snapshot audit (every snapshot file that appears is read back through the core's reader),
// and the rows for the results table.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSnapshot, readBounded } from '../main/node/snapshot/reader.js';
import { TEMP_PREFIX } from '../main/node/base/durable-file.js';
import type { ProbeSample } from './soak-probe.js';
import type { BenchRow } from './stats.js';
import { markdownTable, SOAK_HEADING } from './report.js';
import { cpus } from 'node:os';

/** Least-squares slope of value over time, per hour (0 with fewer than two samples). */
export function slopePerHour(points: ReadonlyArray<{ atMs: number; value: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.atMs, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.atMs - mx) * (p.value - my);
    den += (p.atMs - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 3_600_000;
}

/** Reads back every snapshot file once, as it appears (retention may thin it later). */
export class SnapshotAudit {
  readonly valid = new Set<string>();
  readonly corrupt = new Map<string, string>();
  /** Listed, then thinned by retention before this audit read it. */
  vanished = 0;

  constructor(private readonly dir: string) {}

  async sweep(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json') || name.startsWith(TEMP_PREFIX)) continue;
      if (this.valid.has(name) || this.corrupt.has(name)) continue;
      let bytes: Buffer;
      try {
        bytes = await readBounded(join(this.dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') this.vanished++;
        else this.corrupt.set(name, `unreadable: ${String(err)}`);
        continue;
      }
      const parsed = parseSnapshot(bytes, name.slice(0, -'.json'.length));
      if (parsed.ok) this.valid.add(name);
      else this.corrupt.set(name, parsed.reason);
    }
  }
}

type Figure = 'rssBytes' | 'heapAfterGcBytes' | 'codeBytes' | 'fds' | 'liveTimers' | 'children';

function value(s: ProbeSample, f: Figure): number {
  return f === 'children' ? s.children.length : s[f];
}

const MB = 1024 * 1024;

/**
 * One row per sampled figure: first → last sample, slope per hour over the whole run and over
 * its steady phase (from `steadyFromMs`: once retention holds the snapshot count at its cap, the
 * daemon's caches have nothing left to grow with, so a slope there is a leak).
 */
export function growthRows(samples: readonly ProbeSample[], steadyFromMs: number): BenchRow[] {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return [];
  const half = samples.filter((s) => s.atMs >= steadyFromMs);
  const figures: Array<{ f: Figure; name: string; unit: number; fmt: (v: number) => string; exact: boolean }> = [
    { f: 'rssBytes', name: 'RSS', unit: MB, fmt: (v) => `${v.toFixed(1)} MB`, exact: false },
    { f: 'heapAfterGcBytes', name: 'V8 heap after GC', unit: MB, fmt: (v) => `${v.toFixed(1)} MB`, exact: false },
    { f: 'codeBytes', name: 'of which compiled code', unit: MB, fmt: (v) => `${v.toFixed(2)} MB`, exact: false },
    { f: 'fds', name: 'open file descriptors', unit: 1, fmt: (v) => v.toFixed(0), exact: true },
    { f: 'liveTimers', name: "live timers (ref'd and unref'd)", unit: 1, fmt: (v) => v.toFixed(0), exact: true },
    { f: 'children', name: 'child processes', unit: 1, fmt: (v) => v.toFixed(0), exact: true },
  ];
  return figures.map(({ f, name, unit, fmt, exact }) => {
    const pts = (xs: readonly ProbeSample[]) => xs.map((s) => ({ atMs: s.atMs, value: value(s, f) / unit }));
    const all = pts(samples);
    const max = Math.max(...all.map((p) => p.value));
    const a = value(first, f) / unit;
    const b = value(last, f) / unit;
    // Handles and timers come and go with each save (a debounce timer, a tmux child): single
    // samples are noisy, so growth means the highest count of the last third above the first's.
    const third = Math.max(1, Math.floor(all.length / 3));
    const peakOf = (xs: typeof all) => Math.max(...xs.map((p) => p.value));
    const grew = peakOf(all.slice(-third)) > peakOf(all.slice(0, third));
    const row: BenchRow = {
      figure: `daemon ${name}, start → end`,
      ours: `${fmt(a)} → ${fmt(b)} (max ${fmt(max)})`,
      reference: `slope ${slopePerHour(all).toFixed(2)}/h; steady ${slopePerHour(pts(half)).toFixed(2)}/h (${half.length} samples)`,
      ratio: null,
      target: exact ? 'no growth (peak of last ⅓ ≤ first ⅓)' : 'report',
      met: exact ? !grew : null,
    };
    if (f === 'children')
      row.note = `at start: ${first.children.join(', ') || 'none'}; at end: ${last.children.join(', ') || 'none'}`;
    if (f === 'liveTimers') row.note = `ref'd resources at end: ${JSON.stringify(last.resources)}`;
    return row;
  });
}

/** After SIGTERM the daemon's stop() must leave nothing behind: no timer, no child, no ref'd handle of its own. */
export function afterStopRow(s: ProbeSample | null, exitCode: number | null): BenchRow {
  if (s === null)
    return {
      figure: 'daemon after SIGTERM',
      ours: `exit ${exitCode}, no final sample`,
      reference: '—',
      ratio: null,
      target: 'exits 0, 0 timers, 0 children',
      met: false,
    };
  const ok = exitCode === 0 && s.liveTimers === 0 && s.children.length === 0;
  return {
    figure: 'daemon after SIGTERM (event loop drained)',
    ours: `exit ${exitCode}, ${s.liveTimers} timers, ${s.children.length} children, ${s.fds} fds`,
    reference: `ref'd: ${JSON.stringify(s.resources)}`,
    ratio: null,
    target: 'exits 0, 0 timers, 0 children',
    met: ok,
  };
}

/** The "Soak" section of docs/bench-results.md. */
export function soakMarkdown(rows: readonly BenchRow[], setup: string): string {
  const notes = rows.filter((r) => r.note !== undefined).map((r) => `- ${r.figure}: ${r.note ?? ''}`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? '?'}, Node ${process.version}`;
  return [
    SOAK_HEADING,
    '',
    `Machine: ${machine}. ${setup}.`,
    '',
    'Reproduce with `npm run bench:soak -- --markdown docs/bench-results.md` (replaces this section only).',
    'The daemon is the real `fleetkeeper daemon` process; a probe preloaded with `--import` samples it.',
    '',
    markdownTable(rows),
    '',
    ...(notes.length > 0 ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
}
