/** Storage the team features (schedules, opt-ins, prompts, reminders) need. Async, like every port. */
import type { Platform, UserKey } from '../incoming.js';

export type ScheduleKind = 'channel' | 'personal';

export interface Schedule {
  id: string;
  platform: Platform;
  workspaceId: string;
  kind: ScheduleKind;
  /** Where channel prompts are posted; for a personal reminder, the channel it was set from. */
  channelId: string;
  /** Who added it; for a personal reminder also the recipient. */
  userId: string;
  whenText: string;
  crons: string[];
  timezone: string;
  routineId: string;
  paused: boolean;
  createdAt: number;
  /** Last pause/resume: slots before it are never caught up. */
  updatedAt: number;
  /**
   * Epoch ms of the next slot the sweep must consider: the first slot at or after
   * `updatedAt` when saved or resumed, then the first slot after each sweep that handled it.
   * Undefined when paused, removed or never firing again (and on rows from before it existed,
   * which the sweep fills in).
   */
  nextFireAt?: number;
}

/**
 * The scheduler's contract with storage: the sweep reads only schedules whose `nextFireAt` has
 * come (an indexed column), so its cost follows the due schedules, not all of them. The core
 * computes `nextFireAt` when it saves or resumes a schedule; the sweep moves it on after each
 * slot it handled.
 */
export interface ScheduleRepo {
  /** Stores `s.nextFireAt` as given. */
  insert(s: Schedule): Promise<void>;
  /** A live (not removed) schedule. */
  get(id: string): Promise<Schedule | undefined>;
  /** True if any schedule, live or removed, has this id. */
  idTaken(id: string): Promise<boolean>;
  listForChannel(platform: Platform, workspaceId: string, channelId: string): Promise<Schedule[]>;
  listPersonal(key: UserKey): Promise<Schedule[]>;
  /** Live, unpaused schedules with `nextFireAt <= now`, earliest first, at most `limit`. */
  listDue(now: number, limit: number): Promise<Schedule[]>;
  /**
   * Live, unpaused schedules without a `nextFireAt`: rows from before the column existed (and
   * any that never fire again). The sweep fills them in once per process.
   */
  listUnscheduled(): Promise<Schedule[]>;
  /**
   * Sets (or clears, with undefined) the next slot to consider. No effect on a paused or
   * removed schedule, so a sweep racing a pause cannot re-arm it.
   */
  setNextFire(id: string, nextFireAt: number | undefined): Promise<void>;
  /**
   * Pausing clears `nextFireAt`; resuming stores the given one (the first slot at or after
   * `now`, computed by the caller). False if the schedule is gone or already in that state.
   */
  setPaused(id: string, paused: boolean, now: number, nextFireAt?: number): Promise<boolean>;
  /** Soft delete; clears `nextFireAt`. */
  remove(id: string, now: number): Promise<boolean>;
}

export interface Fire {
  id: string;
  scheduleId?: string;
  platform: Platform;
  workspaceId: string;
  channelId: string;
  routineId: string;
  fireAt: number;
}

export interface ChannelKey {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

export interface DeliveryRepo {
  getFire(id: string): Promise<Fire | undefined>;
  /** Records an ad-hoc prompt (no schedule), e.g. "/stretch group". */
  recordAdHocFire(fire: Fire, now: number): Promise<void>;
  optIn(channel: ChannelKey, userId: string, now: number): Promise<boolean>;
  optOut(channel: ChannelKey, userId: string): Promise<boolean>;
  isOptedIn(channel: ChannelKey, userId: string): Promise<boolean>;
  optedInUsers(channel: ChannelKey): Promise<string[]>;
  /** The channels whose prompts this person gets by DM. */
  optedInChannels(key: UserKey): Promise<string[]>;
  setNotToday(channel: ChannelKey, userId: string, until: number): Promise<void>;
  /** Queues one DM of a fire's prompt to a user, not before `notBefore` (snooze). False if one is already waiting. */
  enqueueSnooze(fire: Fire, userId: string, notBefore: number, now: number): Promise<boolean>;
}

export interface SettingsRepo {
  setTimezone(key: UserKey, zone: string, now: number): Promise<void>;
  setWorkHours(key: UserKey, hours: { startMin: number; endMin: number } | undefined, now: number): Promise<void>;
  setDmPause(key: UserKey, until: number | undefined, now: number): Promise<void>;
}
