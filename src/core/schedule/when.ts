/**
 * The user-facing schedule syntax (`/stretch schedule add …`, reminders, pauses, working hours).
 *
 * Schedules become one or more 5-field cron lines (see cron.ts), evaluated in an IANA zone:
 *   daily 15:00                 → ['0 15 * * *']
 *   weekdays 10:30,15:00        → ['30 10 * * 1-5', '0 15 * * 1-5']  (one cron per distinct time)
 *   weekends 11:00              → ['0 11 * * 0,6']
 *   mon,wed,fri 09:45 / mon-fri → day lists and ranges, short or full names
 *   30 10 * * 1-5               → a raw cron, used as is
 * All parsing is pure; nothing here reads the clock.
 */
import { canFollow, canShareDay, minGapMinutes, minutesOfDay, nextFires, parseCron, previousFire, type CronSpec } from './cron.js';
import { fail, type Result } from '../result.js';
import { startOfNextLocalDay, zonedParts } from './zoned-time.js';

/** Prompts may not be scheduled more often than this. */
export const MIN_GAP_MINUTES = 15;

const TRY = 'Try: daily 15:00, weekdays 10:30,15:00, mon,wed,fri 09:45 or a cron like 30 10 * * 1-5.';

/** `not-a-time`: not shaped like a time at all; `out-of-range`: shaped like one, with a bad hour or minute. */
export type TimeError = 'not-a-time' | 'out-of-range';
export type WhenError = 'empty' | 'unreadable' | 'unknown-day' | 'time-first' | 'no-time' | TimeError | 'bad-cron';
export type WhenResult = Result<{ crons: string[]; description: string; rest: string[] }, WhenError>;
export type TimeOfDayResult = Result<{ minutes: number }, TimeError>;
export type DurationResult = Result<{ untilMs: number }, 'empty' | 'unreadable' | 'too-short' | 'too-long'>;
export type HoursResult = Result<{ startMin: number; endMin: number } | { off: true }, 'empty' | 'unreadable' | TimeError | 'backwards'>;

// ---------------------------------------------------------------------------------------------
// Times of day

/**
 * A time of day in minutes after midnight: `15:00`, `9:05`, `9am`, `3pm`, `3:15pm`, `12am` (00:00),
 * `12pm` (noon). Errors name the problem but carry no example; callers add one.
 */
export function parseTimeOfDay(text: string): TimeOfDayResult {
  const s = text.trim().toLowerCase();
  const ampm = /^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$/.exec(s);
  if (ampm) {
    const h = Number(ampm[1]);
    const m = ampm[2] === undefined ? 0 : Number(ampm[2]);
    if (h < 1 || h > 12) return fail('out-of-range', `"${text}" isn't a time: with am/pm the hour must be 1-12.`);
    if (m > 59) return fail('out-of-range', `"${text}" isn't a time: the minutes must be 00-59.`);
    return { ok: true, minutes: ((h % 12) + (ampm[3] === 'p' ? 12 : 0)) * 60 + m };
  }
  const hm = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (hm) {
    const h = Number(hm[1]);
    const m = Number(hm[2]);
    if (h > 23) return fail('out-of-range', `"${text}" isn't a time: the hour must be 0-23.`);
    if (m > 59) return fail('out-of-range', `"${text}" isn't a time: the minutes must be 00-59.`);
    return { ok: true, minutes: h * 60 + m };
  }
  return fail('not-a-time', `I couldn't read "${text}" as a time.`);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
/** 570 → "09:30" */
export const formatMinuteOfDay = (min: number): string => `${pad2(Math.floor(min / 60))}:${pad2(min % 60)}`;

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Days

const DAY_WORDS: Readonly<Record<string, number>> = {
  sun: 0, sunday: 0, sundays: 0,
  mon: 1, monday: 1, mondays: 1,
  tue: 2, tues: 2, tuesday: 2, tuesdays: 2,
  wed: 3, weds: 3, wednesday: 3, wednesdays: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, thursdays: 4,
  fri: 5, friday: 5, fridays: 5,
  sat: 6, saturday: 6, saturdays: 6,
};
const GROUP_WORDS: Readonly<Record<string, readonly number[]>> = {
  daily: [0, 1, 2, 3, 4, 5, 6],
  everyday: [0, 1, 2, 3, 4, 5, 6],
  day: [0, 1, 2, 3, 4, 5, 6], // after "every"
  weekdays: [1, 2, 3, 4, 5],
  weekday: [1, 2, 3, 4, 5],
  weekends: [0, 6],
  weekend: [0, 6],
};
const SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
/** Monday-first display order. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

const own = <T>(rec: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(rec, key) ? rec[key] : undefined);

const unknownDay = (word: string): string =>
  `I don't know the day "${word}". Use daily, weekdays, weekends, day names like mon,wed,fri or a range like mon-fri. ${TRY}`;

function parseDays(list: string): Result<{ days: number[] }, 'unknown-day'> {
  const days = new Set<number>();
  for (const item of list.toLowerCase().split(',').filter(Boolean)) {
    const group = own(GROUP_WORDS, item);
    if (group) {
      group.forEach((d) => days.add(d));
      continue;
    }
    const [a = '', b, ...extra] = item.split('-');
    const from = own(DAY_WORDS, a);
    if (from === undefined) return fail('unknown-day', unknownDay(a));
    if (b === undefined) {
      days.add(from);
      continue;
    }
    const to = own(DAY_WORDS, b);
    if (to === undefined || extra.length) return fail('unknown-day', unknownDay(extra.length ? item : b));
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return { ok: true, days: [...days].sort((x, y) => x - y) };
}

/** Cron day-of-week field for a sorted set of days: `*`, `1-5`, `0,6`, `1,3,5`. */
function dowField(days: readonly number[]): string {
  if (days.length === 7) return '*';
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${days[i]}-${days[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(days[k]));
    i = j + 1;
  }
  return parts.join(',');
}

function describeDays(days: readonly number[]): string {
  const key = days.join(',');
  if (key === '0,1,2,3,4,5,6') return 'every day';
  if (key === '1,2,3,4,5') return 'weekdays (Mon–Fri)';
  if (key === '0,6') return 'weekends (Sat and Sun)';
  if (days.length === 1) return `every ${LONG[days[0]!]}`;
  const ordered = WEEK_ORDER.filter((d) => days.includes(d));
  const parts: string[] = [];
  for (let i = 0; i < ordered.length; ) {
    let j = i;
    while (j + 1 < ordered.length && WEEK_ORDER.indexOf(ordered[j + 1]!) === WEEK_ORDER.indexOf(ordered[j]!) + 1) j++;
    if (j - i >= 2) parts.push(`${SHORT[ordered[i]!]}–${SHORT[ordered[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(SHORT[ordered[k]!]);
    i = j + 1;
  }
  return `every ${joinAnd(parts)}`;
}

// ---------------------------------------------------------------------------------------------
// Raw cron detection

const CRON_NAMES = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
const CRON_ITEM = /^(\*|\d+|[a-z]{3})(?:-(\d+|[a-z]{3}))?(?:\/\d+)?$/i;

/** Looks like one cron field (digits, `*`, `/`, `-`, `,`, 3-letter month/day names). */
function isCronish(token: string): boolean {
  return token.split(',').every((item) => {
    const m = CRON_ITEM.exec(item);
    if (!m) return false;
    return [m[1], m[2]].every((v) => v === undefined || !/^[a-z]/i.test(v) || CRON_NAMES.has(v.toLowerCase()));
  });
}

function parseRawCron(tokens: readonly string[]): WhenResult {
  let n = 0;
  while (n < tokens.length && isCronish(tokens[n]!)) n++;
  if (n === 5 || (n < 5 && tokens.length >= 5)) {
    const expr = tokens.slice(0, 5).join(' ');
    const r = parseCron(expr);
    if (r.ok) return { ok: true, crons: [r.cron.source], description: `cron ${r.cron.source}`, rest: tokens.slice(5) };
    return fail('bad-cron', `I couldn't read "${expr}" as a cron: ${r.message}. ${TRY}`);
  }
  const expr = tokens.slice(0, Math.max(n, 1)).join(' ');
  return fail('bad-cron', `I couldn't read "${expr}" as a cron: expected 5 fields (minute hour day month weekday), got ${n}. ${TRY}`);
}

// ---------------------------------------------------------------------------------------------
// parseWhen

/**
 * Join `tokens[i]` with following tokens while the text is a comma list split by spaces
 * (`10:30, 15:00`, `mon, wed`) or a time split from its am/pm (`3 pm`). Returns the text and
 * the index after it.
 */
function takeList(tokens: readonly string[], i: number, continues: (next: string) => boolean, joinWithoutComma = false): [string, number] {
  let text = tokens[i] ?? '';
  let j = i + 1;
  while (j < tokens.length) {
    const next = tokens[j]!;
    const commaJoin = (text.endsWith(',') || next.startsWith(',')) && continues(next.replace(/^,+/, '') || ',');
    const ampmJoin = /^[ap]\.?m\.?$/i.test(next) && /\d$/.test(text);
    if (commaJoin || ampmJoin) text += next;
    else if (joinWithoutComma && continues(next)) text += `,${next}`; // "mon wed fri"
    else break;
    j++;
  }
  return [text, j];
}

/**
 * Read a schedule from the start of `text` (case-insensitive). Unconsumed words come back in
 * `rest` (the caller reads an optional routine id and time zone from them). Does not check
 * frequency; see `checkFrequency`.
 */
export function parseWhen(text: string): WhenResult {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) return fail('empty', `Tell me when, for example daily 15:00. ${TRY}`);

  let i = 0;
  if (tokens[0]!.toLowerCase() === 'every' && tokens.length > 1) i = 1; // "every day", "every monday"
  const first = tokens[i]!;
  const lower = first.toLowerCase();

  const looksLikeTime = /:|\d\s*[ap]\.?m\.?(,|$)/i.test(first) || first.split(',').some((item) => item && parseTimeOfDay(item).ok);
  if (lower === 'at' || looksLikeTime) {
    return fail('time-first', `Put the days before the time, e.g. daily ${tokens[i + 1] && lower === 'at' ? tokens[i + 1] : first}. ${TRY}`);
  }
  if (i === 0 && /[\d*/]/.test(first)) return parseRawCron(tokens);
  if (!/^[a-z][a-z,-]*$/i.test(first)) return fail('unreadable', `I couldn't read "${first}" as a schedule. ${TRY}`);

  const isDayList = (next: string): boolean =>
    /^[a-z,-]+$/i.test(next) && next.split(',').filter(Boolean).every((w) => w.split('-').every((p) => own(DAY_WORDS, p.toLowerCase()) !== undefined || own(GROUP_WORDS, p.toLowerCase()) !== undefined));
  const [dayText, afterDays] = takeList(tokens, i, isDayList, true);
  const days = parseDays(dayText);
  if (!days.ok) return days;
  if (!days.days.length) return fail('unknown-day', unknownDay(dayText));

  let t = afterDays;
  let saidAt = false;
  if (tokens[t]?.toLowerCase() === 'at') {
    saidAt = true;
    t++;
  }
  const dayWords = tokens.slice(0, afterDays).join(' ');
  if (t >= tokens.length) return fail('no-time', `"${dayWords}" needs a time, e.g. ${dayWords} 15:00. ${TRY}`);

  const [timeText, afterTimes] = takeList(tokens, t, (next) => /^[\d,]/.test(next));
  const minutes = new Set<number>();
  for (const item of timeText.split(',').filter(Boolean)) {
    const r = parseTimeOfDay(item);
    if (!r.ok) {
      if (r.kind === 'not-a-time') return fail('not-a-time', `I couldn't read "${saidAt ? `at ${item}` : item}" as a time. ${TRY}`);
      return fail(r.kind, `${r.message} ${TRY}`);
    }
    minutes.add(r.minutes);
  }
  if (!minutes.size) return fail('not-a-time', `I couldn't read "${timeText}" as a time. ${TRY}`);

  const sorted = [...minutes].sort((a, b) => a - b);
  const dow = dowField(days.days);
  return {
    ok: true,
    crons: sorted.map((m) => `${m % 60} ${Math.floor(m / 60)} * * ${dow}`),
    description: `${describeDays(days.days)} at ${joinAnd(sorted.map(formatMinuteOfDay))}`,
    rest: tokens.slice(afterTimes),
  };
}

// ---------------------------------------------------------------------------------------------
// Frequency

function parseAll(crons: readonly string[]): CronSpec[] {
  return crons.map((c) => {
    const r = parseCron(c);
    if (!r.ok) throw new Error(`invalid cron "${c}": ${r.message}`);
    return r.cron;
  });
}

/**
 * An error message if any cron, or all of them together, can fire more often than every
 * MIN_GAP_MINUTES minutes; otherwise undefined. Judged on wall-clock minutes of the day: the
 * union of all crons' fire minutes, including the wrap past midnight, counting a pair of crons
 * only when they can fire on the same day (or on consecutive days, for the wrap). When in doubt
 * it refuses. DST shifts are not considered (01:55 and 03:05 are 10 real minutes apart on a
 * spring-forward night).
 */
export function checkFrequency(crons: readonly string[]): string | undefined {
  const specs: CronSpec[] = [];
  for (const c of crons) {
    const r = parseCron(c);
    if (!r.ok) return `I couldn't read "${c}" as a cron: ${r.message}. ${TRY}`;
    specs.push(r.cron);
  }
  const hint = `Prompts need at least ${MIN_GAP_MINUTES} minutes between them. Try: weekdays 10:30,15:00 or a cron like */${MIN_GAP_MINUTES} 9-17 * * 1-5.`;
  for (const spec of specs) {
    const gap = minGapMinutes(spec);
    if (gap < MIN_GAP_MINUTES) return `"${spec.source}" would fire as often as every ${gap} minute${gap === 1 ? '' : 's'}. ${hint}`;
  }
  if (specs.length < 2) return undefined;
  const closest = closestPair(specs);
  if (!closest || closest.gap >= MIN_GAP_MINUTES) return undefined;
  const { from, to, gap, nextDay } = closest;
  return `${formatMinuteOfDay(from)} and ${formatMinuteOfDay(to)}${nextDay ? ' the next day' : ''} are only ${gap} minute${gap === 1 ? '' : 's'} apart. ${hint}`;
}

/**
 * The two closest distinct fire times of different crons: on the same day when the crons can
 * share a day, or from the last fire of one to the first of another the next day when that can
 * follow. (Pairs within one cron are `minGapMinutes`.)
 */
function closestPair(specs: readonly CronSpec[]): { from: number; to: number; gap: number; nextDay: boolean } | undefined {
  let best: { from: number; to: number; gap: number; nextDay: boolean } | undefined;
  const consider = (from: number, to: number, gap: number, nextDay: boolean) => {
    if (gap > 0 && (!best || gap < best.gap)) best = { from, to, gap, nextDay };
  };
  const days = specs.map(minutesOfDay);
  specs.forEach((a, i) => {
    specs.forEach((b, j) => {
      const am = days[i]!;
      const bm = days[j]!;
      if (canFollow(a, b)) consider(am[am.length - 1]!, bm[0]!, 1440 - am[am.length - 1]! + bm[0]!, true);
      if (i < j && canShareDay(a, b)) {
        for (const x of am) {
          for (const y of bm) consider(Math.min(x, y), Math.max(x, y), Math.abs(x - y), false);
        }
      }
    });
  });
  return best;
}

// ---------------------------------------------------------------------------------------------
// Several crons together

/** The next `count` fires of any of `crons` strictly after `afterMs`, ascending, no duplicates. Throws on an invalid cron. */
export function nextFiresOf(crons: readonly string[], zone: string, afterMs: number, count: number): number[] {
  const all = parseAll(crons).flatMap((c) => nextFires(c, zone, afterMs, count));
  return [...new Set(all)].sort((a, b) => a - b).slice(0, Math.max(0, count));
}

/** The latest fire of any of `crons` at or before `atOrBeforeMs` (undefined if none within ~400 days). Throws on an invalid cron. */
export function previousFireOf(crons: readonly string[], zone: string, atOrBeforeMs: number): number | undefined {
  let best: number | undefined;
  for (const c of parseAll(crons)) {
    const t = previousFire(c, zone, atOrBeforeMs);
    if (t !== undefined && (best === undefined || t > best)) best = t;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Pause lengths

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Longest pause accepted. */
export const MAX_PAUSE_MS = 30 * DAY;
const UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(m|mins?|minutes?)$/, MINUTE],
  [/^(h|hrs?|hours?)$/, HOUR],
  [/^(d|days?)$/, DAY],
  [/^(w|wks?|weeks?)$/, 7 * DAY],
];
const DURATION_TRY = 'Try: 30m, 2h, 1d, 1w, today or tomorrow.';

/**
 * How long `/stretch pause <…>` lasts, as the instant it ends: `30m`, `2h`, `1d` (24 hours),
 * `1w`, `90 min`, `2 hours`, `today` (until the next local midnight in `zone`), `tomorrow`
 * (until the end of tomorrow, local). At most 30 days.
 */
export function parseDuration(text: string, nowMs: number, zone: string): DurationResult {
  const s = text.trim().toLowerCase().replace(/^for\s+/, '').replace(/\s+/g, ' ');
  if (!s) return fail('empty', `How long should I pause for? ${DURATION_TRY}`);
  if (s === 'today') return { ok: true, untilMs: startOfNextLocalDay(nowMs, zone) };
  if (s === 'tomorrow') return { ok: true, untilMs: startOfNextLocalDay(startOfNextLocalDay(nowMs, zone), zone) };
  const m = /^(\d+(?:\.\d+)?|\.\d+) ?([a-z]+)$/.exec(s);
  const unit = m ? UNITS.find(([re]) => re.test(m[2]!))?.[1] : undefined;
  if (!m || unit === undefined) return fail('unreadable', `I couldn't read "${text.trim()}" as a length of time. ${DURATION_TRY}`);
  const ms = Math.round(Number(m[1]) * unit);
  if (ms <= 0) return fail('too-short', `A pause has to last longer than that. ${DURATION_TRY}`);
  if (ms > MAX_PAUSE_MS) return fail('too-long', `A pause can last at most 30 days (e.g. 30d or 4w); to stop for longer, opt out instead. ${DURATION_TRY}`);
  return { ok: true, untilMs: nowMs + ms };
}

// ---------------------------------------------------------------------------------------------
// Working hours

const HOURS_TRY = 'Try: settings hours 09:00-17:30 (or settings hours off).';

/**
 * Working hours for `settings hours 09:00-17:30` (also `9am-5:30pm`, `09:00 to 17:30`, en or
 * em dash). Same-day only: start must be before end. `off` (or `none`, `clear`) clears them.
 */
export function parseHours(text: string): HoursResult {
  const s = text.trim().toLowerCase();
  if (s === 'off' || s === 'none' || s === 'clear') return { ok: true, off: true };
  if (!s) return fail('empty', `Which hours? ${HOURS_TRY}`);
  const m = /^(\S+?)\s*(?:-|–|—|\s+to\s+)\s*(\S+)$/.exec(s);
  if (!m) return fail('unreadable', `I couldn't read "${text.trim()}" as working hours. ${HOURS_TRY}`);
  const start = parseTimeOfDay(m[1]!);
  if (!start.ok) return fail(start.kind, `${start.message} ${HOURS_TRY}`);
  const end = parseTimeOfDay(m[2]!);
  if (!end.ok) return fail(end.kind, `${end.message} ${HOURS_TRY}`);
  if (start.minutes >= end.minutes) {
    return fail('backwards', `Working hours must start before they end on the same day (${formatMinuteOfDay(start.minutes)} is not before ${formatMinuteOfDay(end.minutes)}). ${HOURS_TRY}`);
  }
  return { ok: true, startMin: start.minutes, endMin: end.minutes };
}

// ---------------------------------------------------------------------------------------------
// Display

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "Tue 24 Nov, 15:00 (Europe/Berlin)": en-GB style, 24-hour clock, built by hand so every runtime prints the same. */
export function formatInZone(ms: number, zone: string): string {
  const p = zonedParts(ms, zone);
  return `${SHORT[p.weekday]} ${p.day} ${MONTHS[p.month - 1]}, ${pad2(p.hour)}:${pad2(p.minute)} (${zone})`;
}
