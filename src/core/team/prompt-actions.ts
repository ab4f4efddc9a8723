/** Break prompt buttons: Start in DM (solo), Join (the channel's group session), Snooze, Not today. */
import type { ActionRef } from '../action-id.js';
import { inPlace, type Reply } from '../card.js';
import { findRoutine } from '../catalogue.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingAction } from '../incoming.js';
import { info, ok, warn } from '../replies.js';
import { formatInZone } from '../schedule/when.js';
import { startOfNextLocalDay } from '../schedule/zoned-time.js';
import { startSession } from '../start-session.js';
import { SNOOZE_MS } from './defaults.js';
import { joinOrStartGroup } from './group-actions.js';
import { userZone } from './zone.js';

export async function onPromptAction(deps: CoreDeps, act: IncomingAction, ref: Extract<ActionRef, { kind: 'prompt' }>): Promise<Reply[]> {
  const { delivery, catalogue, clock } = deps;
  const fire = await delivery.getFire(ref.promptId);
  if (!fire || fire.platform !== act.platform || fire.workspaceId !== act.workspaceId) {
    return warn('Prompt not found', "I can't find that break prompt any more. Start a routine yourself with /stretch.");
  }
  const routine = findRoutine(catalogue, fire.routineId);
  if (!routine) return warn('Routine gone', `The routine "${fire.routineId}" is no longer available. Try /stretch list.`);
  const now = clock.now();
  switch (ref.verb) {
    case 'join':
    case 'dm': {
      // In a channel, Join means doing it together; Start in DM, or a prompt that came by DM, is solo.
      if (ref.verb === 'join' && !act.isDm) return joinOrStartGroup(deps, act, routine);
      const replies = await startSession(deps, act, routine, 'dm');
      // In a DM the prompt itself becomes step 1; in a channel the prompt stays for everyone else.
      return act.isDm ? inPlace(replies) : replies;
    }
    case 'snooze':
      if (!(await delivery.enqueueSnooze(fire, act.userId, now + SNOOZE_MS, now))) {
        return info('Already snoozed', "This prompt is already snoozed for you; I'll DM you once.");
      }
      return ok('Snoozed', `I'll DM you this prompt again at ${formatInZone(now + SNOOZE_MS, (await userZone(deps, act)).zone)}.`);
    case 'skipday': {
      const { zone } = await userZone(deps, act);
      await deps.users.ensure(act, now);
      await delivery.setNotToday(fire, act.userId, startOfNextLocalDay(now, zone));
      return info('Not today', 'No more break prompts from this channel for you today. See you tomorrow!');
    }
  }
}
