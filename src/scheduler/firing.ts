/**
 * Turns due schedule slots into recorded fires. The fire row (unique per schedule and slot)
 * and its outbox rows are written in one transaction before anything is posted: a slot is
 * queued at most once, whichever process gets there first.
 *
 * The sweep reads only schedules whose stored next fire time has come, so a minute with ten
 * due schedules costs the same among a hundred or ten thousand. The evaluator in
 * core/schedule decides every slot; the stored time only says when to look again.
 */
import type { Clock } from '../core/ports.js';
import { nextFiresOf, previousFireOf } from '../core/schedule/when.js';
import type { DeliveryRepo, Schedule, ScheduleRepo } from '../core/team/ports.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from './ports.js';

export type FireOutcome = 'queued' | 'missed' | 'already-recorded' | 'not-due';

/** The minute sweep runs a little after the slot; that is on time, not a catch-up. */
export const ON_TIME_GRACE_MS = 60_000;
/** Due schedules read per query; a sweep reads batches until none are left. */
export const SWEEP_BATCH = 200;

export interface FiringDeps {
  schedules: ScheduleRepo;
  delivery: DeliveryRepo;
  outbox: OutboxStore;
  clock: Clock;
  catchUpMs: number;
  logger: Logger;
  newId: () => string;
  /** Told of every slot recorded, queued or missed (the /metrics counter). */
  onFire?: (status: 'queued' | 'missed') => void;
}

export function createFiring(deps: FiringDeps) {
  const { outbox, clock, logger } = deps;

  /** Records the schedule's latest slot at or before `now`, if it is not recorded yet. */
  async function recordLatestSlot(schedule: Schedule, now: number): Promise<FireOutcome> {
    const slot = previousFireOf(schedule.crons, schedule.timezone, now);
    // Slots from before the schedule existed (or before it was last resumed) never fire.
    if (slot === undefined || slot < schedule.updatedAt) return 'not-due';
    if (await outbox.hasFire(schedule.id, slot)) return 'already-recorded';
    const late = now - slot;
    const status = late <= ON_TIME_GRACE_MS + deps.catchUpMs ? 'queued' : 'missed';
    const recipients =
      // A team summary is only the channel post; opted-in people get prompts, not summaries.
      schedule.kind === 'channel' && !schedule.summaryTeamId && status === 'queued'
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
    deps.onFire?.(status);
    const ctx = { schedule: schedule.id, slot: new Date(slot).toISOString(), lateSeconds: Math.round(late / 1000) };
    if (status === 'missed') logger.warn(ctx, 'skipped a break prompt missed while the bot was down (older than CATCH_UP_MINUTES)');
    else logger.info({ ...ctx, dms: recipients.length }, schedule.summaryTeamId ? 'team summary queued' : 'break prompt queued');
    return status;
  }

  /**
   * Handles a due schedule: records its latest slot at or before `now` (once), then stores the
   * first slot after `now` as its next fire time. That slot is after everything considered
   * here, so the schedule is not due again until then. If recording throws, the time is left
   * alone and the next sweep tries again, as it did before the time was stored.
   */
  async function fireDue(schedule: Schedule, now = clock.now()): Promise<FireOutcome> {
    const outcome = await recordLatestSlot(schedule, now);
    await deps.schedules.setNextFire(schedule.id, nextFiresOf(schedule.crons, schedule.timezone, now, 1)[0]);
    return outcome;
  }

  /**
   * Rows saved before next fire times existed get one: the first slot at or after `updatedAt`,
   * the earliest slot firing would accept. If it has passed, the sweep handles the row at once,
   * and `fireDue` then judges the latest slot (queued, missed or already recorded) exactly as
   * a sweep over every schedule did. Once per process: new rows always arrive with a time.
   */
  let backfilled = false;
  async function backfill(): Promise<void> {
    if (backfilled) return;
    for (const s of await deps.schedules.listUnscheduled()) {
      // One bad row (say, a cron the evaluator rejects) must not hold up the others.
      try {
        await deps.schedules.setNextFire(s.id, nextFiresOf(s.crons, s.timezone, s.updatedAt - 1, 1)[0]);
      } catch (err) {
        logger.error({ err, schedule: s.id }, 'could not compute a next fire time');
      }
    }
    backfilled = true;
  }

  /** Every schedule whose next fire time has come: on-time slots, start-up catch-up, daylight-saving gaps. */
  async function sweep(now = clock.now()): Promise<Record<FireOutcome, number>> {
    const counts: Record<FireOutcome, number> = { queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 };
    await backfill().catch((err: unknown) => logger.error({ err }, 'could not compute next fire times of older schedules'));
    // A schedule whose fire failed keeps its time and would come back in the next batch: skip
    // it this sweep, and stop when a batch brings nothing new.
    const seen = new Set<string>();
    for (;;) {
      const batch = await deps.schedules.listDue(now, SWEEP_BATCH);
      const fresh = batch.filter((s) => !seen.has(s.id));
      for (const schedule of fresh) {
        seen.add(schedule.id);
        try {
          counts[await fireDue(schedule, now)]++;
        } catch (err) {
          logger.error({ err, schedule: schedule.id }, 'could not record a fire');
        }
      }
      if (batch.length < SWEEP_BATCH || !fresh.length) return counts;
    }
  }

  return { fireDue, sweep };
}
