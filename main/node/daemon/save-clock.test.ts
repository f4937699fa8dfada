import { afterEach, describe, expect, it, vi } from 'vitest';
import { SaveClock } from './save-clock.js';
import { WakeDetector } from './wake-detector.js';

describe('SaveClock', () => {
  afterEach(() => vi.useRealTimers());

  it('ticks on anchor + k·period even when ticks take time (no drift)', async () => {
    vi.useFakeTimers();
    const t0 = performance.now();
    const at: number[] = [];
    const clock = new SaveClock(1000, async () => {
      at.push(Math.round(performance.now() - t0));
      await new Promise((r) => setTimeout(r, 300)); // a slow save
    });
    clock.start();
    await vi.advanceTimersByTimeAsync(5050);
    clock.dispose();
    expect(at).toEqual([1000, 2000, 3000, 4000, 5000]);
  });

  it('skips a tick that comes due while the previous one still runs', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const clock = new SaveClock(100, async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 250));
    });
    clock.start();
    await vi.advanceTimersByTimeAsync(1000);
    clock.dispose();
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(4);
  });
});

describe('WakeDetector', () => {
  it('reports a suspend as the gap between wall and monotonic time', () => {
    let wall = 1_000_000;
    let mono = 0;
    const woke: number[] = [];
    const w = new WakeDetector(
      (ms) => woke.push(ms),
      5000,
      30_000,
      () => wall,
      () => mono,
    );
    w.start();
    wall += 5000;
    mono += 5000;
    w.check();
    expect(woke).toEqual([]);
    wall += 8 * 3600_000 + 5000;
    mono += 5000; // an 8-hour suspend
    w.check();
    expect(woke).toEqual([8 * 3600_000]);
    wall -= 2 * 3600_000;
    mono += 5000; // wall clock jumped back: not a wake
    w.check();
    expect(woke).toHaveLength(1);
    w.dispose();
  });
});
