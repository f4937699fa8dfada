/** Debounces bursts (a layout change fires many notifications) into one call. Owns one timer. */
export class Debouncer {
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly delayMs: number,
    private readonly fn: () => void,
  ) {}

  poke(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fn();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
