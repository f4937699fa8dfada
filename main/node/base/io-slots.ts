/**
 * At most `size` tasks in flight; the rest wait in order. Node runs file I/O on four shared
 * threads: work done on someone's behalf that may be slow (the dashboard's transcript reads)
 * takes a slot here, so it can never hold every thread while the saver waits behind it.
 */
export class IoSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`slot count must be a positive integer: ${size}`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.busy++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}
