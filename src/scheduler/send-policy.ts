/**
 * Whether a DM may go out now. Checked when the message is sent, not when the fire was
 * recorded, so a pause, new working hours or "Not today" set in between are respected.
 */
import type { UserRecord } from '../core/ports.js';
import { zonedParts } from '../core/schedule/zoned-time.js';

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
