/**
 * Hold timers in this process, of solo sessions and live groups alike: each stored timer gets
 * a setTimeout for its end; at start-up every stored timer is armed again (overdue ones finish
 * at once), and the minute sweep finishes any that are overdue as a safety net. The core's
 * finishTimer claims a timer under its session's or group's version, so several replicas (or a
 * click racing the timer) edit once.
 */
import type { Catalogue } from '../core/catalogue.js';
import { finishTimer } from '../core/finish-timer.js';
import type { TimerRef } from '../core/hold-timer.js';
import type { Platform } from '../core/incoming.js';
import type { Notifier } from '../core/notifier.js';
import type { Clock, GroupRepo, RunningTimer, SessionRepo } from '../core/ports.js';
import type { Logger } from '../logger.js';

export interface HoldTimerDeps {
  sessions: SessionRepo;
  groups: GroupRepo;
  catalogue: Catalogue;
  clock: Clock;
  notifiers: ReadonlyMap<Platform, Notifier>;
  logger: Logger;
  /** Real setTimeouts; tests with a fake clock call `runDue` instead. */
  useTimers: boolean;
}

/** setTimeout's limit; a longer hold is armed again when this one wakes. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const keyOf = (ref: TimerRef) => `${ref.kind}:${ref.id}`;

export function createHoldTimers(deps: HoldTimerDeps) {
  const { logger } = deps;
  const armed = new Map<string, NodeJS.Timeout>();
  let running = false;

  /** Every stored running timer, sessions' and groups', ending by `dueBy` if given. */
  async function stored(dueBy?: number): Promise<(RunningTimer & { ref: TimerRef })[]> {
    const [sessions, groups] = await Promise.all([deps.sessions.runningTimers(dueBy), deps.groups.runningTimers(dueBy)]);
    const tag = (kind: TimerRef['kind']) => (t: RunningTimer) => ({ ...t, ref: { kind, id: t.id } });
    return [...sessions.map(tag('session')), ...groups.map(tag('group'))].sort((a, b) => a.endsAt - b.endsAt);
  }

  async function finish(ref: TimerRef): Promise<void> {
    armed.delete(keyOf(ref));
    try {
      const outcome = await finishTimer(deps, ref);
      if (outcome.kind === 'early') return arm(ref, outcome.endsAt);
      if (outcome.kind !== 'ended' || !outcome.edit) return;
      const { platform, workspaceId, messageRef, card } = outcome.edit;
      const notifier = deps.notifiers.get(platform);
      if (!notifier?.edit) return;
      await notifier.edit(workspaceId, messageRef, card);
    } catch (err) {
      // Never the message ref: it can hold an interaction token or a response_url.
      logger.warn({ err, [`${ref.kind}Id`]: ref.id }, 'hold timer: could not update the message');
    }
  }

  function arm(ref: TimerRef, endsAt: number): void {
    if (!running) return;
    const key = keyOf(ref);
    clearTimeout(armed.get(key));
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, endsAt - deps.clock.now()));
    const t = setTimeout(() => void finish(ref), delay);
    t.unref();
    armed.set(key, t);
  }

  /** Finishes every stored timer that has ended by now (start-up, the minute sweep, tests). */
  async function runDue(): Promise<number> {
    const due = await stored(deps.clock.now());
    for (const t of due) await finish(t.ref);
    return due.length;
  }

  return {
    arm: (ref: TimerRef, endsAt: number) => {
      if (deps.useTimers) arm(ref, endsAt);
    },
    runDue,
    /** Arms every stored timer: overdue ones finish at once, running ones on time. */
    async start(): Promise<void> {
      running = deps.useTimers;
      await runDue();
      if (!running) return;
      for (const t of await stored()) arm(t.ref, t.endsAt);
    },
    stop(): void {
      running = false;
      for (const t of armed.values()) clearTimeout(t);
      armed.clear();
    },
  };
}

export type HoldTimers = ReturnType<typeof createHoldTimers>;
