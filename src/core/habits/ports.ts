/** What habits (stats, team summaries, shout-outs) read from storage. Async, like every port. */
import type { Platform, UserKey } from '../incoming.js';
import type { DayTotals } from './streaks.js';

/** One person's totals on one local day, within a team's recent history. */
export interface MemberDay extends DayTotals {
  userId: string;
  /** Finished live group sessions among `sessions`. */
  groupSessions: number;
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
  /** Every member's totals per local day since `fromDay` (inclusive), in that team. */
  teamDays(team: TeamKey, fromDay: number): Promise<MemberDay[]>;
  /** Of these people (one workspace), those who turned shout-outs on. */
  shoutoutsOn(platform: Platform, workspaceId: string, userIds: readonly string[]): Promise<Set<string>>;
  setShoutouts(key: UserKey, on: boolean, now: number): Promise<void>;
}
