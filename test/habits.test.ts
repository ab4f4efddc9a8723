import { describe, expect, it } from 'vitest';
import { chartAltText, chartOf, chartText } from '../src/core/habits/chart.js';
import { localDayOf, mondayIndex } from '../src/core/habits/days.js';
import { countsForStreak, streaksOf, thisWeek, totalsOf, weekStrip, type DayTotals } from '../src/core/habits/streaks.js';
import { TEAM_STREAK_WINDOW, teamCard, teamWeek } from '../src/core/habits/team-summary.js';
import { chartLayout } from '../src/pictures/chart-svg.js';

const DAY = 86_400_000;
/** A day with one finished routine of five exercises and five minutes. */
const routineDay = (day: number, extra: Partial<DayTotals> = {}): DayTotals => ({ day, sessions: 1, routines: 1, exercises: 5, seconds: 300, ...extra });
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);

describe('local days', () => {
  it('counts a finish on the calendar day of the person, not of UTC', () => {
    const instant = Date.UTC(2026, 2, 3, 23, 30); // Tue 3 Mar 23:30 UTC
    expect(localDayOf(instant, 'UTC')).toBe(dayOf('2026-03-03'));
    expect(localDayOf(instant, 'Europe/Berlin')).toBe(dayOf('2026-03-04')); // 00:30 Wednesday
    expect(localDayOf(instant, 'America/Los_Angeles')).toBe(dayOf('2026-03-03')); // 15:30
    expect(localDayOf(Date.UTC(2026, 2, 3, 13), 'Pacific/Kiritimati')).toBe(dayOf('2026-03-04')); // UTC+14
  });

  it('splits days at local midnight: 23:59 and 00:00 are two days', () => {
    const beforeMidnight = Date.UTC(2026, 5, 1, 21, 59); // 23:59 in Berlin (summer, UTC+2)
    expect(localDayOf(beforeMidnight, 'Europe/Berlin')).toBe(dayOf('2026-06-01'));
    expect(localDayOf(beforeMidnight + 60_000, 'Europe/Berlin')).toBe(dayOf('2026-06-02'));
  });

  it('keeps daylight-saving days one day long: the 23- and 25-hour days are still one step', () => {
    // Europe/Berlin: 29 Mar 2026 has 23 hours, 25 Oct 2026 has 25.
    const springEve = localDayOf(Date.UTC(2026, 2, 28, 22, 30), 'Europe/Berlin'); // 23:30 Sat (UTC+1)
    const springLate = localDayOf(Date.UTC(2026, 2, 29, 21, 30), 'Europe/Berlin'); // 23:30 Sun (UTC+2)
    expect(springLate - springEve).toBe(1);
    const fallEarly = localDayOf(Date.UTC(2026, 9, 24, 22, 30), 'Europe/Berlin'); // 00:30 Sun (UTC+2)
    const fallLate = localDayOf(Date.UTC(2026, 9, 25, 22, 30), 'Europe/Berlin'); // 23:30 Sun (UTC+1)
    expect(fallLate).toBe(fallEarly);
    expect(streaksOf([routineDay(springEve), routineDay(springLate)], springLate)).toEqual({ current: 2, best: 2 });
  });

  it('numbers weekdays from Monday', () => {
    expect(mondayIndex(dayOf('2026-11-23'))).toBe(0); // a Monday
    expect(mondayIndex(dayOf('2026-11-29'))).toBe(6); // a Sunday
  });
});

describe('streaks', () => {
  const today = dayOf('2026-11-26');

  it('counts days in a row up to today, and keeps the streak alive until today ends', () => {
    const days = [routineDay(today - 2), routineDay(today - 1)];
    expect(streaksOf(days, today)).toEqual({ current: 2, best: 2 });
    expect(streaksOf([...days, routineDay(today)], today)).toEqual({ current: 3, best: 3 });
  });

  it('breaks on a missed day but remembers the best run', () => {
    const days = [today - 9, today - 8, today - 7, today - 6, today - 4, today - 3].map((d) => routineDay(d));
    expect(streaksOf(days, today)).toEqual({ current: 0, best: 4 });
    expect(streaksOf([...days, routineDay(today)], today)).toEqual({ current: 1, best: 4 });
  });

  it('counts a day with five finished exercises and no finished routine, but not four', () => {
    const five: DayTotals = { day: today, sessions: 2, routines: 0, exercises: 5, seconds: 200 };
    const four: DayTotals = { ...five, exercises: 4 };
    expect(countsForStreak(five)).toBe(true);
    expect(countsForStreak(four)).toBe(false);
    expect(streaksOf([routineDay(today - 1), four], today)).toEqual({ current: 1, best: 1 });
  });

  it('has no streak without history', () => {
    expect(streaksOf([], today)).toEqual({ current: 0, best: 0 });
  });
});

describe('the week strip and totals', () => {
  const thursday = dayOf('2026-11-26');
  const monday = thursday - 3;

  it('fills the days of this week that count, Monday to Sunday', () => {
    const days = [routineDay(monday - 1), routineDay(monday), routineDay(monday + 1), { ...routineDay(monday + 2), routines: 0, exercises: 2 }, routineDay(thursday)];
    expect(weekStrip(days, thursday)).toBe('M ▰ T ▰ W ▱ T ▰ F ▱ S ▱ S ▱');
  });

  it('sums sessions and seconds this week and all time', () => {
    const days = [routineDay(monday - 1, { sessions: 2, seconds: 600 }), routineDay(monday), routineDay(thursday)];
    expect(thisWeek(days, thursday)).toEqual({ sessions: 2, seconds: 600 });
    expect(totalsOf(days)).toEqual({ sessions: 4, seconds: 1200 });
  });
});

describe('the chart', () => {
  const today = dayOf('2026-11-26');

  it('has one bar per day of the last four weeks, oldest first, missing days as zero', () => {
    const chart = chartOf('Yours', [routineDay(today, { sessions: 3 }), routineDay(today - 27), routineDay(today - 40)], today, 28, 'sessions');
    expect(chart.bars).toHaveLength(28);
    expect(chart.bars[0]).toEqual({ day: today - 27, value: 1 });
    expect(chart.bars[27]).toEqual({ day: today, value: 3 });
    expect(chart.bars.slice(1, 27).every((b) => b.value === 0)).toBe(true);
  });

  it('counts minutes when asked', () => {
    expect(chartOf('Yours', [routineDay(today, { seconds: 150 })], today, 1, 'minutes').bars).toEqual([{ day: today, value: 3 }]);
  });

  it('states every number in its alt text', () => {
    const chart = chartOf('Team sessions', [routineDay(today, { sessions: 4 }), routineDay(today - 2, { sessions: 2 })], today, 3, 'sessions');
    expect(chartAltText(chart)).toBe('Team sessions: sessions per day from Tue 24 Nov to Thu 26 Nov: 2, 0, 4 (total 6).');
  });

  it('draws bars whose heights are their share of the busiest day, and labels each Monday', () => {
    const chart = chartOf('Yours', [routineDay(today, { sessions: 4 }), routineDay(today - 1, { sessions: 2 })], today, 7, 'sessions');
    const layout = chartLayout(chart);
    expect(layout.axisMax).toBe(4);
    const [monday, , wednesday, thursday] = layout.bars.slice(3);
    expect(wednesday!.height * 2).toBeCloseTo(thursday!.height);
    expect(layout.bars.filter((b) => b.height === 0)).toHaveLength(5);
    expect(layout.labels.map((l) => l.text)).toEqual(['20 Nov', '23 Nov']);
    expect(monday!.day).toBe(dayOf('2026-11-23'));
  });

  it('as text art: a block per day by share of the busiest, weeks apart', () => {
    const chart = chartOf('Yours', [routineDay(today, { sessions: 4 }), routineDay(today - 1, { sessions: 2 })], today, 8, 'sessions');
    expect(chartText(chart)).toBe('· ·····▄█  (most: 4 sessions a day)');
  });
});

describe('the team week', () => {
  const today = dayOf('2026-11-26');
  const pairs = (userId: string, days: number[]) => days.map((day) => ({ userId, day }));

  it('ranks current streaks (alive until today ends), drops broken ones, and caps the window', () => {
    const streakDays = [
      ...pairs('A', [today - 2, today - 1, today]),
      ...pairs('B', [today - 1]),
      ...pairs('C', [today - 5]),
      ...pairs('D', Array.from({ length: TEAM_STREAK_WINDOW }, (_, i) => today - i)),
    ];
    const week = teamWeek({ people: 4, days: [{ day: today, sessions: 3, seconds: 900, groupSessions: 1 }, { day: today - 9, sessions: 5, seconds: 60, groupSessions: 0 }] }, streakDays, today);
    expect(week.streaks).toEqual([{ userId: 'D', days: 28 }, { userId: 'A', days: 3 }, { userId: 'B', days: 1 }]);
    expect(week.streaks.map((s) => s.days)).toEqual(week.streaks.map((s) => streaksOf(streakDays.filter((p) => p.userId === s.userId).map((p) => routineDay(p.day)), today).current));
    expect({ people: week.people, sessions: week.sessions, seconds: week.seconds, groupSessions: week.groupSessions }).toEqual({ people: 4, sessions: 3, seconds: 900, groupSessions: 1 });
    expect(week.chart.bars.map((b) => b.value)).toEqual([0, 0, 0, 0, 0, 0, 3]);
    const card = teamCard(week, new Set(['A']), '');
    expect(card.fields?.[0]?.value).toBe('someone: 28+ days\n<@A>: 3 days\nsomeone: 1 day');
  });
});
