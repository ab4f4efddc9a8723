/** Break prompt buttons (Start in DM, Join, Snooze, Not today) and the ad-hoc `/stretch group` prompt. */
import type { ActionRef } from '../action-id.js';
import { channel, ephemeral, inPlace, notice, type Reply } from '../card.js';
import { findRoutine } from '../catalogue.js';
import { command, routineOption, type CommandSpec } from '../commands/spec.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingAction } from '../incoming.js';
import { info, ok, warn } from '../replies.js';
import { formatInZone } from '../schedule/when.js';
import { startOfNextLocalDay } from '../schedule/zoned-time.js';
import { startSession } from '../start-session.js';
import { unknownRoutineCard } from '../views.js';
import { defaultRoutine, SNOOZE_MS } from './defaults.js';
import type { Fire } from './ports.js';
import { promptCard } from './prompt-views.js';
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
    case 'dm':
    case 'join': {
      const replies = await startSession(deps, act, routine, ref.verb === 'dm' || act.isDm ? 'dm' : 'channel');
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

export const GROUP_COMMAND: CommandSpec = command({
  path: 'group',
  description: 'Invite this channel to stretch together',
  options: [routineOption('Which routine (default: desk)')],
  where: 'chat',
  async run(cmd, deps) {
    const { catalogue, clock } = deps;
    if (cmd.isDm) return warn('Use a channel', 'Run /stretch group in a channel to invite everyone there.');
    const wanted = cmd.command.options.routine?.trim();
    const routine = wanted ? findRoutine(catalogue, wanted) : defaultRoutine(catalogue);
    if (!routine) return [ephemeral(unknownRoutineCard(catalogue, wanted ?? ''))];
    const fire: Fire = {
      id: deps.newId(),
      platform: cmd.platform,
      workspaceId: cmd.workspaceId,
      channelId: cmd.channelId,
      routineId: routine.id,
      fireAt: clock.now(),
    };
    await deps.delivery.recordAdHocFire(fire, clock.now());
    return [channel(promptCard(fire, routine, catalogue, 'channel')), ephemeral(notice('Invitation posted', 'Everyone here can join in with the buttons.', 'success'))];
  },
});
