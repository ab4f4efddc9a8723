/**
 * The guided-session state machine. Pure: it takes a session and a verb and returns
 * the next session or the reason the verb does not apply. Persistence is the caller's job.
 */
import type { SessionVerb } from './action-id.js';
import { resetTimer, type Timed } from './hold-timer.js';
import type { Platform } from './incoming.js';
import { fail, type Result } from './result.js';

export type SessionStatus = 'active' | 'paused' | 'hurt' | 'completed' | 'stopped' | 'abandoned';
export type StepResult = 'pending' | 'done' | 'skipped' | 'hurt';
export type Surface = 'channel' | 'dm';

export interface Session extends Timed {
  id: string;
  platform: Platform;
  workspaceId: string;
  userId: string;
  channelId: string;
  /** The platform workspace (a chat team or server) it was started in; none in a DM. */
  teamId?: string;
  surface: Surface;
  routineId: string;
  /** Snapshot of the routine at start, so editing content never breaks a running session. */
  exerciseIds: string[];
  /** 0-based index of the current exercise. */
  step: number;
  status: SessionStatus;
  results: StepResult[];
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  pausedAt?: number;
  pausedMs: number;
  /** Steps shown in their easier variant, chosen after "It hurts". */
  easierSteps: number[];
  /** Exercises of the routine left out at start because this person skips them. */
  leftOut: string[];
  /**
   * The adapter's opaque address of the message showing this session, kept so a timer that
   * ends later can edit it without a click.
   */
  messageRef?: string;
  /** Optimistic-concurrency counter: bumped on every saved transition. */
  version: number;
}

/** `ended`: the session is over; `not-now`: that button does not apply in its current state. */
export type Transition = Result<{ session: Session }, 'ended' | 'not-now'>;

export const FINISHED: readonly SessionStatus[] = ['completed', 'stopped', 'abandoned'];

export function isFinished(s: Session): boolean {
  return FINISHED.includes(s.status);
}

export function isLastStep(s: Session): boolean {
  return s.step === s.exerciseIds.length - 1;
}

/** The verbs whose buttons are drawn for the session as it is now. */
export function availableVerbs(s: Session): SessionVerb[] {
  switch (s.status) {
    case 'active': {
      // `timer` is offered by the step card only where the exercise is timed (core/hold-timer).
      const verbs: SessionVerb[] = [isLastStep(s) ? 'done' : 'next'];
      if (s.step > 0) verbs.push('back');
      verbs.push('skip', 'pause', 'stop', 'hurt');
      return verbs;
    }
    case 'paused':
      return ['resume', 'stop'];
    case 'hurt':
      return ['easier', 'never', 'skip', 'stop'];
    default:
      return [];
  }
}

export function newSession(
  init: Pick<Session, 'id' | 'platform' | 'workspaceId' | 'userId' | 'channelId' | 'teamId' | 'surface' | 'routineId' | 'exerciseIds'> & {
    now: number;
    leftOut?: string[];
  },
): Session {
  const { now, leftOut = [], ...fields } = init;
  return {
    ...fields,
    exerciseIds: [...init.exerciseIds],
    easierSteps: [],
    leftOut: [...leftOut],
    timersDone: 0,
    step: 0,
    status: 'active',
    results: init.exerciseIds.map(() => 'pending'),
    startedAt: now,
    updatedAt: now,
    pausedMs: 0,
    version: 0,
  };
}

export function transition(s: Session, verb: SessionVerb, now: number): Transition {
  if (isFinished(s)) return fail('ended', 'This session has already ended.');
  if (!availableVerbs(s).includes(verb)) return fail('not-now', refusal(s, verb));

  const next: Session = { ...s, results: [...s.results], easierSteps: [...s.easierSteps], updatedAt: now };
  switch (verb) {
    case 'next':
      next.results[s.step] = 'done';
      next.step = s.step + 1;
      break;
    case 'done':
      next.results[s.step] = 'done';
      finish(next, 'completed', now);
      break;
    case 'back':
      next.step = s.step - 1;
      break;
    case 'skip':
    case 'never':
      // After "It hurts" the step keeps its 'hurt' mark so the summary can say why it was skipped.
      if (s.status !== 'hurt') next.results[s.step] = 'skipped';
      next.status = 'active';
      if (isLastStep(s)) finish(next, 'completed', now);
      else next.step = s.step + 1;
      break;
    case 'pause':
      next.status = 'paused';
      next.pausedAt = now;
      break;
    case 'resume':
      next.status = 'active';
      next.pausedMs = s.pausedMs + (now - (s.pausedAt ?? now));
      delete next.pausedAt;
      break;
    case 'stop':
      finish(next, 'stopped', now);
      break;
    case 'hurt':
      next.status = 'hurt';
      next.results[s.step] = 'hurt';
      break;
    case 'easier':
      // The step stays marked 'hurt' until the easier version is done (Next marks it done).
      next.status = 'active';
      if (!next.easierSteps.includes(s.step)) next.easierSteps.push(s.step);
      break;
  }
  // Any button ends a running hold timer.
  resetTimer(next, next.step !== s.step);
  return { ok: true, session: next };
}

function finish(s: Session, status: 'completed' | 'stopped', now: number): void {
  if (s.status === 'paused' && s.pausedAt !== undefined) s.pausedMs += now - s.pausedAt;
  delete s.pausedAt;
  s.status = status;
  s.finishedAt = now;
}

function refusal(s: Session, verb: SessionVerb): string {
  if (s.status === 'paused') return 'This session is paused. Press Resume to carry on.';
  if (s.status === 'hurt') return 'Choose one of the buttons under the safety advice: the easier version, a skip, or end the session.';
  if (verb === 'back') return 'You are already on the first exercise.';
  if (verb === 'next') return 'This is the last exercise. Press Done to finish.';
  if (verb === 'done') return 'There are more exercises to go. Press Next to continue.';
  if (verb === 'resume') return 'This session is not paused.';
  return 'That button does not apply right now.';
}

export interface SessionSummary {
  /** How history counts it: ending because something hurt is a finished session, never a failure. */
  outcome: 'completed' | 'stopped';
  total: number;
  done: number;
  skipped: number;
  hurt: number;
  notReached: number;
  activeSeconds: number;
}

export function summarise(s: Session): SessionSummary {
  const count = (r: StepResult) => s.results.filter((x) => x === r).length;
  const end = s.finishedAt ?? s.updatedAt;
  return {
    outcome: s.status === 'completed' || endedForPain(s) ? 'completed' : 'stopped',
    total: s.exerciseIds.length,
    done: count('done'),
    skipped: count('skipped'),
    hurt: count('hurt'),
    notReached: count('pending'),
    activeSeconds: Math.max(0, Math.round((end - s.startedAt - s.pausedMs) / 1000)),
  };
}

/** Stopped on a step that hurt: the safe choice, so history does not count it as given up. */
export function endedForPain(s: Session): boolean {
  return s.status === 'stopped' && s.results[s.step] === 'hurt';
}

/** Whether the current step shows its easier variant. */
export const onEasier = (s: Session): boolean => s.easierSteps.includes(s.step);

/** On its step, where a hold timer can run (not paused, hurt or ended). */
export const sessionOnStep = (s: Session): boolean => s.status === 'active';
