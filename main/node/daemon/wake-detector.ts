/**
 * Notices that the machine slept: the wall clock moves on during suspend while the monotonic
 * clock (what timers run on) does not. Checks every few seconds; owns one interval timer.
 */
export class WakeDetector {
  private timer: NodeJS.Timeout | null = null;
  private lastWall = 0;
  private lastMono = 0;

  constructor(
    private readonly onWake: (sleptMs: number) => void,
    private readonly everyMs = 5000,
    private readonly thresholdMs = 30_000,
    private readonly wall: () => number = () => Date.now(),
    private readonly mono: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.lastWall = this.wall();
    this.lastMono = this.mono();
    this.timer = setInterval(() => this.check(), this.everyMs);
    this.timer.unref();
  }

  check(): void {
    const wall = this.wall();
    const mono = this.mono();
    const gap = wall - this.lastWall - (mono - this.lastMono);
    this.lastWall = wall;
    this.lastMono = mono;
    if (gap > this.thresholdMs) this.onWake(gap);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
