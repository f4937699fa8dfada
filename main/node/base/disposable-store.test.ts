import { describe, expect, it } from 'vitest';
import { DisposableStore, intervalDisposable, toDisposable } from './disposable-store.js';

describe('DisposableStore', () => {
  it('add returns what it was given; dispose runs every item once, newest first', async () => {
    const store = new DisposableStore();
    const order: string[] = [];
    const a = toDisposable(() => void order.push('a'));
    expect(store.add(a)).toBe(a);
    store.add(toDisposable(() => void order.push('b')));
    store.add({ dispose: () => void order.push('c') });
    await store.dispose();
    await store.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(store.isDisposed).toBe(true);
  });

  it('awaits async disposals in turn before the next one starts', async () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.add(toDisposable(() => void order.push('first registered')));
    store.add(
      toDisposable(async () => {
        await new Promise((r) => setTimeout(r, 50));
        order.push('slow');
      }),
    );
    await store.dispose();
    expect(order).toEqual(['slow', 'first registered']);
  });

  it('collects failures instead of stopping half-way, and throws them at the end', async () => {
    const store = new DisposableStore();
    const done: string[] = [];
    store.add(toDisposable(() => void done.push('a')));
    store.add(
      toDisposable(() => {
        throw new Error('sync boom');
      }),
    );
    store.add(toDisposable(() => void done.push('c')));
    store.add(toDisposable(() => Promise.reject(new Error('async boom'))));
    const err = await store.dispose().then(
      () => null,
      (e: unknown) => e,
    );
    expect(done).toEqual(['c', 'a']);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(['async boom', 'sync boom']);
  });

  it('a single failure is thrown as itself', async () => {
    const store = new DisposableStore();
    store.add(
      toDisposable(() => {
        throw new Error('only one');
      }),
    );
    await expect(store.dispose()).rejects.toThrow('only one');
  });

  it('adding after dispose disposes at once; a late failure is reported, not lost', async () => {
    const late: unknown[] = [];
    const store = new DisposableStore((e) => late.push(e));
    await store.dispose();
    let disposed = 0;
    store.add(toDisposable(() => void disposed++));
    expect(disposed).toBe(1);
    store.add(toDisposable(() => Promise.reject(new Error('late async'))));
    store.add(
      toDisposable(() => {
        throw new Error('late sync');
      }),
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(late.map((e) => (e as Error).message).sort()).toEqual(['late async', 'late sync']);
  });

  it('delete disposes one item now and the store no longer holds it', async () => {
    const store = new DisposableStore();
    let n = 0;
    const d = store.add(toDisposable(() => void n++));
    await store.delete(d);
    await store.dispose();
    expect(n).toBe(1);
  });

  it('an interval stops when the store is disposed', async () => {
    const store = new DisposableStore();
    let ticks = 0;
    store.add(intervalDisposable(() => void ticks++, 5));
    await new Promise((r) => setTimeout(r, 40));
    await store.dispose();
    const at = ticks;
    expect(at).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(ticks).toBe(at);
  });
});
