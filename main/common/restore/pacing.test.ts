import { describe, it, expect } from 'vitest';
import { defaultMaxOutstanding, expire, newPacer, pacingPolicy, recordArrival, recordStart, slots } from './pacing.js';

describe('pacing', () => {
  it('at most K outstanding; a SessionStart frees a slot at once', () => {
    const p = newPacer({ maxOutstanding: 2, capMs: 10_000, brakeAfter: 3 });
    expect(slots(p, 0).launch).toBe(2);
    recordStart(p, '%1', 0);
    recordStart(p, '%2', 0);
    expect(slots(p, 100)).toEqual({ launch: 0, waitMs: 9_900 });
    recordArrival(p, '%1', true);
    expect(slots(p, 200).launch).toBe(1);
  });

  it('the cap frees a slot and counts as silent; repeated failures brake', () => {
    const p = newPacer({ maxOutstanding: 1, capMs: 1000, brakeAfter: 3 });
    recordStart(p, '%1', 0);
    expect(expire(p, 999)).toEqual([]);
    expect(expire(p, 1000)).toEqual(['%1']);
    recordStart(p, '%2', 1000);
    recordArrival(p, '%2', false);
    recordStart(p, '%3', 1100);
    expect(p.braked).toBeNull();
    expire(p, 2100);
    expect(p.braked).toMatch(/3 Claude starts in a row failed/);
    expect(slots(p, 3000).launch).toBe(0);
  });

  it('a right start resets the count; a late right answer undoes its silent mark', () => {
    const p = newPacer({ maxOutstanding: 1, capMs: 1000, brakeAfter: 2 });
    recordStart(p, '%1', 0);
    expire(p, 1000);
    recordArrival(p, '%1', true);
    expect(p.failuresInRow).toBe(0);
    recordStart(p, '%2', 1000);
    expire(p, 2000);
    recordStart(p, '%3', 2000);
    recordArrival(p, '%3', true);
    recordStart(p, '%4', 2100);
    expire(p, 3100);
    expect(p.braked).toBeNull();
  });

  it('slow start: each right answer lets two more go, up to the ceiling; a failure does not', () => {
    const p = newPacer({ maxOutstanding: 2, capMs: 10_000, brakeAfter: 3, ceiling: 5 });
    recordStart(p, '%1', 0);
    recordStart(p, '%2', 0);
    expect(slots(p, 0).launch).toBe(0);
    recordArrival(p, '%1', true);
    expect(slots(p, 1).launch).toBe(3);
    recordArrival(p, '%2', true);
    expect(p.limit).toBe(5);
    recordStart(p, '%3', 2);
    recordArrival(p, '%3', false);
    expect(p.limit).toBe(5);
  });

  it('--stagger: a fixed pace, whatever Claude reports', () => {
    const p = newPacer({ maxOutstanding: 1, capMs: 1000, brakeAfter: 3, staggerMs: 500 });
    expect(slots(p, 0).launch).toBe(1);
    recordStart(p, '%1', 0);
    recordArrival(p, '%1', true);
    expect(slots(p, 100)).toEqual({ launch: 0, waitMs: 400 });
    expect(slots(p, 500).launch).toBe(1);
  });

  it('K defaults from the cores; the settings override it', () => {
    expect(defaultMaxOutstanding(1)).toBe(8);
    expect(defaultMaxOutstanding(2)).toBe(16);
    expect(defaultMaxOutstanding(64)).toBe(32);
    expect(pacingPolicy({ maxOutstanding: 0, capS: 15, brakeAfter: 3 }, 2)).toEqual({
      maxOutstanding: 16,
      capMs: 15_000,
      brakeAfter: 3,
      ceiling: 48,
    });
    expect(pacingPolicy({ maxOutstanding: 3, capS: 5, brakeAfter: 2 }, 8).ceiling).toBeUndefined();
    expect(pacingPolicy({ maxOutstanding: 3, capS: 5, brakeAfter: 2 }, 8, 250).staggerMs).toBe(250);
  });
});
