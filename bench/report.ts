// The results table, as aligned text for the terminal and as Markdown for docs/.
import type { BenchRow } from './stats.js';

const HEAD = ['figure', 'ours', 'floor or peer', 'ratio', 'target', 'met'];

function cells(r: BenchRow): string[] {
  return [
    r.figure,
    r.ours,
    r.reference,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ];
}

export function formatTable(rows: readonly BenchRow[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const notes = rows.filter((r) => r.note !== undefined).map((r) => `  ${r.figure}: ${r.note ?? ''}`);
  return [
    line(HEAD),
    line(widths.map((w) => '-'.repeat(w))),
    ...all.slice(1).map(line),
    ...(notes.length > 0 ? ['notes:', ...notes] : []),
  ].join('\n');
}

const md = (s: string): string => s.replace(/\|/g, '\\|');

export function markdownTable(rows: readonly BenchRow[]): string {
  const out = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${cells(r).map(md).join(' | ')} |`);
  return out.join('\n');
}

export function markdownReport(
  rows: readonly BenchRow[],
  meta: { machine: string; mode: string; took: string; config: unknown },
): string {
  const notes = rows.filter((r) => r.note !== undefined).map((r) => `- ${md(r.figure)}: ${md(r.note ?? '')}`);
  return [
    '# Benchmark results',
    '',
    `Machine: ${meta.machine}. Mode: ${meta.mode}; the run took ${meta.took}.`,
    '',
    'Reproduce with `npm run bench -- --markdown docs/bench-results.md` (full) or `node dist/bench/run.js --quick`.',
    'Ratios are ours divided by the floor or peer measured side by side in the same run (medians, interleaved).',
    '',
    markdownTable(rows),
    '',
    ...(notes.length > 0 ? ['Notes:', '', ...notes, ''] : []),
    `Configuration: \`${JSON.stringify(meta.config)}\``,
    '',
  ].join('\n');
}

export const SOAK_HEADING = '## Soak';

/**
 * `doc` with its `## Soak` section (to the end of the document) replaced by `section`, or
 * `section` appended: the soak and the benchmark table share docs/bench-results.md, and
 * re-running either keeps the other's figures.
 */
export function withSoakSection(doc: string, section: string | null): string {
  const at = doc.indexOf(`\n${SOAK_HEADING}\n`);
  const head = (at >= 0 ? doc.slice(0, at + 1) : doc).trimEnd();
  return section === null ? `${head}\n` : `${head}\n\n${section.trim()}\n`;
}

/** The `## Soak` section of `doc`, or null. */
export function soakSection(doc: string): string | null {
  const at = doc.indexOf(`\n${SOAK_HEADING}\n`);
  return at >= 0 ? doc.slice(at + 1) : null;
}
