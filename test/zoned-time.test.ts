import { describe, expect, it } from 'vitest';
import { isValidTimeZone, offsetMinutes, startOfNextLocalDay, wallTimeToInstant, zonedParts } from '../src/core/schedule/zoned-time.js';

const utc = Date.UTC;
const HOUR = 3_600_000;

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });
  it.each(['', '   ', 'Mars/Base', 'Europe/Nowhere', 'Berlin'])('rejects %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe('zonedParts', () => {
  it('shows the wall clock in the zone', () => {
    expect(zonedParts(utc(2026, 10, 24, 14, 0), 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 24, hour: 15, minute: 0, weekday: 2 });
    expect(zonedParts(utc(2026, 10, 24, 14, 0), 'UTC')).toEqual({ year: 2026, month: 11, day: 24, hour: 14, minute: 0, weekday: 2 });
  });
  it('reports midnight as hour 0 and rolls the date and weekday', () => {
    expect(zonedParts(utc(2026, 0, 1, 23, 0), 'Europe/Berlin')).toEqual({ year: 2026, month: 1, day: 2, hour: 0, minute: 0, weekday: 5 });
    expect(zonedParts(utc(2026, 0, 1, 18, 30), 'Asia/Kolkata')).toEqual({ year: 2026, month: 1, day: 2, hour: 0, minute: 0, weekday: 5 });
  });
  it('goes back across a year boundary west of UTC', () => {
    expect(zonedParts(utc(2026, 0, 1, 3, 0), 'America/New_York')).toEqual({ year: 2025, month: 12, day: 31, hour: 22, minute: 0, weekday: 3 });
  });
  it('ignores seconds and milliseconds', () => {
    expect(zonedParts(utc(2026, 5, 1, 12, 34, 59, 999), 'UTC')).toMatchObject({ hour: 12, minute: 34 });
  });
  it('throws for an unknown zone', () => {
    expect(() => zonedParts(0, 'Mars/Base')).toThrow(RangeError);
  });
});

describe('offsetMinutes', () => {
  it.each([
    ['UTC', utc(2026, 0, 15), 0],
    ['Europe/Berlin', utc(2026, 0, 15), 60],
    ['Europe/Berlin', utc(2026, 6, 15), 120],
    ['America/New_York', utc(2026, 0, 15), -300],
    ['America/New_York', utc(2026, 6, 15), -240],
    ['Asia/Kolkata', utc(2026, 6, 15), 330],
    ['Australia/Lord_Howe', utc(2026, 6, 15), 630],
    ['Australia/Lord_Howe', utc(2026, 0, 15), 660],
  ] as const)('%s at %d is %d', (zone, at, expected) => {
    expect(offsetMinutes(at, zone)).toBe(expected);
  });
  it('changes exactly at the Berlin transitions (01:00 UTC)', () => {
    expect(offsetMinutes(utc(2026, 2, 29, 0, 59), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(utc(2026, 2, 29, 1, 0), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(utc(2026, 9, 25, 0, 59), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(utc(2026, 9, 25, 1, 0), 'Europe/Berlin')).toBe(60);
  });
});

describe('wallTimeToInstant', () => {
  it('converts ordinary wall times', () => {
    expect(wallTimeToInstant(2026, 11, 24, 15, 0, 'Europe/Berlin')).toBe(utc(2026, 10, 24, 14, 0));
    expect(wallTimeToInstant(2026, 11, 24, 15, 0, 'UTC')).toBe(utc(2026, 10, 24, 15, 0));
    expect(wallTimeToInstant(2026, 11, 24, 9, 0, 'America/New_York')).toBe(utc(2026, 10, 24, 14, 0));
    expect(wallTimeToInstant(2026, 11, 24, 9, 0, 'Asia/Kolkata')).toBe(utc(2026, 10, 24, 3, 30));
    expect(wallTimeToInstant(2026, 11, 24, 9, 0, 'Australia/Lord_Howe')).toBe(utc(2026, 10, 23, 22, 0));
  });

  it('rolls over out-of-range fields like Date.UTC', () => {
    expect(wallTimeToInstant(2026, 12, 32, 0, 0, 'UTC')).toBe(utc(2027, 0, 1));
  });

  describe('spring-forward gap resolves to the end of the gap', () => {
    it.each([
      ['Europe/Berlin', 2026, 3, 29, 2, 0, utc(2026, 2, 29, 1, 0)],
      ['Europe/Berlin', 2026, 3, 29, 2, 30, utc(2026, 2, 29, 1, 0)],
      ['Europe/Berlin', 2026, 3, 29, 2, 59, utc(2026, 2, 29, 1, 0)],
      ['America/New_York', 2026, 3, 8, 2, 30, utc(2026, 2, 8, 7, 0)],
      ['Australia/Lord_Howe', 2026, 10, 4, 2, 15, utc(2026, 9, 3, 15, 30)], // 02:00 → 02:30
    ] as const)('%s %d-%d-%d %d:%d', (zone, y, mo, d, h, mi, expected) => {
      expect(wallTimeToInstant(y, mo, d, h, mi, zone)).toBe(expected);
    });
    it('leaves the wall times either side alone', () => {
      expect(wallTimeToInstant(2026, 3, 29, 1, 59, 'Europe/Berlin')).toBe(utc(2026, 2, 29, 0, 59));
      expect(wallTimeToInstant(2026, 3, 29, 3, 0, 'Europe/Berlin')).toBe(utc(2026, 2, 29, 1, 0));
      expect(wallTimeToInstant(2026, 3, 29, 3, 1, 'Europe/Berlin')).toBe(utc(2026, 2, 29, 1, 1));
    });
  });

  describe('fall-back overlap resolves to the first occurrence', () => {
    it.each([
      ['Europe/Berlin', 2026, 10, 25, 2, 0, utc(2026, 9, 25, 0, 0)],
      ['Europe/Berlin', 2026, 10, 25, 2, 30, utc(2026, 9, 25, 0, 30)],
      ['Europe/Berlin', 2026, 10, 25, 2, 59, utc(2026, 9, 25, 0, 59)],
      ['America/New_York', 2026, 11, 1, 1, 30, utc(2026, 10, 1, 5, 30)],
      ['Australia/Lord_Howe', 2026, 4, 5, 1, 45, utc(2026, 3, 4, 14, 45)], // 02:00 → 01:30
    ] as const)('%s %d-%d-%d %d:%d', (zone, y, mo, d, h, mi, expected) => {
      expect(wallTimeToInstant(y, mo, d, h, mi, zone)).toBe(expected);
    });
    it('converts the wall times either side normally', () => {
      expect(wallTimeToInstant(2026, 10, 25, 1, 59, 'Europe/Berlin')).toBe(utc(2026, 9, 24, 23, 59));
      expect(wallTimeToInstant(2026, 10, 25, 3, 0, 'Europe/Berlin')).toBe(utc(2026, 9, 25, 2, 0));
      expect(wallTimeToInstant(2026, 11, 1, 2, 30, 'America/New_York')).toBe(utc(2026, 10, 1, 7, 30));
    });
  });

  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'])(
    'round-trips every hour and half hour of 2026 in %s (except second occurrences)',
    (zone) => {
      for (let t = utc(2026, 0, 1); t < utc(2027, 0, 1); t += HOUR / 2) {
        const p = zonedParts(t, zone);
        const back = wallTimeToInstant(p.year, p.month, p.day, p.hour, p.minute, zone);
        if (back !== t) {
          // Only allowed when t is the second occurrence of a repeated wall time.
          expect(back).toBeLessThan(t);
          expect(zonedParts(back, zone)).toEqual(p);
        }
      }
    },
  );
});

describe('startOfNextLocalDay', () => {
  it('finds the next local midnight', () => {
    expect(startOfNextLocalDay(utc(2026, 10, 24, 14), 'Europe/Berlin')).toBe(utc(2026, 10, 24, 23));
    expect(startOfNextLocalDay(utc(2026, 10, 24, 14), 'UTC')).toBe(utc(2026, 10, 25));
    expect(startOfNextLocalDay(utc(2026, 10, 20, 12), 'America/New_York')).toBe(utc(2026, 10, 21, 5));
    expect(startOfNextLocalDay(utc(2026, 10, 20, 12), 'Asia/Kolkata')).toBe(utc(2026, 10, 20, 18, 30));
  });
  it('is strictly after an instant that is itself midnight', () => {
    expect(startOfNextLocalDay(utc(2026, 2, 28, 23), 'Europe/Berlin')).toBe(utc(2026, 2, 29, 22));
  });
  it('handles 23- and 25-hour days', () => {
    // 29 Mar 2026 (Berlin) is 23 hours long, 25 Oct 2026 is 25 hours long.
    expect(startOfNextLocalDay(utc(2026, 2, 29, 12), 'Europe/Berlin')).toBe(utc(2026, 2, 29, 22));
    expect(startOfNextLocalDay(utc(2026, 9, 25, 12), 'Europe/Berlin')).toBe(utc(2026, 9, 25, 23));
    expect(utc(2026, 2, 29, 22) - utc(2026, 2, 28, 23)).toBe(23 * HOUR);
  });
  it('uses the end of the gap when midnight itself is skipped (Chile, 6 Sep 2026)', () => {
    expect(startOfNextLocalDay(utc(2026, 8, 5, 12), 'America/Santiago')).toBe(utc(2026, 8, 6, 4));
  });
});
