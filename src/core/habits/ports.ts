/** What habits (stats, team summaries, shout-outs) read from storage. Async, like every port. */
import type { Platform, UserKey } from '../incoming.js';
import type { DayTotals } from './streaks.js';

/** A team's totals on one local day (its members' own days). */
export interface TeamDay {
  day: number;
  sessions: number;
  seconds: number;
  /** Finished live group sessions among `sessions` (one per participant). */
  groupSessions: number;
}

/** A day that counts towards a member's streak (see countsForStreak). */
export interface MemberStreakDay {
  userId: string;
  day: number;
}

export interface TeamKey {
  platform: Platform;
  /** The platform workspace: a chat team or server. */
  teamId: string;
}

export interface HabitRepo {
  /** One person's finished-session history by local day, oldest first. */
  days(key: UserKey): Promise<DayTotals[]>;
  /** The routine the person finished most often (ties: the most recent), if any. */
  favouriteRoutine(key: UserKey): Promise<string | undefined>;
  /** The team's totals per local day since `fromDay` (inclusive), and how many people they are. */
  teamDays(team: TeamKey, fromDay: number): Promise<{ people: number; days: TeamDay[] }>;
  /** The days since `fromDay` on which each member did enough for a streak. */
  teamStreakDays(team: TeamKey, fromDay: number): Promise<MemberStreakDay[]>;
  /** Of these people (one workspace), those who turned shout-outs on. */
  shoutoutsOn(platform: Platform, workspaceId: string, userIds: readonly string[]): Promise<Set<string>>;
  setShoutouts(key: UserKey, on: boolean, now: number): Promise<void>;
}
