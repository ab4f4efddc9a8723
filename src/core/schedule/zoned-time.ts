/**
 * Wall-clock arithmetic in IANA time zones using only `Intl` (no date libraries).
 *
 * Instants are epoch milliseconds. A "wall time" is what a clock on the wall in the zone shows.
 * Every function that takes a zone throws a RangeError for an unknown zone; check user input
 * with `isValidTimeZone` first.
 */

export interface ZonedParts {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  /** 0-23 */
  readonly hour: number;
  /** 0-59 */
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone (or alias such as `UTC`) this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  if (formatters.has(zone)) return true;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall time of `instantMs` as a UTC timestamp (seconds precision; ms dropped). */
function localAsUtc(instantMs: number, zone: string): number {
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  for (const p of formatter(zone).formatToParts(instantMs)) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value) % 24; break; // some engines print midnight as 24
      case 'minute': minute = Number(p.value); break;
      case 'second': second = Number(p.value); break;
      default: break;
    }
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 literal
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Offset in milliseconds (local − UTC) in force at `instantMs`. */
function offsetMs(instantMs: number, zone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return localAsUtc(whole, zone) - whole;
}

/** Calendar fields of `instantMs` as shown on a wall clock in `zone`. */
export function zonedParts(instantMs: number, zone: string): ZonedParts {
  const d = new Date(localAsUtc(instantMs, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/**
 * Offset of `zone` from UTC at `instantMs`, in minutes (east positive: Berlin in winter is 60,
 * New York in winter −300, Kolkata 330). Only historical local mean time gives fractions.
 */
export function offsetMinutes(instantMs: number, zone: string): number {
  return offsetMs(instantMs, zone) / MINUTE_MS;
}

/**
 * The instant at which the wall clock in `zone` shows year-month-day hour:minute.
 * Out-of-range fields roll over like `Date.UTC` (day 32 is the 1st of the next month).
 *
 * DST rules:
 * - A wall time that occurs twice (autumn fall-back, e.g. 02:30 on 25 Oct 2026 in Berlin)
 *   resolves to the FIRST occurrence (02:30 CEST = 00:30 UTC).
 * - A wall time that does not exist (spring-forward gap, e.g. 02:30 on 29 Mar 2026 in Berlin)
 *   resolves to the instant the gap ends (03:00 CEST = 01:00 UTC), i.e. the transition itself.
 *
 * Method: the offsets in force a day either side of the wall time give at most two candidate
 * instants; those that really show the wall time are occurrences and the earliest wins. If
 * neither does, the wall time is in a gap, and the transition is found by binary search (to the
 * second) between the two candidates for the first instant whose wall time is at or after it.
 */
export function wallTimeToInstant(year: number, month: number, day: number, hour: number, minute: number, zone: string): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, 0, 0);
  const local = d.getTime();

  const offsets = new Set([offsetMs(local - DAY_MS, zone), offsetMs(local, zone), offsetMs(local + DAY_MS, zone)]);
  const candidates = [...offsets].map((o) => local - o).sort((a, b) => a - b);
  for (const t of candidates) {
    if (localAsUtc(t, zone) === local) return t;
  }

  // In a gap: wall time as a function of the instant jumps over `local` between the candidates.
  const first = candidates[0]!;
  const last = candidates[candidates.length - 1]!;
  if (!(localAsUtc(first, zone) < local && localAsUtc(last, zone) > local)) {
    // Not a simple gap (should not happen with real tz data); fall back to the nearest guess.
    return local - offsetMs(local, zone);
  }
  let lo = Math.floor(first / 1000); // wall time before `local`
  let hi = Math.ceil(last / 1000); // wall time after `local`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localAsUtc(mid * 1000, zone) >= local) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** The next local midnight after `instantMs` in `zone` (the gap end if midnight is skipped). */
export function startOfNextLocalDay(instantMs: number, zone: string): number {
  const p = zonedParts(instantMs, zone);
  const next = new Date(Date.UTC(2000, 0, 1));
  next.setUTCFullYear(p.year, p.month - 1, p.day + 1);
  const at = wallTimeToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, zone);
  // Guard against exotic data where the computed midnight is not in the future.
  return at > instantMs ? at : instantMs + DAY_MS;
}
