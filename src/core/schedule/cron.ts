/**
 * A small 5-field cron evaluator (minute hour day-of-month month day-of-week), evaluated in an
 * IANA time zone with the DST rules of `wallTimeToInstant`:
 * - a wall time that occurs twice fires once, at its first occurrence;
 * - a wall time inside a spring-forward gap fires once, when the gap ends, and several gap
 *   times collapsing onto that instant (or onto the real time just after the gap) fire once.
 *
 * Syntax per field: `*`, `n`, `a-b`, `*` with a step (`/n`), `a-b/n`, `a/n` (= a to the field's
 * maximum, every n) and comma lists of those. Months accept jan-dec, weekdays sun-sat (case-insensitive) and
 * 0-7 with both 0 and 7 meaning Sunday.
 *
 * Day matching follows Vixie cron: a day-of-month or day-of-week field that starts with `*` is
 * unrestricted. If both are restricted a day matches when EITHER matches (`0 9 13 * 5` fires
 * on every 13th and on every Friday); otherwise both must match.
 */
import { fail, type Result } from '../result.js';
import { wallTimeToInstant, zonedParts } from './zoned-time.js';

export interface CronSpec {
  /** The expression as given, whitespace normalised. */
  readonly source: string;
  /** Sorted, unique allowed values. */
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  readonly daysOfWeek: readonly number[];
  /** Day-of-month field did not start with `*`. */
  readonly domRestricted: boolean;
  /** Day-of-week field did not start with `*`. */
  readonly dowRestricted: boolean;
}

export type CronParseResult = Result<{ cron: CronSpec }, 'bad-cron'>;

interface FieldDef {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly namesFrom?: number;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const FIELDS: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

type FieldResult = Result<{ values: number[] }, 'bad-cron'>;

function parseValue(raw: string, def: FieldDef, item: string): Result<{ value: number }, 'bad-cron'> {
  if (/^\d+$/.test(raw)) {
    const value = Number(raw);
    if (value < def.min || value > def.max) return fail('bad-cron', `${def.name} field "${raw}" is out of range ${def.min}-${def.max}`);
    return { ok: true, value };
  }
  if (def.names) {
    const i = def.names.indexOf(raw.toLowerCase() as never);
    if (i >= 0) return { ok: true, value: i + (def.namesFrom ?? 0) };
    const hint = def.name === 'month' ? 'jan-dec' : 'sun-sat';
    return fail('bad-cron', `${def.name} field "${item}" is not a number ${def.min}-${def.max} or a name ${hint}`);
  }
  return fail('bad-cron', `${def.name} field "${item}" is not a number ${def.min}-${def.max}`);
}

function parseField(text: string, def: FieldDef): FieldResult {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') return fail('bad-cron', `${def.name} field "${text}" has an empty item in its list`);
    const m = /^([^/]*)(?:\/(.*))?$/.exec(item)!;
    const rangePart = m[1] ?? '';
    const stepPart = m[2];
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) return fail('bad-cron', `${def.name} field "${item}" needs a whole-number step of at least 1 after "/"`);
      step = Number(stepPart);
    }
    let lo: number;
    let hi: number;
    if (rangePart === '*') {
      lo = def.min;
      hi = def.max;
    } else if (rangePart.includes('-')) {
      const [a = '', b = '', ...extra] = rangePart.split('-');
      if (extra.length || a === '' || b === '') return fail('bad-cron', `${def.name} field "${item}" is not a valid range (use a-b)`);
      const va = parseValue(a, def, item);
      if (!va.ok) return va;
      const vb = parseValue(b, def, item);
      if (!vb.ok) return vb;
      lo = va.value;
      hi = vb.value;
      if (lo > hi) return fail('bad-cron', `${def.name} field "${item}" runs backwards (${a} is after ${b})`);
    } else {
      if (rangePart === '') return fail('bad-cron', `${def.name} field "${item}" is missing a value`);
      const v = parseValue(rangePart, def, item);
      if (!v.ok) return v;
      lo = v.value;
      hi = stepPart !== undefined ? def.max : v.value; // `a/n` means a to the maximum, every n
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { ok: true, values: [...values].sort((a, b) => a - b) };
}

/** Parse a 5-field cron expression. Errors are short, specific and safe to show to users. */
export function parseCron(expr: string): CronParseResult {
  const fields = expr.trim() === '' ? [] : expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return fail('bad-cron', `expected 5 fields (minute hour day month weekday), got ${fields.length}`);
  }
  const parsed: number[][] = [];
  for (let i = 0; i < 5; i++) {
    const r = parseField(fields[i]!, FIELDS[i]!);
    if (!r.ok) return r;
    parsed.push(r.values);
  }
  const [minutes, hours, daysOfMonth, months, dowRaw] = parsed as [number[], number[], number[], number[], number[]];
  const daysOfWeek = [...new Set(dowRaw.map((d) => d % 7))].sort((a, b) => a - b);
  return {
    ok: true,
    cron: {
      source: fields.join(' '),
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      domRestricted: !fields[2]!.startsWith('*'),
      dowRestricted: !fields[4]!.startsWith('*'),
    },
  };
}

/** Does the cron fire on this local calendar day? */
export function matchesDay(cron: CronSpec, year: number, month: number, day: number): boolean {
  if (!cron.months.includes(month)) return false;
  const weekday = civilWeekday(year, month, day);
  const domOk = cron.daysOfMonth.includes(day);
  const dowOk = cron.daysOfWeek.includes(weekday);
  if (cron.domRestricted && cron.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

function civilDate(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}

function civilWeekday(year: number, month: number, day: number): number {
  return civilDate(year, month, day).getUTCDay();
}

/** Local calendar day `offset` days from the given one. */
function addDays(year: number, month: number, day: number, offset: number): [number, number, number] {
  const d = civilDate(year, month, day + offset);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** How far `nextFires` looks ahead before giving up (about five years of local days). */
export const MAX_LOOKAHEAD_DAYS = 366 * 5 + 2;
/** How far `previousFire` looks back before giving up. */
export const MAX_LOOKBACK_DAYS = 400;

/**
 * The next `count` instants strictly after `afterMs` at which `cron` fires in `zone`, in
 * strictly increasing order. Walks local calendar days; stops after ~5 years (may return fewer).
 */
export function nextFires(cron: CronSpec, zone: string, afterMs: number, count: number): number[] {
  const out: number[] = [];
  if (count <= 0) return out;
  const start = zonedParts(afterMs, zone);
  // Start a day early: with odd tz data a wall time on the previous date can land after afterMs.
  for (let i = -1; i <= MAX_LOOKAHEAD_DAYS; i++) {
    const [y, m, d] = addDays(start.year, start.month, start.day, i);
    if (!matchesDay(cron, y, m, d)) continue;
    for (const h of cron.hours) {
      for (const min of cron.minutes) {
        const t = wallTimeToInstant(y, m, d, h, min, zone);
        if (t <= afterMs) continue;
        if (out.length && t <= out[out.length - 1]!) continue; // gap-collapsed duplicate
        out.push(t);
        if (out.length >= count) return out;
      }
    }
  }
  return out;
}

/**
 * The latest instant at or before `atOrBeforeMs` at which `cron` fires in `zone`, or
 * undefined if there is none in the last ~400 days. Same instants as `nextFires`.
 */
export function previousFire(cron: CronSpec, zone: string, atOrBeforeMs: number): number | undefined {
  const start = zonedParts(atOrBeforeMs, zone);
  let best: number | undefined;
  // Start a day late for the same reason nextFires starts a day early.
  for (let i = 1; i >= -MAX_LOOKBACK_DAYS; i--) {
    const [y, m, d] = addDays(start.year, start.month, start.day, i);
    if (matchesDay(cron, y, m, d)) {
      for (const h of cron.hours) {
        for (const min of cron.minutes) {
          const t = wallTimeToInstant(y, m, d, h, min, zone);
          if (t <= atOrBeforeMs && (best === undefined || t > best)) best = t;
        }
      }
    }
    // Once a day before the start date has produced a fire, earlier days cannot beat it.
    if (best !== undefined && i < 0) return best;
  }
  return best;
}

/** Minutes of the day (hour × 60 + minute) at which the cron fires, ascending. */
export function minutesOfDay(cron: CronSpec): number[] {
  const out: number[] = [];
  for (const h of cron.hours) for (const m of cron.minutes) out.push(h * 60 + m);
  return out.sort((a, b) => a - b);
}

/**
 * Whether `a` can fire on some day and `b` on the day after (judged on weekdays when neither
 * restricts the day of the month, on days of the month when neither restricts the weekday;
 * otherwise assumed possible). Months are ignored and the 28th-31st count as followed by the
 * 1st, so the answer errs towards true.
 */
export function canFollow(a: CronSpec, b: CronSpec): boolean {
  if (!a.domRestricted && !b.domRestricted) return a.daysOfWeek.some((d) => b.daysOfWeek.includes((d + 1) % 7));
  if (!a.dowRestricted && !b.dowRestricted) {
    return a.daysOfMonth.some((d) => b.daysOfMonth.includes(d + 1)) || (b.daysOfMonth.includes(1) && a.daysOfMonth.some((d) => d >= 28));
  }
  return true;
}

/** Whether `a` and `b` can fire on the same day (same rules as `canFollow`). */
export function canShareDay(a: CronSpec, b: CronSpec): boolean {
  if (!a.domRestricted && !b.domRestricted) return a.daysOfWeek.some((d) => b.daysOfWeek.includes(d));
  if (!a.dowRestricted && !b.dowRestricted) return a.daysOfMonth.some((d) => b.daysOfMonth.includes(d));
  return true;
}

/** Whether the cron can fire on two consecutive calendar days (errs towards true). */
export function canMatchConsecutiveDays(cron: CronSpec): boolean {
  return canFollow(cron, cron);
}

/**
 * Smallest gap in minutes between consecutive fires, judged on wall-clock minutes of the day,
 * including the wrap from the last fire of one day to the first of the next when the cron can
 * match two consecutive days. A cron firing once a day reports 1440 (a lower bound).
 */
export function minGapMinutes(cron: CronSpec): number {
  return minGapOfMinutes(minutesOfDay(cron), canMatchConsecutiveDays(cron));
}

/** Smallest gap in a sorted list of minutes of the day (optionally wrapping past midnight). */
export function minGapOfMinutes(sorted: readonly number[], wrap: boolean): number {
  if (sorted.length <= 1) return 1440;
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  if (wrap) gap = Math.min(gap, 1440 - sorted[sorted.length - 1]! + sorted[0]!);
  return gap;
}
