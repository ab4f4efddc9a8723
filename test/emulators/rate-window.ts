/**
 * An emulated platform rate limit: at most `perSecond` requests in each wall-clock second.
 * Counts what it saw and what it refused, so tests and the bench can report the 429 share.
 */
export class RateWindow {
  limited = 0;
  counted = 0;
  private second = -1;
  private used = 0;

  constructor(private readonly perSecond: number) {}

  /** Counts one request; over the limit, the ms until the second ends (the Retry-After). */
  hit(now = Date.now()): number | undefined {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.used = 0;
    }
    this.counted++;
    if (++this.used <= this.perSecond) return undefined;
    this.limited++;
    return (second + 1) * 1000 - now;
  }
}
