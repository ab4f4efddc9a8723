/**
 * Live group sessions: one routine a whole channel follows together in one message. Pure: a
 * group and a press (who pressed what) in, the next group or the reason nothing changes out.
 * Anyone may Join or Leave at any step; the host (whoever started it, then the
 * longest-standing participant) moves the group on. Persistence and rendering are the
 * caller's job.
 */
import type { Exercise } from './catalogue.js';
import { resetTimer, startTimer, type Timed } from './hold-timer.js';
import { fail, type Result } from './result.js';

/** A group with no press for this long closes itself, with a summary. */
export const GROUP_IDLE_MS = 30 * 60_000;

/** `timer` starts the current step's hold timer for everyone. */
export const GROUP_VERBS = ['join', 'leave', 'next', 'done', 'back', 'skip', 'stop', 'timer'] as const;
export type GroupVerb = (typeof GROUP_VERBS)[number];
/** Only the host may press these; anyone may join or leave. */
export const HOST_VERBS: readonly GroupVerb[] = ['next', 'done', 'back', 'skip', 'stop', 'timer'];

/** `finished`: the host did the last step; `stopped`: the host ended it; `closed`: idle, or everyone left. */
export type GroupStatus = 'live' | 'finished' | 'stopped' | 'closed';

export interface Participant {
  userId: string;
  /** Start of the current stint: someone who leaves and comes back queues again for host. */
  joinedAt: number;
  /** Time spent in earlier stints. */
  earlierMs: number;
  /** Set while the person is not taking part (left); cleared when they join again. */
  leftAt?: number;
  /** Steps the group finished while this person was in it. */
  stepsDone: number;
}

export interface GroupSession extends Timed {
  id: string;
  platform: string;
  workspaceId: string;
  channelId: string;
  routineId: string;
  exerciseIds: string[];
  step: number;
  status: GroupStatus;
  hostId: string;
  /** In the order of their current stint: the first present one is the longest-standing. */
  participants: Participant[];
  startedAt: number;
  /** The last button press, for the idle close. */
  lastPressAt: number;
  finishedAt?: number;
  /** The adapter's opaque address of the channel message, so the idle close can edit it. */
  messageRef?: string;
  /** The workspace the channel belongs to, as the platform names it, for team summaries. */
  teamId?: string;
  version: number;
}

export type GroupRefusal = 'ended' | 'not-host' | 'not-now';
/** `handedTo`: the host left and this participant is the host now (the message says so). */
export type GroupTransition = Result<{ group: GroupSession; handedTo?: string }, GroupRefusal>;

export const present = (g: GroupSession): Participant[] => g.participants.filter((p) => p.leftAt === undefined);
export const isTakingPart = (g: GroupSession, userId: string): boolean => present(g).some((p) => p.userId === userId);
export const isLiveGroup = (g: GroupSession): boolean => g.status === 'live';
const isLast = (g: GroupSession) => g.step === g.exerciseIds.length - 1;

export function newGroup(
  init: Pick<GroupSession, 'id' | 'platform' | 'workspaceId' | 'channelId' | 'teamId' | 'routineId' | 'exerciseIds' | 'hostId'> & { now: number },
): GroupSession {
  const { now, ...fields } = init;
  return {
    ...fields,
    exerciseIds: [...init.exerciseIds],
    step: 0,
    status: 'live',
    participants: [{ userId: init.hostId, joinedAt: now, earlierMs: 0, stepsDone: 0 }],
    startedAt: now,
    lastPressAt: now,
    timersDone: 0,
    version: 0,
  };
}

/** The host's buttons that apply at this step (for drawing them); the timer's is drawn by its phase. */
export function hostVerbs(g: GroupSession): GroupVerb[] {
  if (!isLiveGroup(g)) return [];
  return [isLast(g) ? 'done' : 'next', ...(g.step > 0 ? (['back'] as const) : []), 'skip', 'stop'];
}

/** `exercise`: the current step's, which `timer` needs to know how long the hold is. */
export function groupTransition(g: GroupSession, verb: GroupVerb, userId: string, now: number, exercise?: Exercise): GroupTransition {
  if (!isLiveGroup(g)) return fail('ended', 'This group session has ended. Start a new one with /stretch group.');
  if (HOST_VERBS.includes(verb) && userId !== g.hostId) {
    return fail('not-host', 'Only the host moves the group on. You can Join or Leave at any time.');
  }
  const next: GroupSession = { ...g, participants: g.participants.map((p) => ({ ...p })), lastPressAt: now };
  const me = next.participants.find((p) => p.userId === userId);
  switch (verb) {
    case 'join':
      if (me && me.leftAt === undefined) return fail('not-now', 'You are already taking part.');
      next.participants = next.participants.filter((p) => p.userId !== userId);
      next.participants.push(me ? { userId, joinedAt: now, earlierMs: me.earlierMs + (me.leftAt! - me.joinedAt), stepsDone: me.stepsDone } : { userId, joinedAt: now, earlierMs: 0, stepsDone: 0 });
      return { ok: true, group: next };
    case 'leave': {
      if (!me || me.leftAt !== undefined) return fail('not-now', 'You are not taking part, so there is nothing to leave. Press Join to take part.');
      me.leftAt = now;
      if (userId !== g.hostId) return { ok: true, group: next };
      const heir = present(next)[0];
      if (!heir) return { ok: true, group: end(next, 'closed', now) };
      next.hostId = heir.userId;
      return { ok: true, group: next, handedTo: heir.userId };
    }
    case 'next':
    case 'done':
      if (verb === 'next' && isLast(g)) return fail('not-now', 'This is the last exercise. Press Done to finish.');
      if (verb === 'done' && !isLast(g)) return fail('not-now', 'There are more exercises to go. Press Next to continue.');
      for (const p of present(next)) p.stepsDone += 1;
      if (verb === 'done') return { ok: true, group: end(next, 'finished', now) };
      return { ok: true, group: toStep(next, g.step + 1) };
    case 'back':
      if (g.step === 0) return fail('not-now', 'The group is already on the first exercise.');
      return { ok: true, group: toStep(next, g.step - 1) };
    case 'skip':
      if (isLast(g)) return { ok: true, group: end(next, 'finished', now) };
      return { ok: true, group: toStep(next, g.step + 1) };
    case 'stop':
      return { ok: true, group: end(next, 'stopped', now) };
    case 'timer': {
      const started = exercise ? startTimer(next, exercise, now, true) : fail('not-now', 'There is no timer to start on this step right now.');
      return started.ok ? { ok: true, group: started.next } : started;
    }
  }
}

/** Moving to another step ends its timer; the new step starts with no holds done. */
function toStep(g: GroupSession, step: number): GroupSession {
  const next = { ...g, step };
  resetTimer(next, true);
  return next;
}

/** An ended group has no timer left to finish. */
function end(g: GroupSession, status: Exclude<GroupStatus, 'live'>, now: number): GroupSession {
  const ended = { ...g, status, finishedAt: now };
  resetTimer(ended, false);
  return ended;
}

/** Closes a live group nobody pressed anything on for GROUP_IDLE_MS; undefined while it is in use. */
export function closeIfIdle(g: GroupSession, now: number): GroupSession | undefined {
  if (!isLiveGroup(g) || now - g.lastPressAt < GROUP_IDLE_MS) return undefined;
  return end(g, 'closed', now);
}

/** What each person's stats get when a group ends. */
export interface GroupCredit {
  userId: string;
  /** `completed` for everyone still there when the host finished the last step. */
  outcome: 'completed' | 'stopped';
  done: number;
  total: number;
  activeSeconds: number;
  /** The participant's local day of the finish, for streaks (filled where their zone is known). */
  localDay?: number;
}

export function groupCredits(g: GroupSession): GroupCredit[] {
  if (isLiveGroup(g)) return [];
  const end = g.finishedAt ?? g.lastPressAt;
  return g.participants.map((p) => ({
    userId: p.userId,
    outcome: g.status === 'finished' && p.leftAt === undefined ? 'completed' : 'stopped',
    done: p.stepsDone,
    total: g.exerciseIds.length,
    activeSeconds: Math.max(0, Math.round((p.earlierMs + (p.leftAt ?? end) - p.joinedAt) / 1000)),
  }));
}

/** "6 people finished the Desk break together". */
export function togetherLine(g: GroupSession, routineName: string): string {
  const finishers = g.status === 'finished' ? present(g).length : 0;
  if (finishers === 0) return `The ${routineName} group session ended.`;
  return `${finishers} ${finishers === 1 ? 'person' : 'people'} finished the ${routineName} together`;
}
