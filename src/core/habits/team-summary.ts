/**
 * A workspace's last seven days (pure): who stretched, sessions, minutes, group sessions, the
 * longest current streaks and a chart. Only people who turned shout-outs on are named.
 */
import type { Card } from '../card.js';
import { formatDuration } from '../catalogue.js';
import { chartAltText, chartOf, type ChartData } from './chart.js';
import type { MemberStreakDay, TeamDay } from './ports.js';


export const TEAM_DAYS = 7;
/**
 * How far back team streaks look: a current streak longer than this shows as "28+ days", so a
 * summary reads four weeks of the workspace instead of every member's whole history.
 */
export const TEAM_STREAK_WINDOW = 28;
/** Streaks listed in a summary. */
export const TOP_STREAKS = 3;

/** A platform mention of a person (the same `<@id>` on both chat platforms). */
export const mention = (userId: string): string => `<@${userId}>`;

export interface MemberStreak {
  userId: string;
  days: number;
}

export interface TeamWeek {
  people: number;
  sessions: number;
  seconds: number;
  groupSessions: number;
  /** Longest current streaks first, at most TOP_STREAKS. */
  streaks: MemberStreak[];
  chart: ChartData;
}

/** Counting days in a row up to today (or up to yesterday while today is not over), as streaksOf counts them. */
function currentStreak(days: ReadonlySet<number>, today: number): number {
  let day = days.has(today) ? today : today - 1;
  let run = 0;
  while (days.has(day)) {
    run++;
    day--;
  }
  return run;
}

/**
 * The numbers of a summary: the team's days since `today - TEAM_DAYS + 1` and its members'
 * streak days since `today - TEAM_STREAK_WINDOW + 1`.
 */
export function teamWeek(week: { people: number; days: readonly TeamDay[] }, streakDays: readonly MemberStreakDay[], today: number): TeamWeek {
  const byUser = new Map<string, Set<number>>();
  for (const { userId, day } of streakDays) {
    const set = byUser.get(userId);
    if (set) set.add(day);
    else byUser.set(userId, new Set([day]));
  }
  const streaks = [...byUser]
    .map(([userId, days]) => ({ userId, days: currentStreak(days, today) }))
    .filter((s) => s.days > 0)
    .sort((a, b) => b.days - a.days || a.userId.localeCompare(b.userId))
    .slice(0, TOP_STREAKS);
  const days = week.days.filter((d) => d.day > today - TEAM_DAYS && d.day <= today);
  return {
    people: week.people,
    sessions: days.reduce((n, d) => n + d.sessions, 0),
    seconds: days.reduce((n, d) => n + d.seconds, 0),
    groupSessions: days.reduce((n, d) => n + d.groupSessions, 0),
    streaks,
    chart: chartOf('Team sessions, last 7 days', days.map((d) => ({ ...d, routines: 0, exercises: 0 })), today, TEAM_DAYS, 'sessions'),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A streak line: named with shout-outs on, otherwise "someone". */
function streakLine(s: MemberStreak, named: ReadonlySet<string>): string {
  const days = s.days >= TEAM_STREAK_WINDOW ? `${TEAM_STREAK_WINDOW}+ days` : plural(s.days, 'day');
  return `${named.has(s.userId) ? mention(s.userId) : 'someone'}: ${days}`;
}

export function teamCard(week: TeamWeek, named: ReadonlySet<string>, chartArt: string): Card {
  if (!week.people) {
    return { title: 'Stretching this week', sections: ['Nobody here finished a stretch in the last 7 days yet. Start one with /stretch.'], tone: 'info' };
  }
  return {
    title: 'Stretching this week',
    sections: [
      `${week.people} ${week.people === 1 ? 'person' : 'people'} stretched in the last 7 days: ${plural(week.sessions, 'session')}, ${formatDuration(week.seconds)}, ${plural(week.groupSessions, 'group session')}.`,
      chartArt,
    ],
    fields: week.streaks.length ? [{ label: 'Longest current streaks', value: week.streaks.map((s) => streakLine(s, named)).join('\n') }] : [],
    chart: { data: week.chart, alt: chartAltText(week.chart) },
    footer: 'Only people who turned shout-outs on are named: /stretch settings shoutouts on',
    tone: 'success',
  };
}
