/**
 * Habit arithmetic over one person's finished-session history, grouped by local day (pure).
 *
 * A day counts towards a streak with at least one finished routine or five finished exercises.
 * A routine stopped because of pain still counts as finished when every other step was done or
 * skipped (the history counts the painful step as skipped, so done + skipped = total).
 */
import { mondayIndex, weekStart } from './days.js';

export const EXERCISES_FOR_A_DAY = 5;

/** What one person did on one local day. */
export interface DayTotals {
  day: number;
  sessions: number;
  /** Routines finished (completed, or stopped for pain with the rest done). */
  routines: number;
  exercises: number;
  seconds: number;
  /** Sessions history records as completed: ending because something hurt included, never a failure. */
  completed?: number;
}

export const countsForStreak = (d: DayTotals): boolean => d.routines > 0 || d.exercises >= EXERCISES_FOR_A_DAY;

export interface Streaks {
  current: number;
  best: number;
}

/**
 * Current and best runs of counting days. The current streak is still alive when today does
 * not count yet but yesterday did: the day is not over.
 */
export function streaksOf(days: readonly DayTotals[], today: number): Streaks {
  const counted = [...new Set(days.filter(countsForStreak).map((d) => d.day))].sort((a, b) => a - b);
  let best = 0;
  let run = 0;
  let prev: number | undefined;
  for (const day of counted) {
    if (day > today) break;
    run = prev !== undefined && day === prev + 1 ? run + 1 : 1;
    best = Math.max(best, run);
    prev = day;
  }
  const current = prev !== undefined && prev >= today - 1 ? run : 0;
  return { current, best };
}

const WEEKDAY_LETTERS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];
/** `Streak: 3 days (best 5 days)`, as stats and the Home tab show it. */
export function streakLine(s: Streaks): string {
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  return `Streak: ${days(s.current)} (best ${days(s.best)})`;
}

export const FILLED = '▰';
export const EMPTY = '▱';

/** This week, Monday to Sunday: `M ▰ T ▰ W ▱ T ▰ F ▰ S ▱ S ▱` (days to come are empty). */
export function weekStrip(days: readonly DayTotals[], today: number): string {
  const monday = weekStart(today);
  const counting = new Set(days.filter(countsForStreak).map((d) => d.day));
  return WEEKDAY_LETTERS.map((letter, i) => `${letter} ${counting.has(monday + i) ? FILLED : EMPTY}`).join(' ');
}

export interface Totals {
  sessions: number;
  seconds: number;
}

export function totalsOf(days: readonly DayTotals[], from = -Infinity, to = Infinity): Totals {
  const within = days.filter((d) => d.day >= from && d.day <= to);
  return { sessions: within.reduce((n, d) => n + d.sessions, 0), seconds: within.reduce((n, d) => n + d.seconds, 0) };
}

/** Totals of this calendar week so far (Monday to today). */
export const thisWeek = (days: readonly DayTotals[], today: number): Totals => totalsOf(days, weekStart(today), today);

export { mondayIndex };
