/**
 * Turns due schedule slots into recorded fires. The fire row (unique per schedule and slot)
 * and its outbox rows are written in one transaction before anything is posted: a slot is
 * queued at most once, whichever process or timer gets there first.
 */
import type { Clock } from '../core/ports.js';
import { previousFireOf } from '../core/schedule/when.js';
import type { DeliveryRepo, Schedule, ScheduleRepo } from '../core/team/ports.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from './ports.js';

export type FireOutcome = 'queued' | 'missed' | 'already-recorded' | 'not-due';

/** Timers and the minute sweep run a little after the slot; that is on time, not a catch-up. */
export const ON_TIME_GRACE_MS = 60_000;

export interface FiringDeps {
  schedules: ScheduleRepo;
  delivery: DeliveryRepo;
  outbox: OutboxStore;
  clock: Clock;
  catchUpMs: number;
  logger: Logger;
  newId: () => string;
}

export function createFiring(deps: FiringDeps) {
  const { outbox, clock, logger } = deps;

  /** Records the schedule's latest slot at or before `now`, if it is not recorded yet. */
  async function fireDue(schedule: Schedule, now = clock.now()): Promise<FireOutcome> {
    const slot = previousFireOf(schedule.crons, schedule.timezone, now);
    // Slots from before the schedule existed (or before it was last resumed) never fire.
    if (slot === undefined || slot < schedule.updatedAt) return 'not-due';
    if (await outbox.hasFire(schedule.id, slot)) return 'already-recorded';
    const late = now - slot;
    const status = late <= ON_TIME_GRACE_MS + deps.catchUpMs ? 'queued' : 'missed';
    const recipients =
      schedule.kind === 'channel' && status === 'queued'
        ? await deps.delivery.optedInUsers({ platform: schedule.platform, workspaceId: schedule.workspaceId, channelId: schedule.channelId })
        : [];
    const fire = {
      id: deps.newId(),
      scheduleId: schedule.id,
      platform: schedule.platform,
      workspaceId: schedule.workspaceId,
      channelId: schedule.channelId,
      routineId: schedule.routineId,
      fireAt: slot,
    };
    if (!(await outbox.recordFire(schedule, fire, status, recipients, now))) return 'already-recorded';
    const ctx = { schedule: schedule.id, slot: new Date(slot).toISOString(), lateSeconds: Math.round(late / 1000) };
    if (status === 'missed') logger.warn(ctx, 'skipped a break prompt missed while the bot was down (older than CATCH_UP_MINUTES)');
    else logger.info({ ...ctx, dms: recipients.length }, 'break prompt queued');
    return status;
  }

  /** Every active schedule: covers missed timers, start-up catch-up and daylight-saving gaps. */
  async function sweep(now = clock.now()): Promise<Record<FireOutcome, number>> {
    const counts: Record<FireOutcome, number> = { queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 };
    for (const schedule of await deps.schedules.listActive()) {
      try {
        counts[await fireDue(schedule, now)]++;
      } catch (err) {
        logger.error({ err, schedule: schedule.id }, 'could not record a fire');
      }
    }
    return counts;
  }

  return { fireDue, sweep };
}
