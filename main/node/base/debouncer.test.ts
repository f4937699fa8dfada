import { afterEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from './debouncer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Debouncer', () => {
  it('debounces a burst into one call', async () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = new Debouncer(3000, fn);
    for (let i = 0; i < 10; i++) {
      d.poke();
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3000);
    expect(fn).toHaveBeenCalledTimes(1);
    d.dispose();
  });

  it('a disposed debouncer never calls', async () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = new Debouncer(100, fn);
    d.poke();
    d.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
