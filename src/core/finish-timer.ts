/** Ending a hold timer whose time is up: once, whichever process gets there first. */
import type { Card } from './card.js';
import type { CoreDeps } from './deps.js';
import { timeUp } from './hold-timer.js';
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

export async function finishTimer(deps: Pick<CoreDeps, 'sessions' | 'catalogue' | 'clock'>, sessionId: string): Promise<TimerOutcome> {
  const s = await deps.sessions.get(sessionId);
  if (!s?.timer || !s.exerciseIds.every((id) => deps.catalogue.exercises.has(id))) return { kind: 'none' };
  const next = timeUp(s, deps.clock.now());
  if (!next) return s.status === 'active' ? { kind: 'early', endsAt: s.timer.endsAt } : { kind: 'none' };
  // The version check is the claim: of several replicas (or a click racing the timer) one wins.
  if (!(await deps.sessions.save(next, s.version))) return { kind: 'none' };
  if (!next.messageRef) return { kind: 'ended' };
  return { kind: 'ended', edit: { platform: next.platform, workspaceId: next.workspaceId, messageRef: next.messageRef, card: sessionCard(next, deps.catalogue) } };
}
