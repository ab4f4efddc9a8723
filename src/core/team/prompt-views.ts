/** Cards for break prompts (channel post and DM) and schedule descriptions. Pure. */
import { encodeAction } from '../action-id.js';
import type { Card } from '../card.js';
import { formatEstimate, type Catalogue, type Routine } from '../catalogue.js';
import { exerciseImage } from '../views.js';
import type { Fire } from './ports.js';

export type PromptVariant = 'channel' | 'dm';

export function routineSummary(r: Routine): string {
  return `${r.name} (${r.exerciseIds.length} exercises, ${formatEstimate(r.estimatedSeconds)})`;
}

export function promptCard(fire: Fire, routine: Routine, catalogue: Catalogue, variant: PromptVariant): Card {
  const id = (verb: 'dm' | 'join' | 'snooze' | 'skipday') => encodeAction({ kind: 'prompt', promptId: fire.id, verb });
  const text =
    variant === 'channel'
      ? `Time to stand up and stretch: ${routineSummary(routine)}. Join in here, or take it to your DMs.`
      : `Time for a stretch break: ${routineSummary(routine)}.`;
  // The routine's first exercise: what people will be doing if they join.
  const image = exerciseImage(catalogue.exercises.get(routine.exerciseIds[0] ?? ''));
  return {
    title: '🧘 Stretch break',
    sections: [text],
    footer: catalogue.safety.summary,
    buttons:
      variant === 'channel'
        ? [
            { id: id('dm'), label: 'Start in DM', style: 'primary' },
            { id: id('join'), label: 'Join', style: 'success' },
            { id: id('snooze'), label: 'Snooze 10 min', style: 'secondary' },
            { id: id('skipday'), label: 'Not today', style: 'secondary' },
          ]
        : [
            { id: id('join'), label: 'Start', style: 'primary' },
            { id: id('snooze'), label: 'Snooze 10 min', style: 'secondary' },
            { id: id('skipday'), label: 'Not today', style: 'secondary' },
          ],
    tone: 'info',
    ...(image ? { image } : {}),
  };
}
