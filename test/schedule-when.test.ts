import { describe, expect, it } from 'vitest';
import {
  MIN_GAP_MINUTES,
  checkFrequency,
  formatInZone,
  nextFiresOf,
  parseDuration,
  parseHours,
  parseTimeOfDay,
  parseWhen,
  previousFireOf,
} from '../src/core/schedule/when.js';

const utc = Date.UTC;
const iso = (ts: readonly number[]): string[] => ts.map((t) => new Date(t).toISOString());
const EXAMPLE_TAIL = 'Try: daily 15:00, weekdays 10:30,15:00, mon,wed,fri 09:45 or a cron like 30 10 * * 1-5.';

function ok(text: string) {
  const r = parseWhen(text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r;
}
function fail(text: string): string {
  const r = parseWhen(text);
  if (r.ok) throw new Error(`${text} parsed as ${r.crons.join(' | ')}`);
  return r.message;
}

describe('parseWhen', () => {
  it.each([
    ['daily 15:00', ['0 15 * * *'], 'every day at 15:00'],
    ['Daily 9:05', ['5 9 * * *'], 'every day at 09:05'],
    ['every day 15:00', ['0 15 * * *'], 'every day at 15:00'],
    ['daily at 15:00', ['0 15 * * *'], 'every day at 15:00'],
    ['weekdays 10:30,15:00', ['30 10 * * 1-5', '0 15 * * 1-5'], 'weekdays (Mon–Fri) at 10:30 and 15:00'],
    ['WEEKDAYS 10:30, 15:00', ['30 10 * * 1-5', '0 15 * * 1-5'], 'weekdays (Mon–Fri) at 10:30 and 15:00'],
    ['weekdays 15:00,10:30,10:30', ['30 10 * * 1-5', '0 15 * * 1-5'], 'weekdays (Mon–Fri) at 10:30 and 15:00'],
    ['weekends 11:00', ['0 11 * * 0,6'], 'weekends (Sat and Sun) at 11:00'],
    ['mon,wed,fri 09:45', ['45 9 * * 1,3,5'], 'every Mon, Wed and Fri at 09:45'],
    ['Monday,Wednesday,Friday 09:45', ['45 9 * * 1,3,5'], 'every Mon, Wed and Fri at 09:45'],
    ['mon, wed, fri 09:45', ['45 9 * * 1,3,5'], 'every Mon, Wed and Fri at 09:45'],
    ['mon wed fri 09:45', ['45 9 * * 1,3,5'], 'every Mon, Wed and Fri at 09:45'],
    ['mon-fri 08:00', ['0 8 * * 1-5'], 'weekdays (Mon–Fri) at 08:00'],
    ['tue-thu,sat 8am,12pm,4pm', ['0 8 * * 2-4,6', '0 12 * * 2-4,6', '0 16 * * 2-4,6'], 'every Tue–Thu and Sat at 08:00, 12:00 and 16:00'],
    ['sat-sun 11:00', ['0 11 * * 0,6'], 'weekends (Sat and Sun) at 11:00'],
    ['fri-mon 11:00', ['0 11 * * 0,1,5,6'], 'every Mon and Fri–Sun at 11:00'],
    ['mon-sun 11:00', ['0 11 * * *'], 'every day at 11:00'],
    ['every monday 9am', ['0 9 * * 1'], 'every Monday at 09:00'],
    ['daily 3pm', ['0 15 * * *'], 'every day at 15:00'],
    ['daily 3:15pm', ['15 15 * * *'], 'every day at 15:15'],
    ['daily 3 pm', ['0 15 * * *'], 'every day at 15:00'],
    ['daily 12am,12pm', ['0 0 * * *', '0 12 * * *'], 'every day at 00:00 and 12:00'],
    ['daily 0:00,23:59', ['0 0 * * *', '59 23 * * *'], 'every day at 00:00 and 23:59'],
    ['30 10 * * 1-5', ['30 10 * * 1-5'], 'cron 30 10 * * 1-5'],
    ['*/30 9-17 * * mon-fri', ['*/30 9-17 * * mon-fri'], 'cron */30 9-17 * * mon-fri'],
  ])('%j', (text, crons, description) => {
    expect(ok(text)).toEqual({ ok: true, crons, description, rest: [] });
  });

  it('returns the unconsumed words, case kept', () => {
    expect(ok('weekdays 10:30, 15:00 Desk Europe/Berlin').rest).toEqual(['Desk', 'Europe/Berlin']);
    expect(ok('daily 15:00 full').rest).toEqual(['full']);
    expect(ok('mon,wed 9am America/New_York').rest).toEqual(['America/New_York']);
    expect(ok('30 10 * * 1-5 full Asia/Kolkata').rest).toEqual(['full', 'Asia/Kolkata']);
    expect(ok('  daily   15:00  ').rest).toEqual([]);
  });

  it.each([
    ['', 'Tell me when'],
    ['   ', 'Tell me when'],
    ['daily at teatime', 'I couldn\'t read "at teatime" as a time.'],
    ['daily teatime', 'I couldn\'t read "teatime" as a time.'],
    ['daily 15', 'I couldn\'t read "15" as a time.'],
    ['daily 9:5', 'I couldn\'t read "9:5" as a time.'],
    ['daily', '"daily" needs a time, e.g. daily 15:00.'],
    ['daily 24:00', '"24:00" isn\'t a time: the hour must be 0-23.'],
    ['weekdays 10:30,25:00', '"25:00" isn\'t a time: the hour must be 0-23.'],
    ['daily 10:60', '"10:60" isn\'t a time: the minutes must be 00-59.'],
    ['daily 13pm', '"13pm" isn\'t a time: with am/pm the hour must be 1-12.'],
    ['daily 0am', '"0am" isn\'t a time: with am/pm the hour must be 1-12.'],
    ['funday 10:00', 'I don\'t know the day "funday".'],
    ['mon,funday 10:00', 'I don\'t know the day "funday".'],
    ['mon-funday 10:00', 'I don\'t know the day "funday".'],
    ['teatime', 'I don\'t know the day "teatime".'],
    ['15:00', 'Put the days before the time, e.g. daily 15:00.'],
    ['at 3pm', 'Put the days before the time, e.g. daily 3pm.'],
    ['30 10 * *', 'I couldn\'t read "30 10 * *" as a cron: expected 5 fields (minute hour day month weekday), got 4.'],
    ['0 30 10 * * 1-5', 'I couldn\'t read "0 30 10 * * 1-5" as a cron: expected 5 fields (minute hour day month weekday), got 6.'],
    ['61 10 * * *', 'I couldn\'t read "61 10 * * *" as a cron: minute field "61" is out of range 0-59.'],
    ['0 24 * * 1-5', 'I couldn\'t read "0 24 * * 1-5" as a cron: hour field "24" is out of range 0-23.'],
    ['0 9 * * 8', 'I couldn\'t read "0 9 * * 8" as a cron: day-of-week field "8" is out of range 0-7.'],
    ['0 9 * * funday', 'day-of-week field "funday" is not a number 0-7 or a name sun-sat'],
    ['@daily', 'I couldn\'t read "@daily" as a schedule.'],
  ])('refuses %j', (text, message) => {
    const error = fail(text);
    expect(error).toContain(message);
    expect(error.endsWith(EXAMPLE_TAIL)).toBe(true);
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['0:00', 0], ['09:30', 570], ['9:30', 570], ['23:59', 1439],
    ['9am', 540], ['9AM', 540], ['9 a.m.', 540], ['3pm', 900], ['3:15pm', 915], ['12am', 0], ['12:30am', 30], ['12pm', 720], ['12:45pm', 765],
  ])('%s → %d', (text, minutes) => {
    expect(parseTimeOfDay(text)).toEqual({ ok: true, minutes });
  });
  it.each(['', '9', '930', '9.30', '24:00', '9:60', '13pm', '0pm', 'noon', '9:5'])('refuses %j', (text) => {
    expect(parseTimeOfDay(text).ok).toBe(false);
  });
});

describe('checkFrequency', () => {
  it(`MIN_GAP_MINUTES is 15`, () => {
    expect(MIN_GAP_MINUTES).toBe(15);
  });
  it.each([
    [['*/10 * * * *'], 'every 10 minutes'],
    [['*/14 * * * *'], 'every 4 minutes'],
    [['0,10 9 * * *'], 'every 10 minutes'],
    [['* * * * *'], 'every 1 minute.'],
    [ok('daily 10:00,10:05').crons, '10:00 and 10:05 are only 5 minutes apart'],
    [ok('weekdays 10:00,10:14').crons, '10:00 and 10:14 are only 14 minutes apart'],
    [ok('daily 23:55,00:05').crons, '23:55 and 00:05 the next day are only 10 minutes apart'],
    [['0 9 * * 1', '5 9 * * 1,2'], '09:00 and 09:05 are only 5 minutes apart'],
    [['0 9 1 * *', '5 9 * * 2'], '09:00 and 09:05 are only 5 minutes apart'], // the 1st can be a Tuesday
  ])('refuses %j', (crons, message) => {
    const error = checkFrequency(crons);
    expect(error).toContain(message);
    expect(error).toContain('at least 15 minutes');
    expect(error).toMatch(/Try: .*\.$/);
  });
  it.each([
    [['*/15 * * * *']],
    [ok('weekdays 10:30,15:00').crons],
    [ok('daily 10:00,10:15').crons],
    [ok('mon 23:55').crons.concat(ok('wed 00:05').crons)],
    [ok('daily 9:00').crons],
    [['0 9-17 * * 1-5']],
    [['0 9 * * 1', '5 9 * * 2']], // never on the same day
    [['0 9 1 * *', '5 9 2 * *']],
  ])('accepts %j', (crons) => {
    expect(checkFrequency(crons)).toBeUndefined();
  });
  it('is conservative about crons on different days', () => {
    // Mon 23:55 and Tue 00:05 are 10 minutes apart.
    expect(checkFrequency([...ok('mon 23:55').crons, ...ok('tue 00:05').crons])).toContain('10 minutes apart');
  });
  it('reports an unreadable cron', () => {
    expect(checkFrequency(['61 * * * *'])).toContain('minute field "61" is out of range 0-59');
  });
});

describe('nextFiresOf / previousFireOf', () => {
  const FRI_NOON = utc(2026, 10, 20, 12); // Fri 20 Nov 2026
  it('merges several crons in order', () => {
    const { crons } = ok('weekdays 10:30,15:00');
    expect(iso(nextFiresOf(crons, 'UTC', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 20, 15), utc(2026, 10, 23, 10, 30), utc(2026, 10, 23, 15)]));
    expect(iso(nextFiresOf(crons, 'Asia/Kolkata', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 23, 5), utc(2026, 10, 23, 9, 30), utc(2026, 10, 24, 5)]));
    expect(iso(nextFiresOf(crons, 'America/New_York', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 20, 15, 30), utc(2026, 10, 20, 20), utc(2026, 10, 23, 15, 30)]));
  });
  it('removes duplicates between crons', () => {
    expect(iso(nextFiresOf(['0 9 * * *', '0 9 * * 1-5', '0 9 * * 6'], 'UTC', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 21, 9), utc(2026, 10, 22, 9), utc(2026, 10, 23, 9)]));
  });
  it('removes duplicates from the spring-forward gap across crons', () => {
    const { crons } = ok('daily 02:30,03:00');
    expect(iso(nextFiresOf(crons, 'Europe/Berlin', utc(2026, 2, 28, 12), 3))).toEqual(iso([utc(2026, 2, 29, 1), utc(2026, 2, 30, 0, 30), utc(2026, 2, 30, 1)]));
  });
  it('daily and weekday schedules: next three in several zones', () => {
    const daily = ok('daily 09:00').crons;
    expect(iso(nextFiresOf(daily, 'Australia/Lord_Howe', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 20, 22), utc(2026, 10, 21, 22), utc(2026, 10, 22, 22)]));
    expect(iso(nextFiresOf(daily, 'Asia/Kolkata', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 21, 3, 30), utc(2026, 10, 22, 3, 30), utc(2026, 10, 23, 3, 30)]));
    const weekdays = ok('weekdays 9am').crons;
    expect(iso(nextFiresOf(weekdays, 'Europe/Berlin', FRI_NOON, 3))).toEqual(iso([utc(2026, 10, 23, 8), utc(2026, 10, 24, 8), utc(2026, 10, 25, 8)]));
  });
  it('previousFireOf takes the latest of all crons and agrees with nextFiresOf', () => {
    const { crons } = ok('weekdays 10:30,15:00');
    expect(previousFireOf(crons, 'UTC', utc(2026, 10, 23, 9))).toBe(utc(2026, 10, 20, 15));
    const fires = nextFiresOf(crons, 'Europe/Berlin', FRI_NOON, 8);
    for (let i = 1; i < fires.length; i++) {
      expect(previousFireOf(crons, 'Europe/Berlin', fires[i]!)).toBe(fires[i]);
      expect(previousFireOf(crons, 'Europe/Berlin', fires[i]! - 1)).toBe(fires[i - 1]);
    }
    expect(previousFireOf(['0 0 30 2 *'], 'UTC', FRI_NOON)).toBeUndefined();
  });
  it('throws on an invalid cron (callers validate first)', () => {
    expect(() => nextFiresOf(['61 * * * *'], 'UTC', 0, 1)).toThrow(/minute field "61"/);
  });
});

describe('parseDuration', () => {
  // Sat 28 Mar 2026, 23:30 in Berlin (22:30 UTC): the night before spring-forward.
  const NOW = utc(2026, 2, 28, 22, 30);
  const Z = 'Europe/Berlin';
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;
  it.each([
    ['30m', 30 * MIN], ['30 min', 30 * MIN], ['90 min', 90 * MIN], ['45 minutes', 45 * MIN],
    ['2h', 2 * HOUR], ['2 hours', 2 * HOUR], ['1 hour', HOUR], ['2 HRS', 2 * HOUR], ['1.5h', 90 * MIN],
    ['1d', DAY], ['3 days', 3 * DAY], ['1w', 7 * DAY], ['2 weeks', 14 * DAY], ['for 2h', 2 * HOUR],
    ['30d', 30 * DAY], ['720h', 30 * DAY], ['4w', 28 * DAY],
  ])('%j', (text, ms) => {
    expect(parseDuration(text, NOW, Z)).toEqual({ ok: true, untilMs: NOW + ms });
  });
  it('today lasts until the next local midnight', () => {
    expect(parseDuration('today', NOW, Z)).toEqual({ ok: true, untilMs: utc(2026, 2, 28, 23) });
    expect(parseDuration('Today', utc(2026, 10, 20, 12), 'America/New_York')).toEqual({ ok: true, untilMs: utc(2026, 10, 21, 5) });
    expect(parseDuration('today', utc(2026, 10, 20, 12), 'Asia/Kolkata')).toEqual({ ok: true, untilMs: utc(2026, 10, 20, 18, 30) });
  });
  it('tomorrow lasts until the end of tomorrow, across a 23-hour day', () => {
    expect(parseDuration('tomorrow', NOW, Z)).toEqual({ ok: true, untilMs: utc(2026, 2, 29, 22) });
    expect(parseDuration('tomorrow', utc(2026, 10, 20, 12), 'UTC')).toEqual({ ok: true, untilMs: utc(2026, 10, 22) });
  });
  it.each([
    ['', 'How long should I pause for?'],
    ['soon', 'I couldn\'t read "soon" as a length of time.'],
    ['2x', 'I couldn\'t read "2x" as a length of time.'],
    ['h', 'I couldn\'t read "h" as a length of time.'],
    ['-2h', 'I couldn\'t read "-2h" as a length of time.'],
    ['0m', 'longer than that'],
    ['31d', 'at most 30 days'],
    ['721h', 'at most 30 days'],
    ['5w', 'at most 30 days'],
  ])('refuses %j', (text, message) => {
    const r = parseDuration(text, NOW, Z);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.message).toContain('Try: 30m, 2h, 1d, 1w, today or tomorrow.');
    }
  });
});

describe('parseHours', () => {
  it.each([
    ['09:00-17:30', 540, 1050],
    ['9:00 - 17:30', 540, 1050],
    ['9am-5:30pm', 540, 1050],
    ['09:00 to 17:30', 540, 1050],
    ['08:00–16:00', 480, 960],
    ['0:00-23:59', 0, 1439],
  ])('%j', (text, startMin, endMin) => {
    expect(parseHours(text)).toEqual({ ok: true, startMin, endMin });
  });
  it.each(['off', 'OFF', ' none ', 'clear'])('%j clears them', (text) => {
    expect(parseHours(text)).toEqual({ ok: true, off: true });
  });
  it.each([
    ['', 'Which hours?'],
    ['17:30-09:00', 'must start before they end on the same day (17:30 is not before 09:00)'],
    ['10:00-10:00', 'must start before they end'],
    ['22:00-06:00', 'must start before they end'],
    ['09:00-24:00', '"24:00" isn\'t a time: the hour must be 0-23.'],
    ['09:00-17:60', 'the minutes must be 00-59'],
    ['9-17', 'I couldn\'t read "9" as a time.'],
    ['09:00', 'I couldn\'t read "09:00" as working hours.'],
    ['whenever', 'I couldn\'t read "whenever" as working hours.'],
  ])('refuses %j', (text, message) => {
    const r = parseHours(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.message.endsWith('Try: settings hours 09:00-17:30 (or settings hours off).')).toBe(true);
    }
  });
});

describe('formatInZone', () => {
  it('shows an en-GB style wall time with the zone', () => {
    expect(formatInZone(utc(2026, 10, 24, 14), 'Europe/Berlin')).toBe('Tue 24 Nov, 15:00 (Europe/Berlin)');
    expect(formatInZone(utc(2026, 10, 24, 14), 'UTC')).toBe('Tue 24 Nov, 14:00 (UTC)');
    expect(formatInZone(utc(2026, 10, 24, 14), 'America/New_York')).toBe('Tue 24 Nov, 09:00 (America/New_York)');
    expect(formatInZone(utc(2026, 10, 24, 20, 5), 'Asia/Kolkata')).toBe('Wed 25 Nov, 01:35 (Asia/Kolkata)');
    expect(formatInZone(utc(2026, 0, 1, 23), 'Europe/Berlin')).toBe('Fri 2 Jan, 00:00 (Europe/Berlin)');
  });
  it('shows the next three fires of a schedule', () => {
    const fires = nextFiresOf(ok('weekdays 10:30,15:00').crons, 'Europe/Berlin', utc(2026, 10, 20, 12), 3);
    expect(fires.map((t) => formatInZone(t, 'Europe/Berlin'))).toEqual([
      'Fri 20 Nov, 15:00 (Europe/Berlin)',
      'Mon 23 Nov, 10:30 (Europe/Berlin)',
      'Mon 23 Nov, 15:00 (Europe/Berlin)',
    ]);
  });
});
