/** Card builders for everything the coach shows. Pure functions of their inputs. */
import { encodeAction, type SessionVerb } from './action-id.js';
import type { Button, ButtonStyle, Card, CardImage } from './card.js';
import { describeTiming, formatDuration, formatEstimate, type Catalogue, type Exercise, type Routine } from './catalogue.js';
import { holdSecondsOf, timerPhase, type Timed } from './hold-timer.js';
import { availableVerbs, endedForPain, isLastStep, onEasier, sessionOnStep, summarise, type Session } from './session.js';

export const VERB_BUTTON: Record<SessionVerb, { label: string; style: ButtonStyle }> = {
  next: { label: 'Next', style: 'primary' },
  done: { label: 'Done', style: 'success' },
  back: { label: 'Back', style: 'secondary' },
  skip: { label: 'Skip', style: 'secondary' },
  pause: { label: 'Pause', style: 'secondary' },
  resume: { label: 'Resume', style: 'primary' },
  stop: { label: 'Stop', style: 'danger' },
  hurt: { label: 'It hurts', style: 'danger' },
  easier: { label: 'Try the easier version', style: 'primary' },
  never: { label: 'Skip it from now on', style: 'secondary' },
  timer: { label: '⏱ Start timer', style: 'success' },
};

/** On the "It hurts" card the ways out read differently. */
const HURT_LABELS: Partial<Record<SessionVerb, string>> = { skip: 'Skip this time', stop: 'End session' };

const POSITION_LABEL = { standing: 'Standing', seated: 'Seated', floor: 'On the floor', wall: 'At a wall' } as const;

/** `hasEasier`: the current exercise has an easier variant to offer after "It hurts". */
export function sessionButtons(s: Session, hasEasier = true): Button[] {
  return availableVerbs(s)
    .filter((verb) => verb !== 'easier' || hasEasier)
    .map((verb) => ({
      id: encodeAction({ kind: 'session', sessionId: s.id, step: s.step, verb }),
      label: (s.status === 'hurt' && HURT_LABELS[verb]) || VERB_BUTTON[verb].label,
      style: s.status === 'hurt' && verb === 'skip' && !hasEasier ? 'primary' : VERB_BUTTON[verb].style,
    }));
}

/**
 * The ⏱ Start timer button, when the step's timer can start now (solo and group alike);
 * `id` is the action pressing it sends.
 */
export function timerButton(t: Timed, ex: Exercise, onStep: boolean, id: string): Button | undefined {
  const seconds = holdSecondsOf(ex);
  const phase = timerPhase(t, ex, onStep);
  if (seconds === undefined || (phase !== 'ready' && phase !== 'switch')) return undefined;
  return { id, label: `⏱ Start timer (${seconds} s)${phase === 'switch' ? ', other side' : ''}`, style: 'success' };
}

/** The hold-timer line for the step, and the running timer to show, by where its timer is. */
function timerParts(t: Timed, ex: Exercise, onStep: boolean, onward: string): { section?: string; timer?: Card['timer'] } {
  const seconds = holdSecondsOf(ex);
  switch (timerPhase(t, ex, onStep)) {
    case 'none':
    case 'ready':
      return {};
    case 'switch':
      return { section: "⏱ Time's up on this side. Switch sides, then start the timer for the other side." };
    case 'running': {
      const side = ex.timing.perSide ? (t.timer!.side === 1 ? ', first side' : ', other side') : '';
      return { section: `⏱ Hold for ${seconds} s${side}. I'll update this message when the time is up.`, timer: { endsAt: t.timer!.endsAt, seconds: seconds! } };
    }
    case 'up':
      return { section: `⏱ Time's up. Press ${onward} when you are ready.` };
  }
}

/**
 * The timer button sits after Next/Back, where a thumb already is. `moves` are the buttons that
 * start with Next (and Back after the first step); it is added to them in place.
 */
export function withTimerButton(moves: Button[], timer: Button | undefined, step: number): Button[] {
  if (timer) moves.splice(step > 0 ? 2 : 1, 0, timer);
  return moves;
}

/** How to take an exercise off the skip list, in one line. */
export const restoreHint = (exerciseId: string): string => `/stretch settings restore ${exerciseId}`;

/** Said on the first step when the person's skip list shortened the routine. */
function leftOutLine(s: Session, catalogue: Catalogue): string | undefined {
  if (s.step !== 0 || !s.leftOut.length) return undefined;
  const names = s.leftOut.map((id) => catalogue.exercises.get(id)?.name ?? id).join(', ');
  return `Left out because you skip ${s.leftOut.length === 1 ? 'it' : 'them'}: ${names}. Bring one back with ${restoreHint(s.leftOut[0]!)}.`;
}

function exerciseOf(s: Session, catalogue: Catalogue) {
  const id = s.exerciseIds[s.step]!;
  const ex = catalogue.exercises.get(id);
  if (!ex) throw new Error(`exercise "${id}" of session ${s.id} is no longer in the content`);
  return ex;
}

/** The exercise's picture, when its content draws one (an exercise without a pose has none). */
export function exerciseImage(ex: Exercise | undefined): CardImage | undefined {
  return ex?.pose ? { key: ex.id, alt: ex.pose.alt } : undefined;
}

/** The card for the session's current state (step, paused, hurt or summary). */
export function sessionCard(s: Session, catalogue: Catalogue): Card {
  switch (s.status) {
    case 'completed':
    case 'stopped':
    case 'abandoned':
      return summaryCard(s, catalogue);
    case 'hurt':
      return hurtCard(s, catalogue);
    default:
      return stepCard(s, catalogue);
  }
}

export function stepCard(s: Session, catalogue: Catalogue): Card {
  const ex = exerciseOf(s, catalogue);
  const easier = onEasier(s) ? ex.easier : undefined;
  const sections = [(easier?.steps ?? ex.steps).map((step, i) => `${i + 1}. ${step}`).join('\n')];
  if (easier) sections.unshift(`The easier version of ${ex.name}. Move gently and stop if it still hurts.`);
  if (ex.cautions.length) sections.push(`Take care: ${ex.cautions.join(' ')}`);
  if (s.status === 'paused') sections.unshift('⏸ Paused. Press Resume when you are ready to carry on.');
  const leftOut = leftOutLine(s, catalogue);
  if (leftOut) sections.unshift(leftOut);
  const onStep = sessionOnStep(s);
  const timer = timerParts(s, ex, onStep, isLastStep(s) ? 'Done' : 'Next');
  if (timer.section) sections.push(timer.section);
  const timerId = encodeAction({ kind: 'session', sessionId: s.id, step: s.step, verb: 'timer' });
  const buttons = withTimerButton(sessionButtons(s, ex.easier !== undefined), timerButton(s, ex, onStep, timerId), s.step);
  const image = exerciseImage(ex);
  return {
    title: easier ? easier.name : `${ex.name}${ex.kind === 'warm-up' ? ' (warm-up)' : ''}`,
    progress: { current: s.step + 1, total: s.exerciseIds.length },
    sections,
    fields: [
      { label: 'Targets', value: ex.targets.join(', ') },
      { label: 'Start', value: POSITION_LABEL[ex.position] },
      { label: 'Timing', value: `⏱ ${describeTiming(ex.timing)}` },
    ],
    footer: catalogue.safety.summary,
    buttons,
    tone: s.status === 'paused' ? 'warning' : 'info',
    ...(timer.timer ? { timer: timer.timer } : {}),
    ...(image ? { image } : {}),
  };
}

export function hurtCard(s: Session, catalogue: Catalogue): Card {
  const ex = exerciseOf(s, catalogue);
  return {
    title: `Stop ${ex.name} now`,
    progress: { current: s.step + 1, total: s.exerciseIds.length },
    sections: [
      'Pain means stop. Ease out of the position slowly.',
      catalogue.safety.advice.map((a) => `• ${a}`).join('\n'),
      ...(ex.cautions.length ? [`About this exercise: ${ex.cautions.join(' ')}`] : []),
      ex.easier
        ? `When you feel ready, you can try a gentler version (${ex.easier.name}), leave ${ex.name} out of your sessions from now on, skip it just this time, or end here.`
        : `You can leave ${ex.name} out of your sessions from now on, skip it just this time, or end here.`,
    ],
    buttons: sessionButtons(s, ex.easier !== undefined),
    tone: 'danger',
  };
}

export function summaryCard(s: Session, catalogue: Catalogue): Card {
  const sum = summarise(s);
  const routine = catalogue.routines.find((r) => r.id === s.routineId);
  const parts = [`${sum.done} of ${sum.total} exercises done`];
  if (sum.skipped) parts.push(`${sum.skipped} skipped`);
  if (sum.hurt) parts.push(`${sum.hurt} stopped because it hurt`);
  if (sum.notReached) parts.push(`${sum.notReached} not reached`);
  const title = s.status === 'completed' ? '🎉 Routine complete' : s.status === 'stopped' ? 'Session ended' : 'Session replaced';
  return {
    title,
    sections: [
      `${routine?.name ?? s.routineId}: ${parts.join(', ')}.`,
      s.status === 'abandoned'
        ? 'You started a newer session, so this one was closed.'
        : endedForPain(s)
          ? 'Stopping when it hurts was the right call: this counts as a finished session. If the pain does not settle, please talk to a doctor before stretching that area again.'
          : sum.hurt
          ? 'If the pain does not settle, please talk to a doctor before stretching that area again.'
          : 'Nice work. Your back will thank you.',
    ],
    fields: [{ label: 'Time', value: formatDuration(sum.activeSeconds) }],
    buttons: routine ? [{ id: encodeAction({ kind: 'pick', routineId: routine.id, inDm: false }), label: 'Go again', style: 'secondary' }] : [],
    tone: s.status === 'completed' ? 'success' : 'info',
  };
}

export function routineLine(r: Routine): string {
  return `${r.name} (${r.id}): ${r.exerciseIds.length} exercises, ${formatEstimate(r.estimatedSeconds)}. ${r.description}`;
}

export function unknownRoutineCard(catalogue: Catalogue, name: string): Card {
  const ids = catalogue.routines.map((r) => r.id).join(', ');
  return {
    title: 'Unknown routine',
    sections: [`I don't have a routine called "${name}". Try one of: ${ids} (for example /stretch start ${catalogue.routines[0]?.id ?? 'full'}).`],
    tone: 'warning',
  };
}

export function pickerCard(catalogue: Catalogue, inDm: boolean): Card {
  return {
    title: 'Time for a stretch break',
    sections: ['Pick a routine:', catalogue.routines.map((r) => `• ${routineLine(r)}`).join('\n')],
    footer: catalogue.safety.summary,
    buttons: catalogue.routines.map((r, i) => ({
      id: encodeAction({ kind: 'pick', routineId: r.id, inDm }),
      label: `${r.name} (${formatEstimate(r.estimatedSeconds)})`,
      style: i === 0 ? 'primary' : 'secondary',
    })),
  };
}

export function listCard(catalogue: Catalogue): Card {
  return {
    title: 'Routines',
    sections: catalogue.routines.map((r) => {
      const names = r.exerciseIds.map((id) => catalogue.exercises.get(id)?.name ?? id).join(', ');
      return `${routineLine(r)}\n${names}`;
    }),
    footer: 'Start one with /stretch start <routine>, or in your DMs with /stretch dm <routine>.',
  };
}

export function helpCard(catalogue: Catalogue, lines: readonly string[], unknown?: string): Card {
  const sections = [lines.join('\n'), `Routines: ${catalogue.routines.map((r) => r.id).join(', ')}`];
  if (unknown) sections.unshift(`I don't know "${unknown}". Here is what I can do:`);
  return {
    title: 'Stretch coach',
    sections,
    fields: [{ label: 'Safety', value: catalogue.safety.advice.join(' ') }],
  };
}
