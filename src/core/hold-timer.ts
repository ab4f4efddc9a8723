/**
 * Hold timers: a step whose exercise has a hold or a duration can be timed, in a solo session
 * or a live group. Pure: the end time is stored with the session or group; whoever finishes it
 * (an in-process timer, the minute sweep, a replica after a restart) applies `timeUp` and saves
 * it under the version, so a timer ends once and its message is edited once.
 */
import type { Exercise } from './catalogue.js';
import { fail, type Result } from './result.js';

export interface HoldTimer {
  /** 1, or 2 for the other side of a per-side exercise. */
  side: number;
  endsAt: number;
}

/** Whose timer: a solo session's or a live group's, by id. */
export interface TimerRef {
  kind: 'session' | 'group';
  id: string;
}

/** What a timed step carries, in a solo session and in a group alike. */
export interface Timed {
  /** The current step's running hold timer. */
  timer?: HoldTimer;
  /** Timed holds finished on the current step (a per-side exercise has two). */
  timersDone: number;
}

/** Seconds one timed hold lasts, or undefined when the exercise is counted in reps or breaths only. */
export const holdSecondsOf = (ex: Exercise): number | undefined => ex.timing.holdSeconds ?? ex.timing.durationSeconds;

/** Timed holds a step needs: one per side. */
export const timerSidesOf = (ex: Exercise): number => (ex.timing.perSide ? 2 : 1);

export type TimerPhase = 'none' | 'ready' | 'running' | 'switch' | 'up';

/**
 * Where the current step's timer is: what the card shows and which button it offers.
 * `onStep`: the session or group is on the step now (not paused, hurt or ended).
 */
export function timerPhase(t: Timed, ex: Exercise, onStep: boolean): TimerPhase {
  if (!onStep || holdSecondsOf(ex) === undefined) return 'none';
  if (t.timer) return 'running';
  if (t.timersDone >= timerSidesOf(ex)) return 'up';
  return t.timersDone > 0 ? 'switch' : 'ready';
}

export function startTimer<T extends Timed>(t: T, ex: Exercise, now: number, onStep: boolean): Result<{ next: T }, 'not-now'> {
  const phase = timerPhase(t, ex, onStep);
  if (phase === 'running') return fail('not-now', 'The timer is already running. I will update this message when the time is up.');
  if (phase !== 'ready' && phase !== 'switch') return fail('not-now', 'There is no timer to start on this step right now.');
  const seconds = holdSecondsOf(ex)!;
  return { ok: true, next: { ...t, timer: { side: t.timersDone + 1, endsAt: now + seconds * 1000 } } };
}

/** The state once its running timer has ended, or undefined if none has ended by `now`. */
export function timeUp<T extends Timed>(t: T, now: number, onStep: boolean): T | undefined {
  if (!t.timer || t.timer.endsAt > now || !onStep) return undefined;
  const next: T = { ...t, timersDone: t.timersDone + 1 };
  delete next.timer;
  return next;
}

/** Any move ends a running timer (mutates the fresh copy a transition builds); a new step starts with none done. */
export function resetTimer(next: Timed, stepChanged: boolean): void {
  delete next.timer;
  if (stepChanged) next.timersDone = 0;
}
