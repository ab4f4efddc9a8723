/** Ending a hold timer whose time is up, solo or group: once, whichever process gets there first. */
import type { Card } from './card.js';
import type { CoreDeps } from './deps.js';
import { isLiveGroup, type GroupSession } from './group-session.js';
import { timeUp, type Timed, type TimerRef } from './hold-timer.js';
import { sessionOnStep, type Session } from './session.js';
import { groupCard } from './team/group-views.js';
import { sessionCard } from './views.js';

export interface TimerEdit {
  platform: string;
  workspaceId: string;
  messageRef: string;
  card: Card;
}

export type TimerOutcome =
  /** Ended now: edit this message (when the adapter left an address for it). */
  | { kind: 'ended'; edit?: TimerEdit }
  /** Not due yet: try again at `endsAt`. */
  | { kind: 'early'; endsAt: number }
  /** Gone, already ended by someone else, or replaced by a click: nothing to do. */
  | { kind: 'none' };

export type TimerDeps = Pick<CoreDeps, 'sessions' | 'groups' | 'catalogue' | 'clock'>;

interface Owner<T extends Timed> {
  get(deps: TimerDeps, id: string): Promise<T | undefined>;
  onStep(t: T): boolean;
  /** Saves under `version`: the claim. */
  save(deps: TimerDeps, next: T, version: number): Promise<boolean>;
  card(t: T, deps: TimerDeps): Card;
}
type Stored = Timed & { platform: string; workspaceId: string; exerciseIds: string[]; messageRef?: string; version: number };

const session: Owner<Session> = {
  get: (deps, id) => deps.sessions.get(id),
  onStep: sessionOnStep,
  save: (deps, s, version) => deps.sessions.save({ ...s, updatedAt: deps.clock.now() }, version),
  card: (s, deps) => sessionCard(s, deps.catalogue),
};

// The end of a hold is not a press: it does not keep an idle group open.
const group: Owner<GroupSession> = {
  get: (deps, id) => deps.groups.get(id),
  onStep: isLiveGroup,
  save: (deps, g, version) => deps.groups.save(g, version, []),
  card: (g, deps) => groupCard(g, deps.catalogue),
};

export function finishTimer(deps: TimerDeps, ref: TimerRef): Promise<TimerOutcome> {
  return ref.kind === 'group' ? finishWith(group, deps, ref.id) : finishWith(session, deps, ref.id);
}

async function finishWith<T extends Stored>(owner: Owner<T>, deps: TimerDeps, id: string): Promise<TimerOutcome> {
  const t = await owner.get(deps, id);
  if (!t?.timer || !t.exerciseIds.every((e) => deps.catalogue.exercises.has(e))) return { kind: 'none' };
  const onStep = owner.onStep(t);
  const next = timeUp(t, deps.clock.now(), onStep);
  if (!next) return onStep ? { kind: 'early', endsAt: t.timer.endsAt } : { kind: 'none' };
  // The version check is the claim: of several replicas (or a click racing the timer) one wins.
  if (!(await owner.save(deps, next, t.version))) return { kind: 'none' };
  if (!next.messageRef) return { kind: 'ended' };
  return { kind: 'ended', edit: { platform: next.platform, workspaceId: next.workspaceId, messageRef: next.messageRef, card: owner.card(next, deps) } };
}
