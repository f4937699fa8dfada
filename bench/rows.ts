// Figures → table rows: the restore rows with their correctness check and the daemon-at-rest rows.
import type { RestoreFigures } from './measure-restore.js';
import type { DaemonFigures } from './measure-daemon.js';
import { ratioRow, type BenchRow } from './stats.js';

export function row(
  figure: string,
  ours: string,
  reference: string,
  target: string,
  met: boolean | null,
  note?: string,
): BenchRow {
  const r: BenchRow = { figure, ours, reference, ratio: null, target, met };
  if (note !== undefined) r.note = note;
  return r;
}

/** `big`: the size the targets are set for. */
export function restoreRows(
  n: number,
  r: RestoreFigures,
  rows: BenchRow[],
  failures: string[],
  log: (line: string) => void,
  big: boolean,
): void {
  rows.push(
    ratioRow(
      `restore, ${n} panes (no client)`,
      r.oursMs,
      r.floorMs,
      r.floorCalls === 1 ? 'one chained tmux call' : `${r.floorCalls} chained tmux calls`,
      big ? 1.5 : null,
      r.floorCalls > 1
        ? `tmux refuses one command line over ~16 KB, so the floor packs whole sessions into ${r.floorCalls} chained calls`
        : undefined,
    ),
  );
  const bad = r.oursMismatches.length;
  rows.push(
    row(
      `restore correctness, ${n} panes`,
      `${bad} mismatches, ${r.clientsSeen} clients`,
      `floor: ${r.floorMismatches.length} mismatches`,
      '0 mismatches',
      bad === 0 && r.clientsSeen === 0,
      [
        'layout, fixed window names, automatic-rename, cwd, active, zoom and role of every window and pane',
        ...(r.warnings.length > 0 ? [`warnings: ${r.warnings.slice(0, 3).join('; ')}`] : []),
      ].join('; '),
    ),
  );
  if (bad > 0 || r.clientsSeen > 0)
    failures.push(`restore of ${n} panes: ${r.clientsSeen} clients; ${r.oursMismatches.slice(0, 5).join('; ')}`);
  if (r.floorMismatches.length > 0)
    log(`note: the floor rebuild of ${n} panes differs: ${r.floorMismatches.slice(0, 3).join('; ')}`);
}

export function restRows(d: DaemonFigures, what: string): BenchRow[] {
  return [
    row(
      `daemon at rest, ${what}`,
      `${d.cpuSPerHour.toFixed(2)} CPU-s/h`,
      '—',
      '≤ 2 CPU-s/h',
      d.cpuSPerHour <= 2,
      `${d.seconds.toFixed(0)} s sampled, ${d.saves} saves, 60 s interval`,
    ),
    row(
      `daemon RSS, ${what}`,
      `${d.rssMb.toFixed(1)} MB (max ${d.rssMaxMb.toFixed(1)})`,
      '—',
      '≤ 80 MB',
      d.rssMaxMb <= 80,
    ),
  ];
}
