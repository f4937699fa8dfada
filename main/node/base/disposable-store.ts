// Lifecycle in one place (in the spirit of VS Code's DisposableStore): whoever starts a timer,
// a client or a watcher registers it here, and one dispose() ends them all. A long-running tray
// app must not leak a timer per reconnect or a client per restart.

export interface Disposable {
  dispose(): void | Promise<void>;
}

/** A Disposable that runs `fn` once. */
export function toDisposable(fn: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      return fn();
    },
  };
}

/** setInterval whose clearing is a Disposable. */
export function intervalDisposable(fn: () => void, ms: number, opts: { unref?: boolean } = {}): Disposable {
  const t = setInterval(fn, ms);
  if (opts.unref === true) t.unref();
  return toDisposable(() => clearInterval(t));
}

/** setTimeout whose clearing is a Disposable. */
export function timeoutDisposable(fn: () => void, ms: number): Disposable {
  const t = setTimeout(fn, ms);
  return toDisposable(() => clearTimeout(t));
}

export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposing: Promise<void> | null = null;

  constructor(private readonly onLateError: (err: unknown) => void = reportLateError) {}

  get isDisposed(): boolean {
    return this.disposing !== null;
  }

  /**
   * Registers `d` and returns it. Once the store is disposed, `d` is disposed at once instead
   * (a client that finished connecting after stop() must not live on); a failure there goes
   * to `onLateError`, since the caller already awaited dispose().
   */
  add<T extends Disposable>(d: T): T {
    if (this.disposing === null) {
      this.items.push(d);
      return d;
    }
    try {
      void Promise.resolve(d.dispose()).catch(this.onLateError);
    } catch (err) {
      this.onLateError(err);
    }
    return d;
  }

  /** Disposes `d` now and forgets it (a timer that is being replaced). */
  async delete(d: Disposable): Promise<void> {
    const i = this.items.indexOf(d);
    if (i >= 0) this.items.splice(i, 1);
    await d.dispose();
  }

  /**
   * Disposes everything in reverse order of registration, each once, awaiting async disposals
   * one at a time. A failure does not stop the others: all failures are thrown together at the end.
   * Idempotent: later calls return the first call's promise.
   */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeAll();
    return this.disposing;
  }

  private async disposeAll(): Promise<void> {
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      const d = this.items.pop()!;
      try {
        await d.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposals failed`);
  }
}

function reportLateError(err: unknown): void {
  process.emitWarning(`disposal after the store was disposed failed: ${err instanceof Error ? err.message : err}`);
}
