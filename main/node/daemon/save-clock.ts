/**
 * A drift-corrected periodic clock: ticks are scheduled against an anchor (anchor + k·period)
 * rather than "period after the last tick finished", so slow saves don't push later ones
 * back. A tick that comes due while the previous one still runs is skipped, not queued.
 * Owns exactly one timer; dispose() clears it.
 */
export class SaveClock {
  private timer: NodeJS.Timeout | null = null;
  private anchor = 0;
  private running = false;
  private disposed = false;

  constructor(
    private periodMs: number,
    private readonly tick: () => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.anchor = this.now();
    this.schedule();
  }

  /** Change the period (settings changed); re-anchors at the current moment. */
  setPeriod(periodMs: number): void {
    this.periodMs = periodMs;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.start();
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    const elapsed = this.now() - this.anchor;
    const k = Math.floor(elapsed / this.periodMs) + 1;
    const delay = Math.max(0, this.anchor + k * this.periodMs - this.now());
    this.timer = setTimeout(() => void this.fire(), delay);
  }

  private async fire(): Promise<void> {
    this.timer = null;
    if (!this.running) {
      this.running = true;
      try {
        await this.tick();
      } catch {
        // The tick reports its own failures (a failed save is a state, not an exception).
      } finally {
        this.running = false;
      }
    }
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
