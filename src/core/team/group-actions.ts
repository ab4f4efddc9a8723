/**
 * Live group sessions end to end: `/stretch group` starts one, a channel prompt's Join joins
 * (or starts) it, and the buttons on its channel message move it on. The state machine is
 * core/group-session; this file loads, saves and answers.
 */
import type { ActionRef } from '../action-id.js';
import { channel, ephemeral, update, type Card, type Reply } from '../card.js';
import { findRoutine, type Routine } from '../catalogue.js';
import { command, routineOption, type CommandSpec } from '../commands/spec.js';
import type { CoreDeps } from '../deps.js';
import { localDayOf } from '../habits/days.js';
import { groupCredits, groupTransition, isTakingPart, newGroup, type GroupRefusal, type GroupSession } from '../group-session.js';
import type { IncomingAction } from '../incoming.js';
import { info, ok, warn } from '../replies.js';
import type { StartContext } from '../start-session.js';
import { unknownRoutineCard } from '../views.js';
import { defaultRoutine } from './defaults.js';
import { groupCard } from './group-views.js';

const REFUSAL_TITLE: Record<GroupRefusal, string> = { 'not-host': 'Host only', ended: 'Session over', 'not-now': 'Not right now' };

const alreadyLive = (g: GroupSession, deps: CoreDeps): Reply[] => {
  const name = findRoutine(deps.catalogue, g.routineId)?.name ?? g.routineId;
  return info(
    'A group session is already live here',
    `This channel is doing ${name} together (step ${g.step + 1} of ${g.exerciseIds.length}). Find its message above and press Join; one group session per channel at a time.`,
  );
};

/** Starts a group in the channel with the starter as host; a live one there is pointed to instead. */
async function startGroup(deps: CoreDeps, ctx: StartContext, routine: Routine): Promise<Reply[]> {
  const where = { platform: ctx.platform, workspaceId: ctx.workspaceId, channelId: ctx.channelId };
  const live = await deps.groups.liveIn(where);
  if (live) return alreadyLive(live, deps);
  const missing = routine.exerciseIds.find((id) => !deps.catalogue.exercises.has(id));
  if (missing) return warn('Routine changed', `${routine.name} names an exercise I don't have ("${missing}"). Try another routine.`);
  const now = deps.clock.now();
  await deps.users.ensure(ctx, now);
  const group = newGroup({ ...where, teamId: ctx.teamId, id: deps.newId(), routineId: routine.id, exerciseIds: routine.exerciseIds, hostId: ctx.userId, now });
  if (!(await deps.groups.insert(group))) {
    // Someone started one in the same moment: the unique index let only one through.
    const winner = await deps.groups.liveIn(where);
    return winner ? alreadyLive(winner, deps) : warn('Try again', 'A group session was just starting here. Try /stretch group again.');
  }
  // The adapter says where it posted this, so the group can edit it before anyone clicks on it.
  return [{ ...channel(groupCard(group, deps.catalogue)), remember: { kind: 'group', id: group.id } }];
}

/**
 * Where the group's channel message was posted, as its adapter addresses it: kept once, and
 * only for a group of the platform and workspace that says so.
 */
export async function rememberGroupMessage(deps: Pick<CoreDeps, 'groups'>, from: { platform: string; workspaceId: string }, groupId: string, messageRef: string): Promise<boolean> {
  const g = await deps.groups.get(groupId);
  if (!g || g.platform !== from.platform || g.workspaceId !== from.workspaceId || g.messageRef) return false;
  return deps.groups.rememberMessage(g.id, messageRef);
}

type CreditDeps = Pick<CoreDeps, 'groups' | 'users' | 'defaultTimezone'>;

/** Each participant's credit, dated on their own calendar (their zone, else the bot default) like a solo finish. */
async function datedCredits(deps: CreditDeps, g: GroupSession) {
  const at = g.finishedAt ?? g.lastPressAt;
  return Promise.all(
    groupCredits(g).map(async (c) => {
      const zone = (await deps.users.get({ platform: g.platform, workspaceId: g.workspaceId, userId: c.userId }))?.timezone ?? deps.defaultTimezone;
      return { ...c, localDay: localDayOf(at, zone) };
    }),
  );
}

/** Saves a press; false when another press got there first. */
async function savePress(deps: CreditDeps, before: GroupSession, after: GroupSession): Promise<boolean> {
  return deps.groups.save(after, before.version, await datedCredits(deps, after));
}

/** A channel prompt's Join: joins the channel's live group, or starts one for the prompt's routine. */
export async function joinOrStartGroup(deps: CoreDeps, act: IncomingAction, routine: Routine): Promise<Reply[]> {
  const live = await deps.groups.liveIn({ platform: act.platform, workspaceId: act.workspaceId, channelId: act.channelId });
  if (!live) {
    const started = await startGroup(deps, act, routine);
    // A click is answered privately first; the group's message is a new post in the channel.
    if (started[0]?.target !== 'channel') return started;
    return [...ok('Group session started', `You host ${routine.name} for the channel: the message below is everyone's. Others can press Join there.`), ...started];
  }
  if (isTakingPart(live, act.userId)) return info('Already in', 'You are already taking part in the group session here. Follow its message.');
  const now = deps.clock.now();
  const joined = groupTransition(live, 'join', act.userId, now);
  if (!joined.ok) return info(REFUSAL_TITLE[joined.kind], joined.message);
  await deps.users.ensure(act, now);
  if (!(await savePress(deps, live, joined.group))) return info('Try again', 'The group just moved on. Press Join again.');
  // The click was on the prompt, so the group's own message is edited to show the newcomer.
  if (live.messageRef) await deps.messages?.edit(live.platform, live.workspaceId, live.messageRef, groupCard(joined.group, deps.catalogue));
  return ok('You joined', "You are in the channel's group session. Follow its message; the host moves everyone on.");
}

export async function onGroupAction(deps: CoreDeps, act: IncomingAction, ref: Extract<ActionRef, { kind: 'group' }>): Promise<Reply[]> {
  const g = await deps.groups.get(ref.groupId);
  if (!g || g.platform !== act.platform || g.workspaceId !== act.workspaceId) {
    return warn('Group session not found', "I can't find that group session any more. Start one with /stretch group.");
  }
  const now = deps.clock.now();
  const result = groupTransition(g, ref.verb, act.userId, now, deps.catalogue.exercises.get(g.exerciseIds[g.step]!));
  if (!result.ok) return info(REFUSAL_TITLE[result.kind], result.message);
  if (ref.verb === 'join') await deps.users.ensure(act, now);
  // The clicked message is the group's message: remember it for edits without a click.
  const next = { ...result.group, ...(act.messageRef ? { messageRef: act.messageRef } : {}) };
  if (!(await savePress(deps, g, next))) return info('Already handled', 'Someone pressed a button at the same moment. Use the updated message.');
  if (ref.verb === 'timer' && next.timer) deps.holdTimers?.arm({ kind: 'group', id: next.id }, next.timer.endsAt);
  return [update(groupCard(next, deps.catalogue, result.handedTo))];
}

/** Closes a group nobody pressed anything on (see closeIfIdle); the card to edit its message with, if saved. */
export async function closeIdleGroup(deps: CreditDeps & Pick<CoreDeps, 'catalogue'>, g: GroupSession, closed: GroupSession): Promise<Card | undefined> {
  if (!(await savePress(deps, g, closed))) return undefined;
  return groupCard(closed, deps.catalogue);
}

export const GROUP_COMMAND: CommandSpec = command({
  path: 'group',
  description: 'Invite this channel to stretch together',
  options: [routineOption('Which routine (default: desk)')],
  where: 'chat',
  async run(cmd, deps) {
    if (cmd.isDm) return warn('Use a channel', 'Run /stretch group in a channel so everyone there can join in.');
    const wanted = cmd.command.options.routine?.trim();
    const routine = wanted ? findRoutine(deps.catalogue, wanted) : defaultRoutine(deps.catalogue);
    if (!routine) return [ephemeral(unknownRoutineCard(deps.catalogue, wanted ?? ''))];
    return startGroup(deps, cmd, routine);
  },
});

