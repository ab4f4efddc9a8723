/**
 * Who is busy on Slack. Do Not Disturb is asked for (dnd.teamInfo, up to 50 people a call):
 * a scheduled window comes round every day, so a stored copy would go stale. Profile statuses
 * ("In a meeting" until 11:15) are not asked for here: Slack pushes every change (user_change)
 * and the bot keeps them with the person (statusOf), so a fan-out spends no request on them.
 * What a status means is the core's call (busyFromStatus).
 */
import type { WebClient } from '@slack/web-api';
import type { Busy, Status } from '../../core/busy.js';

/** dnd.teamInfo's limit per call. */
const DND_BATCH = 50;

const ms = (seconds: unknown) => (typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : undefined);

/**
 * One person's DND as Slack shows it to an app. A manual snooze is only ever shown to the
 * person themself (Slack's dnd.info documentation), so an app sees the scheduled window.
 */
export interface DndInfo {
  dnd_enabled?: boolean;
  next_dnd_start_ts?: number;
  next_dnd_end_ts?: number;
}

/** The DND window in force at `now`, if any. `dnd_enabled` alone only says a schedule exists. */
export function dndBusy(d: DndInfo, now: number): Busy | undefined {
  const start = ms(d.next_dnd_start_ts);
  const end = ms(d.next_dnd_end_ts);
  return d.dnd_enabled && start !== undefined && end !== undefined && start <= now && now < end ? { reason: 'do not disturb', until: end } : undefined;
}

/** The status on a Slack profile, in the core's terms; undefined when none is set. */
export function statusOf(profile: { status_emoji?: string; status_text?: string; status_expiration?: number } | undefined): Status | undefined {
  if (!profile?.status_emoji && !profile?.status_text) return undefined;
  return { emoji: profile.status_emoji || undefined, text: profile.status_text || undefined, expiresAt: ms(profile.status_expiration) };
}

/**
 * DND for many people, 50 a request, each request after `take` (the workspace's pace). A
 * batch Slack refused leaves its people out of the answer (the caller sends their DMs);
 * throws only when every batch failed.
 */
export async function slackDndOf(api: WebClient, userIds: readonly string[], now: number, take: () => Promise<void>): Promise<Map<string, Busy | undefined>> {
  const said = new Map<string, Busy | undefined>();
  let failure: unknown;
  for (let i = 0; i < userIds.length; i += DND_BATCH) {
    const batch = userIds.slice(i, i + DND_BATCH);
    try {
      await take();
      const { users = {} } = await api.dnd.teamInfo({ users: batch.join(',') });
      for (const id of batch) if (users[id]) said.set(id, dndBusy(users[id], now));
    } catch (err) {
      failure = err;
    }
  }
  if (failure !== undefined && said.size === 0) throw failure;
  return said;
}
