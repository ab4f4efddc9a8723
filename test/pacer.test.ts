import { describe, expect, it } from 'vitest';
import { Pacer, PACE_HEADROOM } from '../src/adapters/shared/pacer.js';
import { FakeClock } from './support/coach.js';

describe('Pacer', () => {
  it('spaces requests at the limit less its headroom, starting at once', () => {
    const clock = new FakeClock(1_000_000);
    const p = new Pacer(50, clock);
    const gap = 1000 / (50 * PACE_HEADROOM);
    expect(p.intervalMs).toBeCloseTo(20.83, 2);
    const waits = [p.reserve(), p.reserve(), p.reserve()];
    [0, gap, 2 * gap].forEach((w, i) => expect(waits[i]).toBeCloseTo(w, 6));
    // Time passing pays off the queue: slot 4 is 3 gaps after slot 1, whenever it is asked.
    clock.advance(50);
    expect(p.reserve()).toBeCloseTo(3 * gap - 50, 9);
  });

  it('does not save up slots while idle: no burst after a quiet spell', () => {
    const clock = new FakeClock(0);
    const p = new Pacer(5, clock);
    p.reserve();
    clock.advance(10_000);
    expect(p.reserve()).toBe(0);
    expect(p.reserve()).toBeCloseTo(1000 / (5 * PACE_HEADROOM), 6);
  });

  it('never lets more than the limit into any second', () => {
    const clock = new FakeClock(0);
    const p = new Pacer(50, clock);
    const sendAt = Array.from({ length: 1000 }, () => p.reserve());
    for (const start of sendAt) expect(sendAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(50);
    // …and a fan-out of N takes N / (limit × headroom).
    expect(sendAt.at(-1)! / 1000).toBeCloseTo(999 / (50 * PACE_HEADROOM), 6);
  });

  it('holds every later slot past a Retry-After, and gives one lane per request a second', () => {
    const clock = new FakeClock(0);
    const p = new Pacer(2, clock);
    p.reserve();
    p.holdFor(3_000);
    expect(p.reserve()).toBe(3_000);
    // A hold shorter than the queue changes nothing.
    p.holdFor(10);
    expect(p.reserve()).toBeCloseTo(3_000 + 1000 / (2 * PACE_HEADROOM), 9);
    expect(new Pacer(50, clock).lanes).toBe(50);
    expect(new Pacer(0.5, clock).lanes).toBe(1);
    expect(() => new Pacer(0, clock)).toThrow(RangeError);
  });

  it('take() sleeps exactly the reserved wait', async () => {
    const clock = new FakeClock(0);
    const slept: number[] = [];
    const p = new Pacer(10, clock, async (ms) => void slept.push(ms));
    await p.take();
    await p.take();
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeCloseTo(1000 / (10 * PACE_HEADROOM), 6);
  });

  it('holds back requests that wake late together: never more than the limit in the last second', async () => {
    const clock = new FakeClock(0);
    // A sleep that returns without time passing: every wake-up is "late", as in a stalled process.
    const p = new Pacer(3, clock, async () => undefined);
    await p.take();
    await p.take();
    await p.take();
    expect(p.untilFree()).toBe(1000);
    clock.advance(400);
    expect(p.untilFree()).toBe(600);
    clock.advance(600);
    expect(p.untilFree()).toBe(0);
  });
});
