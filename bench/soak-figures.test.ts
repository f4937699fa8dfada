// The soak's arithmetic and its section of docs/bench-results.md (the soak itself runs for
// half an hour and is not part of the test run).
import { describe, expect, it } from 'vitest';
import { growthRows, slopePerHour } from './soak-figures.js';
import { soakSection, withSoakSection } from './report.js';
import type { ProbeSample } from './soak-probe.js';

const H = 3_600_000;
const sample = (atMs: number, fds: number, timers = 3): ProbeSample => ({
  atMs,
  rssBytes: 50 * 1024 * 1024,
  heapAfterGcBytes: 8 * 1024 * 1024,
  codeBytes: 1024 * 1024,
  fds,
  liveTimers: timers,
  resources: {},
  children: ['tmux: client'],
  final: false,
});

describe('soak figures', () => {
  it('slope per hour by least squares; flat and single samples are 0', () => {
    expect(slopePerHour([0, 1, 2, 3].map((i) => ({ atMs: (i * H) / 2, value: 10 + i })))).toBeCloseTo(2);
    expect(slopePerHour([0, 1, 2].map((i) => ({ atMs: i * 60_000, value: 7 })))).toBe(0);
    expect(slopePerHour([{ atMs: 0, value: 1 }])).toBe(0);
  });

  it("a save's transient handle is not growth; a higher ceiling at the end is", () => {
    const transient = [22, 25, 22, 22, 23, 22, 22, 24, 22].map((fds, i) => sample(i * 60_000, fds));
    const fdRow = (rows: ReturnType<typeof growthRows>) => rows.find((r) => r.figure.includes('file descriptors'));
    expect(fdRow(growthRows(transient, 0))?.met).toBe(true);
    const leak = [22, 22, 22, 23, 23, 23, 24, 24, 26].map((fds, i) => sample(i * 60_000, fds));
    expect(fdRow(growthRows(leak, 0))?.met).toBe(false);
  });
});

describe('the Soak section of docs/bench-results.md', () => {
  const table = '# Benchmark results\n\n| a | b |\n';
  it('is appended, replaced alone, and kept when the table above it is rewritten', () => {
    const once = withSoakSection(table, '## Soak\n\nfirst run\n');
    expect(once).toBe(`${table}\n## Soak\n\nfirst run\n`);
    const twice = withSoakSection(once, '## Soak\n\nsecond run\n');
    expect(twice).toBe(`${table}\n## Soak\n\nsecond run\n`);
    expect(withSoakSection('# Benchmark results\n\nnew table\n', soakSection(twice))).toBe(
      '# Benchmark results\n\nnew table\n\n## Soak\n\nsecond run\n',
    );
    expect(soakSection(table)).toBeNull();
    expect(withSoakSection(table, null)).toBe(table);
  });
});
