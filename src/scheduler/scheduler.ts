/**
 * Owns the timers: one node-cron task per cron line of each active schedule (in the
 * schedule's zone), a minute sweep that catches anything a timer missed (start-up
 * catch-up, daylight-saving gaps), and a short poll that drains the outbox (snoozes).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Schedule, ScheduleRepo } from '../core/team/ports.js';
import type { Logger } from '../logger.js';
import type { createFiring } from './firing.js';
import type { createOutboxWorker } from './outbox-worker.js';

export const OUTBOX_POLL_MS = 15_000;

export interface SchedulerDeps {
  schedules: ScheduleRepo;
  firing: ReturnType<typeof createFiring>;
  worker: ReturnType<typeof createOutboxWorker>;
  logger: Logger;
}

export function createScheduler(deps: SchedulerDeps) {
  const { logger } = deps;
  // node-cron otherwise writes its own warnings (e.g. a missed tick) straight to the console.
  cron.setLogger({
    info: (message) => logger.debug({ source: 'node-cron' }, message),
    warn: (message) => logger.warn({ source: 'node-cron' }, message),
    error: (message, err) => logger.error({ source: 'node-cron', err: err ?? message }, 'node-cron error'),
    debug: (message) => logger.debug({ source: 'node-cron' }, String(message)),
  });
  /** Keyed by schedule id + the schedule's version, so a changed schedule gets new tasks. */
  const tasks = new Map<string, ScheduledTask[]>();
  let sweepTask: ScheduledTask | undefined;
  let poll: NodeJS.Timeout | undefined;

  const keyOf = (s: Schedule) => `${s.id}@${s.updatedAt}`;

  const drain = () =>
    deps.worker.drain().catch((err: unknown) => logger.error({ err }, 'outbox drain failed'));

  async function onTick(id: string) {
    try {
      const schedule = await deps.schedules.get(id);
      if (!schedule || schedule.paused) return;
      if ((await deps.firing.fireDue(schedule)) === 'queued') void drain();
    } catch (err) {
      logger.error({ err, schedule: id }, 'scheduled fire failed');
    }
  }

  /** Brings node-cron tasks in line with the database. Cheap; called after every change. */
  async function reload(): Promise<void> {
    const active = new Map((await deps.schedules.listActive()).map((s) => [keyOf(s), s]));
    for (const [key, list] of tasks) {
      if (active.has(key)) continue;
      for (const t of list) void t.destroy();
      tasks.delete(key);
    }
    for (const [key, s] of active) {
      if (tasks.has(key)) continue;
      tasks.set(
        key,
        s.crons.map((expr) =>
          cron.schedule(expr, () => void onTick(s.id), { timezone: s.timezone, name: `schedule-${s.id}`, noOverlap: true }),
        ),
      );
    }
    logger.debug({ schedules: active.size }, 'schedules loaded');
  }

  async function sweep(): Promise<void> {
    try {
      const counts = await deps.firing.sweep();
      if (counts.queued) void drain();
    } catch (err) {
      logger.error({ err }, 'schedule sweep failed');
    }
  }

  return {
    reload,
    async start(): Promise<void> {
      await reload();
      await sweep();
      void drain();
      sweepTask = cron.schedule('* * * * *', () => void sweep(), { name: 'schedule-sweep', noOverlap: true });
      poll = setInterval(() => void drain(), OUTBOX_POLL_MS);
      poll.unref();
    },
    async stop(): Promise<void> {
      if (poll) clearInterval(poll);
      await sweepTask?.destroy();
      for (const list of tasks.values()) for (const t of list) await t.destroy();
      tasks.clear();
      // Let an in-flight drain finish so no row is left half-sent.
      await drain();
    },
    taskCount: () => [...tasks.values()].reduce((n, l) => n + l.length, 0),
  };
}
