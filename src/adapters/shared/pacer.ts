/**
 * Spaces a platform's requests at its published rate, so a fan-out runs at the limit instead
 * of finding it through 429s. Each request reserves the next free slot, 1000/rate ms after the
 * one before; a 429 that still gets through pushes every later slot past its Retry-After.
 */
export interface PacerClock {
  now(): number;
}

/**
 * Slots are spaced at this share of the published limit: timers fire late and requests bunch
 * on the way, and a limit counted per second punishes two sends that land in one window.
 */
export const PACE_HEADROOM = 0.96;

export class Pacer {
  private nextSlot = 0;
  readonly intervalMs: number;
  /** When the requests of the last second went out, oldest first. */
  private readonly sent: number[] = [];
  private readonly perSecond: number;

  constructor(
    /** The platform's published limit, requests per second. */
    readonly limitPerSecond: number,
    private readonly clock: PacerClock = { now: () => Date.now() },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (!(limitPerSecond > 0)) throw new RangeError('a pacer needs a positive rate');
    this.intervalMs = 1000 / (limitPerSecond * PACE_HEADROOM);
    // The same headroom here: requests that leave together may reach the platform closer still.
    this.perSecond = Math.max(1, Math.ceil(limitPerSecond * PACE_HEADROOM));
  }

  /** Claims the next slot and says how long to wait for it (ms from now). */
  reserve(): number {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    return slot - now;
  }

  /**
   * How long until a request may go out without making more than the limit in the last
   * second, counting the requests that really went (0: now).
   */
  untilFree(): number {
    const now = this.clock.now();
    while (this.sent.length && this.sent[0]! <= now - 1000) this.sent.shift();
    return this.sent.length < this.perSecond ? 0 : this.sent[0]! + 1000 - now;
  }

  /**
   * Waits for this request's slot. A busy process wakes late and several slots' requests
   * would leave together; the count of the last second holds those back too.
   */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.sleep(wait);
    for (let free = this.untilFree(); free > 0; free = this.untilFree()) await this.sleep(free);
    this.sent.push(this.clock.now());
  }

  /** The platform said to wait: nothing new goes out before then. */
  holdFor(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.clock.now() + ms);
  }

  /** Sends in flight that keep this pace busy with a second's worth of requests queued at most. */
  get lanes(): number {
    return Pacer.lanesFor(this.limitPerSecond);
  }

  /** Outbox lanes for a limit: one per request a second, so the lanes never wait on each other. */
  static lanesFor(limitPerSecond: number): number {
    return Math.max(1, Math.ceil(limitPerSecond));
  }
}
