/**
 * Is a Slack user busy? Do Not Disturb (dnd.info: a snooze or a scheduled DND window) and the
 * profile status (users.info), read fresh before each scheduled DM since both change often.
 * What a status means is the core's call (busyFromStatus).
 */
import type { WebClient } from '@slack/web-api';
import { busyFromStatus, laterBusy, type Busy } from '../../core/busy.js';

const ms = (seconds: unknown) => (typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : undefined);

interface DndInfo {
  dnd_enabled?: boolean;
  next_dnd_start_ts?: number;
  next_dnd_end_ts?: number;
  snooze_enabled?: boolean;
  snooze_endtime?: number;
}

/** The DND window in force at `now`, if any. `dnd_enabled` alone only says a schedule exists. */
export function dndBusy(d: DndInfo, now: number): Busy | undefined {
  const snoozeEnd = d.snooze_enabled ? ms(d.snooze_endtime) : undefined;
  const snooze: Busy | undefined = snoozeEnd && snoozeEnd > now ? { reason: 'do not disturb', until: snoozeEnd } : undefined;
  const start = ms(d.next_dnd_start_ts);
  const end = ms(d.next_dnd_end_ts);
  const scheduled: Busy | undefined = d.dnd_enabled && start !== undefined && end !== undefined && start <= now && now < end ? { reason: 'do not disturb', until: end } : undefined;
  return laterBusy(snooze, scheduled);
}

/**
 * Either check may fail on its own (an app installed before dnd:read was added); the other
 * still counts. Throws only when neither could be read, and the outbox then sends anyway.
 */
export async function slackBusy(api: WebClient, userId: string, now: number): Promise<Busy | undefined> {
  const [dnd, info] = await Promise.allSettled([api.dnd.info({ user: userId }), api.users.info({ user: userId })]);
  if (dnd.status === 'rejected' && info.status === 'rejected') throw info.reason;
  const fromDnd = dnd.status === 'fulfilled' ? dndBusy(dnd.value as DndInfo, now) : undefined;
  const profile = info.status === 'fulfilled' ? info.value.user?.profile : undefined;
  const fromStatus = profile ? busyFromStatus({ emoji: profile.status_emoji, text: profile.status_text, expiresAt: ms(profile.status_expiration) }, now) : undefined;
  return laterBusy(fromDnd, fromStatus);
}
