/**
 * Owns the timers: one node-cron task that wakes the bot each minute to run the sweep (which
 * records whatever schedule slots are due; see firing.ts), and a short poll that drains the
 * outbox (snoozes). node-cron never decides a fire time: the evaluator in core/schedule does.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { createFiring } from './firing.js';
import type { createOutboxWorker } from './outbox-worker.js';
import type { HoldTimers } from './timers.js';

export const OUTBOX_POLL_MS = 15_000;

export interface SchedulerDeps {
  firing: ReturnType<typeof createFiring>;
  worker: ReturnType<typeof createOutboxWorker>;
  /** Overdue hold timers are finished by the sweep too, in case an in-process timer was lost. */
  holdTimers?: Pick<HoldTimers, 'runDue'>;
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
  let sweepTask: ScheduledTask | undefined;
  let poll: NodeJS.Timeout | undefined;

  const drain = () =>
    deps.worker.drain().catch((err: unknown) => logger.error({ err }, 'outbox drain failed'));

  async function sweep(): Promise<void> {
    try {
      const counts = await deps.firing.sweep();
      if (counts.queued) void drain();
    } catch (err) {
      logger.error({ err }, 'schedule sweep failed');
    }
    await deps.holdTimers?.runDue().catch((err: unknown) => logger.error({ err }, 'hold timer sweep failed'));
  }

  return {
    async start(): Promise<void> {
      // At once too: start-up catch-up should not wait for the next minute.
      await sweep();
      void drain();
      sweepTask = cron.schedule('* * * * *', () => void sweep(), { name: 'schedule-sweep', noOverlap: true });
      poll = setInterval(() => void drain(), OUTBOX_POLL_MS);
      poll.unref();
    },
    async stop(): Promise<void> {
      if (poll) clearInterval(poll);
      await sweepTask?.destroy();
      sweepTask = undefined;
      // Let an in-flight drain finish so no row is left half-sent.
      await drain();
    },
  };
}
