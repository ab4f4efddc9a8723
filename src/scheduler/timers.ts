/**
 * Hold timers in this process: each stored timer gets a setTimeout for its end; at start-up
 * every stored timer is armed again (overdue ones finish at once), and the minute sweep
 * finishes any that are overdue as a safety net. The core's finishTimer claims a timer under
 * the session's version, so several replicas (or a click racing the timer) edit once.
 */
import type { Catalogue } from '../core/catalogue.js';
import { finishTimer } from '../core/finish-timer.js';
import type { Platform } from '../core/incoming.js';
import type { Notifier } from '../core/notifier.js';
import type { Clock, SessionRepo } from '../core/ports.js';
import type { Logger } from '../logger.js';

export interface HoldTimerDeps {
  sessions: SessionRepo;
  catalogue: Catalogue;
  clock: Clock;
  notifiers: ReadonlyMap<Platform, Notifier>;
  logger: Logger;
  /** Real setTimeouts; tests with a fake clock call `runDue` instead. */
  useTimers: boolean;
}

/** setTimeout's limit; a longer hold is armed again when this one wakes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export function createHoldTimers(deps: HoldTimerDeps) {
  const { logger } = deps;
  const armed = new Map<string, NodeJS.Timeout>();
  let running = false;

  async function finish(sessionId: string): Promise<void> {
    armed.delete(sessionId);
    try {
      const outcome = await finishTimer(deps, sessionId);
      if (outcome.kind === 'early') return arm(sessionId, outcome.endsAt);
      if (outcome.kind !== 'ended' || !outcome.edit) return;
      const { platform, workspaceId, messageRef, card } = outcome.edit;
      const notifier = deps.notifiers.get(platform);
      if (!notifier?.edit) return;
      await notifier.edit(workspaceId, messageRef, card);
    } catch (err) {
      // Never the message ref: it can hold an interaction token or a response_url.
      logger.warn({ err, sessionId }, 'hold timer: could not update the message');
    }
  }

  function arm(sessionId: string, endsAt: number): void {
    if (!running) return;
    clearTimeout(armed.get(sessionId));
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, endsAt - deps.clock.now()));
    const t = setTimeout(() => void finish(sessionId), delay);
    t.unref();
    armed.set(sessionId, t);
  }

  /** Finishes every stored timer that has ended by now (start-up, the minute sweep, tests). */
  async function runDue(): Promise<number> {
    const due = await deps.sessions.runningTimers(deps.clock.now());
    for (const t of due) await finish(t.sessionId);
    return due.length;
  }

  return {
    arm: (sessionId: string, endsAt: number) => {
      if (deps.useTimers) arm(sessionId, endsAt);
    },
    runDue,
    /** Arms every stored timer: overdue ones finish at once, running ones on time. */
    async start(): Promise<void> {
      running = deps.useTimers;
      await runDue();
      if (!running) return;
      for (const t of await deps.sessions.runningTimers()) arm(t.sessionId, t.endsAt);
    },
    stop(): void {
      running = false;
      for (const t of armed.values()) clearTimeout(t);
      armed.clear();
    },
  };
}

export type HoldTimers = ReturnType<typeof createHoldTimers>;
