/**
 * Hold timers: a step whose exercise has a hold or a duration can be timed. Pure: the end
 * time is stored with the session; whoever finishes it (an in-process timer, the minute sweep,
 * a replica after a restart) applies `timeUp` and saves it under the session's version, so a
 * timer ends once and its message is edited once.
 */
import type { Exercise } from './catalogue.js';
import { fail, type Result } from './result.js';
import type { Session } from './session.js';

export interface HoldTimer {
  /** 1, or 2 for the other side of a per-side exercise. */
  side: number;
  endsAt: number;
}

/** Seconds one timed hold lasts, or undefined when the exercise is counted in reps or breaths only. */
export const holdSecondsOf = (ex: Exercise): number | undefined => ex.timing.holdSeconds ?? ex.timing.durationSeconds;

/** Timed holds a step needs: one per side. */
export const timerSidesOf = (ex: Exercise): number => (ex.timing.perSide ? 2 : 1);

export type TimerPhase = 'none' | 'ready' | 'running' | 'switch' | 'up';

/** Where the current step's timer is: what the card shows and which button it offers. */
export function timerPhase(s: Session, ex: Exercise): TimerPhase {
  if (s.status !== 'active' || holdSecondsOf(ex) === undefined) return 'none';
  if (s.timer) return 'running';
  if (s.timersDone >= timerSidesOf(ex)) return 'up';
  return s.timersDone > 0 ? 'switch' : 'ready';
}

export function startTimer(s: Session, ex: Exercise, now: number): Result<{ session: Session }, 'not-now'> {
  const phase = timerPhase(s, ex);
  if (phase === 'running') return fail('not-now', 'The timer is already running. I will update this message when the time is up.');
  if (phase !== 'ready' && phase !== 'switch') return fail('not-now', 'There is no timer to start on this step right now.');
  const seconds = holdSecondsOf(ex)!;
  return { ok: true, session: { ...s, timer: { side: s.timersDone + 1, endsAt: now + seconds * 1000 }, updatedAt: now } };
}

/** The session once its running timer has ended, or undefined if none has ended by `now`. */
export function timeUp(s: Session, now: number): Session | undefined {
  if (!s.timer || s.timer.endsAt > now || s.status !== 'active') return undefined;
  const next: Session = { ...s, timersDone: s.timersDone + 1, updatedAt: now };
  delete next.timer;
  return next;
}
