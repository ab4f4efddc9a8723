/**
 * Local calendar days as whole numbers (days since 1970-01-01 on the person's wall calendar),
 * so "days in a row" is subtraction, whatever the zone's offset or daylight saving did that day.
 */
import { zonedParts } from '../schedule/zoned-time.js';

const DAY_MS = 86_400_000;

/** The person's calendar date at `instantMs` in `zone`, as a day number. */
export function localDayOf(instantMs: number, zone: string): number {
  const p = zonedParts(instantMs, zone);
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday (day 0, 1970-01-01, was a Thursday). */
export const mondayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** The Monday of the week `day` is in. */
export const weekStart = (day: number): number => day - mondayIndex(day);

/** "Mon 3 Mar", for chart labels and alt text. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}
