/**
 * Whether a DM may go out now. Checked when the message is sent, not when the fire was
 * recorded, so a pause, new working hours or "Not today" set in between are respected.
 */
import type { Busy } from '../core/busy.js';
import type { UserRecord } from '../core/ports.js';
import { startOfNextLocalDay, wallTimeToInstant, zonedParts } from '../core/schedule/zoned-time.js';

export function dmBlockedReason(user: UserRecord | undefined, now: number, defaultZone: string, notToday: boolean): string | undefined {
  if (notToday) return 'not today';
  if (user?.dmPausedUntil && user.dmPausedUntil > now) return 'paused';
  if (user?.workStartMin !== undefined && user.workEndMin !== undefined) {
    const p = zonedParts(now, user.timezone ?? defaultZone);
    const minute = p.hour * 60 + p.minute;
    const workday = p.weekday >= 1 && p.weekday <= 5;
    if (!workday || minute < user.workStartMin || minute >= user.workEndMin) return 'outside working hours';
  }
  return undefined;
}

/** What to do with a DM for someone who is busy: send it when they are free, or not today. */
export type BusyDecision = { wait: number; detail: string } | { skip: string };

/**
 * A DM waits for the end of a meeting (or do-not-disturb) that ends inside the person's
 * working day; one that lasts past it, or has no known end, is skipped for the day. Without
 * working hours the day ends at local midnight.
 */
export function busyDecision(busy: Busy, user: UserRecord | undefined, now: number, defaultZone: string): BusyDecision {
  const zone = user?.timezone ?? defaultZone;
  let dayEnd = startOfNextLocalDay(now, zone);
  if (user?.workEndMin !== undefined) {
    const p = zonedParts(now, zone);
    dayEnd = wallTimeToInstant(p.year, p.month, p.day, Math.floor(user.workEndMin / 60), user.workEndMin % 60, zone);
  }
  if (busy.until === undefined) return { skip: `busy (${busy.reason}) with no end given; skipped for today` };
  if (busy.until >= dayEnd) return { skip: `busy (${busy.reason}) until after the working day; skipped for today` };
  return { wait: Math.max(busy.until, now + 1), detail: `waiting: ${busy.reason} until ${new Date(busy.until).toISOString()}` };
}
