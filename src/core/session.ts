/**
 * The guided-session state machine. Pure: it takes a session and a verb and returns
 * the next session or the reason the verb does not apply. Persistence is the caller's job.
 */
import type { SessionVerb } from './action-id.js';
import type { Platform } from './incoming.js';
import { fail, type Result } from './result.js';

export type SessionStatus = 'active' | 'paused' | 'hurt' | 'completed' | 'stopped' | 'abandoned';
export type StepResult = 'pending' | 'done' | 'skipped' | 'hurt';
export type Surface = 'channel' | 'dm';

export interface Session {
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
      const verbs: SessionVerb[] = [isLastStep(s) ? 'done' : 'next'];
      if (s.step > 0) verbs.push('back');
      verbs.push('skip', 'pause', 'stop', 'hurt');
      return verbs;
    }
    case 'paused':
      return ['resume', 'stop'];
    case 'hurt':
      return ['skip', 'stop'];
    default:
      return [];
  }
}

export function newSession(
  init: Pick<Session, 'id' | 'platform' | 'workspaceId' | 'userId' | 'channelId' | 'teamId' | 'surface' | 'routineId' | 'exerciseIds'> & { now: number },
): Session {
  const { now, ...fields } = init;
  return {
    ...fields,
    exerciseIds: [...init.exerciseIds],
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

  const next: Session = { ...s, results: [...s.results], updatedAt: now };
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
  }
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
  if (s.status === 'hurt') return 'Choose whether to skip this exercise or end the session.';
  if (verb === 'back') return 'You are already on the first exercise.';
  if (verb === 'next') return 'This is the last exercise. Press Done to finish.';
  if (verb === 'done') return 'There are more exercises to go. Press Next to continue.';
  if (verb === 'resume') return 'This session is not paused.';
  return 'That button does not apply right now.';
}

export interface SessionSummary {
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
    total: s.exerciseIds.length,
    done: count('done'),
    skipped: count('skipped'),
    hurt: count('hurt'),
    notReached: count('pending'),
    activeSeconds: Math.max(0, Math.round((end - s.startedAt - s.pausedMs) / 1000)),
  };
}
