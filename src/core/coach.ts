/**
 * The one entry point every adapter shares: `/stretch …` commands and button clicks in,
 * Reply values out. Knows nothing about any platform.
 */
import { decodeAction, type ActionRef } from './action-id.js';
import { ephemeral, inPlace, notice, update, type PostedTag, type Reply } from './card.js';
import { findRoutine, type Exercise } from './catalogue.js';
import { runCommand } from './commands/dispatch.js';
import type { CoreDeps } from './deps.js';
import { startTimer } from './hold-timer.js';
import { FORM_COMMAND } from './forms/form.js';
import { homeView, onHomeAction, type HomeRequest } from './home.js';
import type { Card } from './card.js';
import { submitForm, type FormOutcome } from './forms/submit.js';
import type { IncomingAction, IncomingCommand, IncomingForm, Platform } from './incoming.js';
import { isFinished, sessionOnStep, summarise, transition, type Session } from './session.js';
import { localDayOf } from './habits/days.js';
import { restoreSkip } from './skip-list.js';
import { startSession } from './start-session.js';
import { settingsCard } from './team/personal-commands.js';
import { onGroupAction, rememberGroupMessage } from './team/group-actions.js';
import { onPromptAction } from './team/prompt-actions.js';
import { userZone } from './team/zone.js';
import { restoreHint, sessionCard, unknownRoutineCard } from './views.js';

export interface Coach {
  handleCommand(cmd: IncomingCommand): Promise<Reply[]>;
  handleAction(act: IncomingAction): Promise<Reply[]>;
  /** A submitted form: its command's replies, or the problems to show next to the fields. */
  handleForm(sub: IncomingForm): Promise<FormOutcome>;
  /** The person's home view, as cards. */
  home(who: HomeRequest): Promise<Card[]>;
  /**
   * An adapter posted a reply tagged `remember` and says where (the same kind of address as
   * IncomingAction.messageRef). False when nothing was stored: not that platform's and
   * workspace's, or the address is known already.
   */
  messagePosted(platform: Platform, workspaceId: string, tag: PostedTag, messageRef: string): Promise<boolean>;
}

const refuse = (title: string, text: string, tone: 'warning' | 'info' = 'warning'): Reply[] => [ephemeral(notice(title, text, tone))];

async function onSessionAction(deps: CoreDeps, act: IncomingAction, ref: Extract<ActionRef, { kind: 'session' }>): Promise<Reply[]> {
  const { sessions, catalogue, clock } = deps;
  const s = await sessions.get(ref.sessionId);
  if (!s) return refuse('Session not found', "I can't find that session any more. Start a new one with /stretch.");
  if (s.platform !== act.platform || s.workspaceId !== act.workspaceId || s.userId !== act.userId) {
    return refuse('Not your session', "These buttons belong to someone else's routine. Start your own with /stretch.");
  }
  if (isFinished(s)) return refuse('Session over', 'That session has already ended. Start a new one with /stretch.', 'info');
  if (!s.exerciseIds.every((id) => catalogue.exercises.has(id))) {
    return refuse('Routine changed', "This routine's exercises changed since you started, so it can't continue. Start it again with /stretch.");
  }
  if (s.step !== ref.step) {
    return refuse('Old button', `That button is from an earlier step; your session is now on step ${s.step + 1} of ${s.exerciseIds.length}. Use the latest message.`, 'info');
  }
  const exercise = catalogue.exercises.get(s.exerciseIds[s.step]!)!;
  if (ref.verb === 'easier' && !exercise.easier) {
    return refuse('No easier version', `${exercise.name} has no easier version yet. Skip it, or end the session.`, 'info');
  }
  const now = clock.now();
  const result = ref.verb === 'timer' ? startSessionTimer(s, exercise, now) : transition(s, ref.verb, now);
  if (!result.ok) return refuse('Not right now', result.message, 'info');
  // The latest click's message is the one a timer edits later.
  const next = { ...result.session, messageRef: act.messageRef ?? s.messageRef };
  const card = sessionCard(next, catalogue);
  const finished = isFinished(next);
  // The day a finish counts for is the person's own calendar day, so streaks follow their zone.
  const facts = finished ? { localDay: localDayOf(next.finishedAt ?? next.updatedAt, (await userZone(deps, act)).zone) } : undefined;
  if (!(await sessions.save(next, s.version, finished ? summarise(next) : undefined, facts))) {
    return refuse('Already handled', 'That button was just pressed. Use the updated message.', 'info');
  }
  if (next.timer) deps.holdTimers?.arm({ kind: 'session', id: next.id }, next.timer.endsAt);
  if (ref.verb === 'never') {
    await deps.users.skipExercise(s, exercise.id, clock.now());
    card.sections.unshift(`${exercise.name} is left out of your sessions from now on. Bring it back any time with ${restoreHint(exercise.id)}.`);
  }
  return [update(card)];
}

/** The solo ⏱: the shared start (core/hold-timer), stamped as the session's latest change. */
function startSessionTimer(s: Session, exercise: Exercise, now: number) {
  const started = startTimer(s, exercise, now, sessionOnStep(s));
  return started.ok ? { ok: true as const, session: { ...started.next, updatedAt: now } } : started;
}

/** A Restore button from the clicker's own settings card: the refreshed card replaces it. */
async function onRestore(deps: CoreDeps, act: IncomingAction, exerciseId: string): Promise<Reply[]> {
  const restored = await restoreSkip(deps, act, exerciseId);
  if (!restored.ok) return refuse('Nothing to restore', restored.message, 'info');
  const card = await settingsCard(deps, act);
  card.sections.unshift(`${restored.name} is back in your sessions.`);
  return [update(card)];
}

export function createCoach(deps: CoreDeps): Coach {
  return {
    handleCommand: (cmd) => runCommand(cmd, deps),

    async handleAction(act) {
      const ref = decodeAction(act.actionId);
      if (!ref) return refuse('Unknown button', "I don't recognise that button, so nothing changed. Start fresh with /stretch.");
      switch (ref.kind) {
        case 'session':
          return onSessionAction(deps, act, ref);
        case 'pick': {
          const routine = findRoutine(deps.catalogue, ref.routineId);
          if (!routine) return [ephemeral(unknownRoutineCard(deps.catalogue, ref.routineId))];
          // The picker message itself becomes the first step (or the DM confirmation).
          return inPlace(await startSession(deps, act, routine, ref.inDm || act.isDm ? 'dm' : 'channel'));
        }
        case 'prompt':
          return onPromptAction(deps, act, ref);
        case 'group':
          return onGroupAction(deps, act, ref);
        case 'restore':
          return onRestore(deps, act, ref.exerciseId);
        case 'form':
          // Through the command, so its admin gate decides who may open the form.
          return runCommand({ ...act, command: { name: FORM_COMMAND[ref.form], options: {} } }, deps);
        case 'home':
          return onHomeAction(deps, act, ref);
      }
    },

    home: (who) => homeView(deps, who),

    handleForm: (sub) => submitForm(deps, sub),

    messagePosted: (platform, workspaceId, tag, messageRef) => rememberGroupMessage(deps, { platform, workspaceId }, tag.id, messageRef),
  };
}
