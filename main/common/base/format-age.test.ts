import { describe, expect, it } from 'vitest';
import { formatAge } from './format-age.js';
import { plural } from './plural.js';

describe('formatAge', () => {
  it.each([
    [0, '0s', '0 s'],
    [42, '42s', '42 s'],
    [59.9, '59s', '59 s'],
    [60, '1m', '1 min'],
    [89, '1m', '1 min'],
    [119, '1m', '1 min'],
    [3599, '59m', '59 min'],
    [3600, '1h', '1 h'],
    [3660, '1h1m', '1 h 1 min'],
    [3900, '1h5m', '1 h 5 min'],
    [36_600, '10h', '10 h'],
    [86_399, '23h', '23 h'],
    [86_400, '1d', '1 d'],
    [90_000, '1d1h', '1 d 1 h'],
    [867_600, '10d', '10 d'],
    [-1, '?', '?'],
    [NaN, '?', '?'],
    [Infinity, '?', '?'],
  ])('%d s → %s / %s', (s, compact, spaced) => {
    expect(formatAge(s, 'compact')).toBe(compact);
    expect(formatAge(s, 'spaced')).toBe(spaced);
    expect(formatAge(s)).toBe(spaced);
  });
});

describe('plural', () => {
  it('takes the singular only for exactly one', () => {
    expect(plural(1, 'pane')).toBe('1 pane');
    expect(plural(0, 'pane')).toBe('0 panes');
    expect(plural(2, 'pane')).toBe('2 panes');
    expect(plural(3, 'child', 'children')).toBe('3 children');
  });
});
