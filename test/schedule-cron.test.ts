import { describe, expect, it } from 'vitest';
import { minGapMinutes, nextFires, parseCron, previousFire, type CronSpec } from '../src/core/schedule/cron.js';

const utc = Date.UTC;
const iso = (ts: readonly number[]): string[] => ts.map((t) => new Date(t).toISOString());

function cron(expr: string): CronSpec {
  const r = parseCron(expr);
  if (!r.ok) throw new Error(`${expr}: ${r.message}`);
  return r.cron;
}
function parseError(expr: string): string {
  const r = parseCron(expr);
  if (r.ok) throw new Error(`${expr} parsed`);
  return r.message;
}
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('parseCron', () => {
  it('expands stars, steps, ranges, names and lists', () => {
    expect(cron('*/15 9-17 * jan-mar mon-fri')).toEqual({
      source: '*/15 9-17 * jan-mar mon-fri',
      minutes: [0, 15, 30, 45],
      hours: range(9, 17),
      daysOfMonth: range(1, 31),
      months: [1, 2, 3],
      daysOfWeek: [1, 2, 3, 4, 5],
      domRestricted: false,
      dowRestricted: true,
    });
  });
  it.each([
    ['5/20 * * * *', 'minutes', [5, 25, 45]],
    ['10-30/10 * * * *', 'minutes', [10, 20, 30]],
    ['30,0,15,15 * * * *', 'minutes', [0, 15, 30]],
    ['0 */6 * * *', 'hours', [0, 6, 12, 18]],
    ['0 0 1,15,31 * *', 'daysOfMonth', [1, 15, 31]],
    ['0 0 * JUN,Dec *', 'months', [6, 12]],
    ['0 0 * * 7', 'daysOfWeek', [0]],
    ['0 0 * * 5-7', 'daysOfWeek', [0, 5, 6]],
    ['0 0 * * SUN,Sat', 'daysOfWeek', [0, 6]],
    ['0 0 * * */2', 'daysOfWeek', [0, 2, 4, 6]],
  ] as const)('%s → %s %j', (expr, key, values) => {
    expect(cron(expr)[key]).toEqual(values);
  });
  it('normalises whitespace in the source and records which day fields are restricted', () => {
    const c = cron('  0   9 13 *  5 ');
    expect(c.source).toBe('0 9 13 * 5');
    expect([c.domRestricted, c.dowRestricted]).toEqual([true, true]);
    expect([cron('0 9 */2 * 1').domRestricted, cron('0 9 1 * *').dowRestricted]).toEqual([false, false]);
  });
  it.each([
    ['61 * * * *', 'minute field "61" is out of range 0-59'],
    ['0 24 * * *', 'hour field "24" is out of range 0-23'],
    ['0 0 0 * *', 'day-of-month field "0" is out of range 1-31'],
    ['0 0 32 * *', 'day-of-month field "32" is out of range 1-31'],
    ['0 0 * 13 *', 'month field "13" is out of range 1-12'],
    ['0 0 * * 8', 'day-of-week field "8" is out of range 0-7'],
    ['0 5-70 * * *', 'hour field "70" is out of range 0-23'],
    ['* * * *', 'expected 5 fields (minute hour day month weekday), got 4'],
    ['0 * * * * *', 'expected 5 fields (minute hour day month weekday), got 6'],
    ['', 'expected 5 fields (minute hour day month weekday), got 0'],
    ['x * * * *', 'minute field "x" is not a number 0-59'],
    ['*/0 * * * *', 'minute field "*/0" needs a whole-number step of at least 1 after "/"'],
    ['*/x * * * *', 'minute field "*/x" needs a whole-number step of at least 1 after "/"'],
    ['0 17-9 * * *', 'hour field "17-9" runs backwards (17 is after 9)'],
    ['1,,2 * * * *', 'minute field "1,,2" has an empty item in its list'],
    ['1-2-3 * * * *', 'minute field "1-2-3" is not a valid range (use a-b)'],
    ['0 0 * foo *', 'month field "foo" is not a number 1-12 or a name jan-dec'],
    ['0 0 * * funday', 'day-of-week field "funday" is not a number 0-7 or a name sun-sat'],
  ])('%j → %s', (expr, error) => {
    expect(parseError(expr)).toBe(error);
  });
});

// Fri 20 Nov 2026, 12:00 UTC
const FRI_NOON = utc(2026, 10, 20, 12);

describe('nextFires in different zones', () => {
  it.each([
    ['UTC', [utc(2026, 10, 21, 9), utc(2026, 10, 22, 9), utc(2026, 10, 23, 9)]],
    ['Europe/Berlin', [utc(2026, 10, 21, 8), utc(2026, 10, 22, 8), utc(2026, 10, 23, 8)]],
    ['America/New_York', [utc(2026, 10, 20, 14), utc(2026, 10, 21, 14), utc(2026, 10, 22, 14)]],
    ['Asia/Kolkata', [utc(2026, 10, 21, 3, 30), utc(2026, 10, 22, 3, 30), utc(2026, 10, 23, 3, 30)]],
    ['Australia/Lord_Howe', [utc(2026, 10, 20, 22), utc(2026, 10, 21, 22), utc(2026, 10, 22, 22)]],
  ])('daily 09:00 in %s', (zone, expected) => {
    expect(iso(nextFires(cron('0 9 * * *'), zone, FRI_NOON, 3))).toEqual(iso(expected));
  });

  it.each([
    ['UTC', [utc(2026, 10, 23, 10, 30), utc(2026, 10, 24, 10, 30), utc(2026, 10, 25, 10, 30)]],
    ['Europe/Berlin', [utc(2026, 10, 23, 9, 30), utc(2026, 10, 24, 9, 30), utc(2026, 10, 25, 9, 30)]],
    ['America/New_York', [utc(2026, 10, 20, 15, 30), utc(2026, 10, 23, 15, 30), utc(2026, 10, 24, 15, 30)]],
    ['Asia/Kolkata', [utc(2026, 10, 23, 5), utc(2026, 10, 24, 5), utc(2026, 10, 25, 5)]],
    ['Australia/Lord_Howe', [utc(2026, 10, 22, 23, 30), utc(2026, 10, 23, 23, 30), utc(2026, 10, 24, 23, 30)]],
  ])('weekdays 10:30 in %s (skips the weekend)', (zone, expected) => {
    expect(iso(nextFires(cron('30 10 * * 1-5'), zone, FRI_NOON, 3))).toEqual(iso(expected));
  });

  it('is strictly after afterMs', () => {
    expect(nextFires(cron('0 9 * * *'), 'UTC', utc(2026, 10, 21, 9), 1)).toEqual([utc(2026, 10, 22, 9)]);
    expect(nextFires(cron('0 9 * * *'), 'UTC', utc(2026, 10, 21, 8, 59, 59, 999), 1)).toEqual([utc(2026, 10, 21, 9)]);
  });

  it('returns nothing for count 0', () => {
    expect(nextFires(cron('* * * * *'), 'UTC', FRI_NOON, 0)).toEqual([]);
  });

  it('stops after about five years', () => {
    expect(nextFires(cron('0 0 30 2 *'), 'UTC', FRI_NOON, 3)).toEqual([]);
    // 29 Feb: 2028 is within reach, 2032 is not.
    expect(iso(nextFires(cron('0 0 29 2 *'), 'UTC', utc(2026, 0, 1), 3))).toEqual(iso([utc(2028, 1, 29)]));
  });

  it('walks month and year ends', () => {
    expect(iso(nextFires(cron('0 12 31 * *'), 'UTC', utc(2026, 10, 1), 3))).toEqual(iso([utc(2026, 11, 31, 12), utc(2027, 0, 31, 12), utc(2027, 2, 31, 12)]));
  });
});

describe('DST transitions', () => {
  const dayFires = (fires: readonly number[], from: number, to: number) => fires.filter((t) => t >= from && t < to);

  describe('Europe/Berlin 2026', () => {
    const Z = 'Europe/Berlin';
    it('daily 02:30 fires once on spring-forward day, at 03:00 local (01:00 UTC)', () => {
      const fires = nextFires(cron('30 2 * * *'), Z, utc(2026, 2, 27, 12), 3);
      expect(iso(fires)).toEqual(iso([utc(2026, 2, 28, 1, 30), utc(2026, 2, 29, 1, 0), utc(2026, 2, 30, 0, 30)]));
      // 29 Mar local runs from 28 Mar 23:00 UTC to 29 Mar 22:00 UTC.
      expect(dayFires(fires, utc(2026, 2, 28, 23), utc(2026, 2, 29, 22))).toEqual([utc(2026, 2, 29, 1, 0)]);
    });
    it('daily 02:30 fires once on fall-back day, at the first 02:30 (00:30 UTC)', () => {
      const fires = nextFires(cron('30 2 * * *'), Z, utc(2026, 9, 24, 12), 3);
      expect(iso(fires)).toEqual(iso([utc(2026, 9, 25, 0, 30), utc(2026, 9, 26, 1, 30), utc(2026, 9, 27, 1, 30)]));
      expect(dayFires(fires, utc(2026, 9, 24, 22), utc(2026, 9, 25, 23))).toEqual([utc(2026, 9, 25, 0, 30)]);
    });
    it('daily 09:00 is at the right UTC instant the day before, of and after each transition', () => {
      expect(iso(nextFires(cron('0 9 * * *'), Z, utc(2026, 2, 28), 3))).toEqual(iso([utc(2026, 2, 28, 8), utc(2026, 2, 29, 7), utc(2026, 2, 30, 7)]));
      expect(iso(nextFires(cron('0 9 * * *'), Z, utc(2026, 9, 24), 3))).toEqual(iso([utc(2026, 9, 24, 7), utc(2026, 9, 25, 8), utc(2026, 9, 26, 8)]));
    });
    it('wall times inside the gap collapse onto one fire, strictly increasing', () => {
      expect(iso(nextFires(cron('*/15 2 * * *'), Z, utc(2026, 2, 28, 12), 3))).toEqual(iso([utc(2026, 2, 29, 1), utc(2026, 2, 30, 0), utc(2026, 2, 30, 0, 15)]));
      expect(iso(nextFires(cron('0,30 2,3 * * *'), Z, utc(2026, 2, 28, 12), 3))).toEqual(iso([utc(2026, 2, 29, 1), utc(2026, 2, 29, 1, 30), utc(2026, 2, 30, 0)]));
    });
    it('a half-hourly schedule skips the repeated hour on fall-back day', () => {
      const fires = nextFires(cron('0,30 1-3 * * *'), Z, utc(2026, 9, 24, 12), 6);
      expect(iso(fires)).toEqual(iso([
        utc(2026, 9, 24, 23, 0), utc(2026, 9, 24, 23, 30), // 01:00, 01:30 CEST
        utc(2026, 9, 25, 0, 0), utc(2026, 9, 25, 0, 30), // 02:00, 02:30 CEST (first)
        utc(2026, 9, 25, 2, 0), utc(2026, 9, 25, 2, 30), // 03:00, 03:30 CET
      ]));
    });
  });

  describe('America/New_York 2026', () => {
    const Z = 'America/New_York';
    it('daily 02:30 fires once on spring-forward day (8 Mar), at 03:00 EDT', () => {
      const fires = nextFires(cron('30 2 * * *'), Z, utc(2026, 2, 7), 3);
      expect(iso(fires)).toEqual(iso([utc(2026, 2, 7, 7, 30), utc(2026, 2, 8, 7, 0), utc(2026, 2, 9, 6, 30)]));
    });
    it('daily 01:30 fires once on fall-back day (1 Nov), at the first 01:30 (EDT)', () => {
      const fires = nextFires(cron('30 1 * * *'), Z, utc(2026, 9, 31, 12), 3);
      expect(iso(fires)).toEqual(iso([utc(2026, 10, 1, 5, 30), utc(2026, 10, 2, 6, 30), utc(2026, 10, 3, 6, 30)]));
    });
    it('daily 02:30 on fall-back day is not repeated', () => {
      const fires = nextFires(cron('30 2 * * *'), Z, utc(2026, 9, 31, 12), 2);
      expect(iso(fires)).toEqual(iso([utc(2026, 10, 1, 7, 30), utc(2026, 10, 2, 7, 30)]));
    });
    it('daily 09:00 is at the right UTC instant around both transitions', () => {
      expect(iso(nextFires(cron('0 9 * * *'), Z, utc(2026, 2, 7), 3))).toEqual(iso([utc(2026, 2, 7, 14), utc(2026, 2, 8, 13), utc(2026, 2, 9, 13)]));
      expect(iso(nextFires(cron('0 9 * * *'), Z, utc(2026, 9, 31), 3))).toEqual(iso([utc(2026, 9, 31, 13), utc(2026, 10, 1, 14), utc(2026, 10, 2, 14)]));
    });
  });

  it('Australia/Lord_Howe 30-minute shifts', () => {
    // Spring forward 4 Oct 2026 02:00 → 02:30 (+10:30 → +11); fall back 5 Apr 2026 02:00 → 01:30.
    expect(iso(nextFires(cron('15 2 * * *'), 'Australia/Lord_Howe', utc(2026, 9, 2), 3))).toEqual(iso([utc(2026, 9, 2, 15, 45), utc(2026, 9, 3, 15, 30), utc(2026, 9, 4, 15, 15)]));
    expect(iso(nextFires(cron('45 1 * * *'), 'Australia/Lord_Howe', utc(2026, 3, 3), 3))).toEqual(iso([utc(2026, 3, 3, 14, 45), utc(2026, 3, 4, 14, 45), utc(2026, 3, 5, 15, 15)]));
  });
});

describe('previousFire', () => {
  it('finds the latest fire at or before the instant', () => {
    const c = cron('30 10 * * 1-5');
    expect(previousFire(c, 'UTC', utc(2026, 10, 23, 10, 30))).toBe(utc(2026, 10, 23, 10, 30));
    expect(previousFire(c, 'UTC', utc(2026, 10, 23, 10, 29))).toBe(utc(2026, 10, 20, 10, 30));
    expect(previousFire(c, 'Europe/Berlin', FRI_NOON)).toBe(utc(2026, 10, 20, 9, 30));
  });
  it('gives up after about 400 days', () => {
    expect(previousFire(cron('0 0 30 2 *'), 'UTC', FRI_NOON)).toBeUndefined();
    expect(previousFire(cron('0 0 29 2 *'), 'UTC', utc(2026, 0, 1))).toBeUndefined(); // 2024 is too far back
    expect(previousFire(cron('0 0 29 2 *'), 'UTC', utc(2028, 5, 1))).toBe(utc(2028, 1, 29));
  });

  it.each([
    ['30 2 * * *', 'Europe/Berlin', utc(2026, 2, 25)],
    ['30 2 * * *', 'Europe/Berlin', utc(2026, 9, 22)],
    ['*/15 1-3 * * *', 'Europe/Berlin', utc(2026, 2, 28, 20)],
    ['*/15 1-3 * * *', 'Europe/Berlin', utc(2026, 9, 24, 20)],
    ['30 1,2 * * *', 'America/New_York', utc(2026, 2, 6)],
    ['30 1,2 * * *', 'America/New_York', utc(2026, 9, 30)],
    ['*/30 * * * *', 'Australia/Lord_Howe', utc(2026, 9, 3, 12)],
    ['*/30 * * * *', 'Australia/Lord_Howe', utc(2026, 3, 4, 12)],
    ['0 9 13 * 5', 'Asia/Kolkata', utc(2026, 0, 1)],
    ['30 10 * * 1-5', 'America/New_York', FRI_NOON],
  ])('agrees with nextFires for %s in %s', (expr, zone, after) => {
    const c = cron(expr);
    const fires = nextFires(c, zone, after, 12);
    expect(fires).toHaveLength(12);
    fires.forEach((t, i) => {
      if (i > 0) expect(t).toBeGreaterThan(fires[i - 1]!);
      expect(previousFire(c, zone, t)).toBe(t);
      expect(previousFire(c, zone, t + 59_999)).toBe(t);
      const before = previousFire(c, zone, t - 1);
      if (i > 0) expect(before).toBe(fires[i - 1]);
      else expect(before! <= after).toBe(true);
    });
  });
});

describe('day-of-month / day-of-week (Vixie semantics)', () => {
  const from = utc(2026, 0, 1); // Thu 1 Jan 2026; 13 Jan is a Tuesday
  it('fires on the 13th OR on Fridays when both are restricted', () => {
    expect(iso(nextFires(cron('0 9 13 * 5'), 'UTC', from, 5))).toEqual(iso([utc(2026, 0, 2, 9), utc(2026, 0, 9, 9), utc(2026, 0, 13, 9), utc(2026, 0, 16, 9), utc(2026, 0, 23, 9)]));
  });
  it('needs only the restricted field when the other is *', () => {
    expect(iso(nextFires(cron('0 9 13 * *'), 'UTC', from, 2))).toEqual(iso([utc(2026, 0, 13, 9), utc(2026, 1, 13, 9)]));
    expect(iso(nextFires(cron('0 9 * * 5'), 'UTC', from, 2))).toEqual(iso([utc(2026, 0, 2, 9), utc(2026, 0, 9, 9)]));
  });
  it('treats a field starting with * (such as */1) as unrestricted, so the other must match', () => {
    expect(iso(nextFires(cron('0 9 */1 * 5'), 'UTC', from, 2))).toEqual(iso([utc(2026, 0, 2, 9), utc(2026, 0, 9, 9)]));
  });
  it('matches every day when a restricted day-of-month covers the month (1-31 OR Friday)', () => {
    expect(iso(nextFires(cron('0 9 1-31 * 5'), 'UTC', from, 3))).toEqual(iso([utc(2026, 0, 1, 9), utc(2026, 0, 2, 9), utc(2026, 0, 3, 9)]));
  });
  it('still honours the month', () => {
    expect(iso(nextFires(cron('0 9 13 feb 5'), 'UTC', from, 3))).toEqual(iso([utc(2026, 1, 6, 9), utc(2026, 1, 13, 9), utc(2026, 1, 20, 9)]));
  });
});

describe('minGapMinutes', () => {
  it.each([
    ['0 9 * * *', 1440],
    ['*/15 * * * *', 15],
    ['*/10 * * * *', 10],
    ['*/14 * * * *', 4], // :56 → :00
    ['0,10 9 * * *', 10],
    ['0 9,17 * * *', 480],
    ['30 10 * * 1-5', 1440],
    ['55 23 * * *', 1440],
    ['5,55 0,23 * * *', 10], // 23:55 → 00:05 the next day
    ['5,55 0,23 * * 1', 50], // Mondays only: no wrap
    ['5,55 0,23 * * 1,3', 50],
    ['5,55 0,23 1,15 * *', 50],
    ['5,55 0,23 31,1 * *', 10], // 31st → 1st
    ['5,55 0,23 1 * 3', 10], // OR of both: assumed consecutive
  ])('%s → %d', (expr, gap) => {
    expect(minGapMinutes(cron(expr))).toBe(gap);
  });
});
