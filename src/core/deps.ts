/** Everything the core's commands and buttons need, passed in by the composition root. */
import type { Catalogue } from './catalogue.js';
import type { Card } from './card.js';
import type { TimerRef } from './hold-timer.js';
import type { HabitRepo } from './habits/ports.js';
import type { Clock, DirectMessages, GroupRepo, SessionRepo, SkipListRepo, UserRepo } from './ports.js';
import type { DeliveryRepo, ScheduleRepo, SettingsRepo } from './team/ports.js';

export interface CoreDeps {
  catalogue: Catalogue;
  clock: Clock;
  users: UserRepo & SettingsRepo & SkipListRepo;
  sessions: SessionRepo;
  groups: GroupRepo;
  habits: HabitRepo;
  schedules: ScheduleRepo;
  delivery: DeliveryRepo;
  /** IANA zone for people and schedules that have none. */
  defaultTimezone: string;
  newId: () => string;
  /** Opens a person's DM conversation when they opt in; absent where the platform has none. */
  directMessages?: DirectMessages;
  /** Told when a hold timer starts, so it is finished on time (absent: only the sweep finishes it). */
  holdTimers?: { arm(ref: TimerRef, endsAt: number): void };
  /** Edits a message by the address an adapter gave (a group's message, when a click was elsewhere). */
  messages?: { edit(platform: string, workspaceId: string, messageRef: string, card: Card): Promise<void> };
}
