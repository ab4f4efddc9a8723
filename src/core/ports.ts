/**
 * What the core needs from the outside world. Async, because storage may be an embedded file
 * or a database server; the core never knows which.
 */
import type { Status } from './busy.js';
import type { GroupCredit, GroupSession } from './group-session.js';
import type { UserKey } from './incoming.js';
import type { Session, SessionSummary } from './session.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface UserRecord extends UserKey {
  timezone?: string;
  workStartMin?: number;
  workEndMin?: number;
  dmPausedUntil?: number;
  /** Team summaries may name this person. */
  shoutouts?: boolean;
  /** The chat status the platform last reported (a meeting, a holiday…), where it has one. */
  status?: Status;
}

export interface UserRepo {
  /** Creates the user row if missing. */
  ensure(key: UserKey, now: number): Promise<void>;
  get(key: UserKey): Promise<UserRecord | undefined>;
  /**
   * Stores the person's current chat status (undefined: none). Only for a person the bot
   * already knows: returns false, storing nothing, when there is no row for them.
   */
  setStatus(key: UserKey, status: Status | undefined, now: number): Promise<boolean>;
}

/**
 * Where a finished session belongs in someone's habit history. Live group sessions record one
 * finished session per participant through `save` and set `group`.
 */
export interface HistoryFacts {
  /** The person's local date of the finish (see localDayOf); the UTC date when not given. */
  localDay?: number;
  /** A finished live group session: counted as a group session in team summaries. */
  group?: boolean;
}

/** Exercises a person chose to "Skip it from now on": new sessions leave them out. */
export interface SkipListRepo {
  /** The person's skipped exercise ids, oldest first. */
  skippedExercises(key: UserKey): Promise<string[]>;
  /** False if it was already on the list. */
  skipExercise(key: UserKey, exerciseId: string, now: number): Promise<boolean>;
  /** False if it was not on the list. */
  restoreExercise(key: UserKey, exerciseId: string): Promise<boolean>;
}

export interface HistoryTotals {
  sessions: number;
  completed: number;
  exercisesDone: number;
  activeSeconds: number;
}

/** A stored hold timer that is running: whose (a session's or a group's id) and when it ends. */
export interface RunningTimer {
  id: string;
  endsAt: number;
}

export interface SessionRepo {
  insert(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /**
   * Saves a transition if nobody else saved one since `expectedVersion` was read
   * (a double click, a second process). Records history when the session finished.
   */
  save(session: Session, expectedVersion: number, summary?: SessionSummary, facts?: HistoryFacts): Promise<boolean>;
  /** Running hold timers ending at or before `dueBy` (all of them without it), earliest first. */
  runningTimers(dueBy?: number): Promise<RunningTimer[]>;
  /** Marks the user's unfinished sessions abandoned (a new session replaces them). */
  abandonOpen(key: UserKey, now: number): Promise<number>;
  /** Totals since `sinceMs` (the Home tab's week and all time). */
  totals(key: UserKey, sinceMs: number): Promise<HistoryTotals>;
}

export interface ChannelKey {
  platform: string;
  workspaceId: string;
  channelId: string;
}

export interface GroupRepo {
  /** False when the channel already has a live group (at most one, by a unique index). */
  insert(group: GroupSession): Promise<boolean>;
  get(id: string): Promise<GroupSession | undefined>;
  liveIn(channel: ChannelKey): Promise<GroupSession | undefined>;
  /**
   * Saves a transition if nobody saved one since `expectedVersion` was read. When the group
   * ended, each credit becomes a finished session in that person's history, in the same
   * transaction. A group without `messageRef` keeps the stored one: a copy read before the
   * message's address was remembered never erases it.
   */
  save(group: GroupSession, expectedVersion: number, credits: GroupCredit[]): Promise<boolean>;
  /**
   * Stores where the group's channel message is, unless one is stored already. Not a press:
   * the version stays, so a press racing it still saves.
   */
  rememberMessage(id: string, messageRef: string): Promise<boolean>;
  /** Running hold timers of live groups ending at or before `dueBy` (all of them without it), earliest first. */
  runningTimers(dueBy?: number): Promise<RunningTimer[]>;
  /** Live groups whose last press was at or before `cutoff`, oldest first. */
  idleSince(cutoff: number): Promise<GroupSession[]>;
}

/**
 * Gets a person's direct-message conversation ready before the first message to it, so even
 * the first prompt after opting in costs one request. Never fails: a conversation that could
 * not be opened now is opened with the first message.
 */
export interface DirectMessages {
  prepare(key: UserKey): Promise<void>;
}
