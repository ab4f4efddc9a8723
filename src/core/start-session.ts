/** Starting a guided routine: from a command, the picker, or a break prompt's buttons. */
import { randomBytes } from 'node:crypto';
import { channel, dm, ephemeral, notice, type Reply } from './card.js';
import type { Routine } from './catalogue.js';
import type { CoreDeps } from './deps.js';
import type { UserKey } from './incoming.js';
import { newSession, type Surface } from './session.js';
import { withoutSkipped } from './skip-list.js';
import { restoreHint, sessionCard } from './views.js';

export interface StartContext extends UserKey {
  channelId: string;
  isDm: boolean;
}

/** 10 lowercase hex characters (40 random bits): fits action ids and is easy to type. */
export const randomId = (): string => randomBytes(5).toString('hex');

/** A person has one session at a time: a new one closes the previous one. */
export async function startSession(deps: CoreDeps, ctx: StartContext, routine: Routine, surface: Surface): Promise<Reply[]> {
  const now = deps.clock.now();
  await deps.users.ensure(ctx, now);
  const { exerciseIds, leftOut } = await withoutSkipped(deps, ctx, routine);
  if (!exerciseIds.length) {
    return [
      ephemeral(
        notice(
          'Nothing left in this routine',
          `You skip every exercise of ${routine.name}, so there is nothing to start. Bring one back with ${restoreHint(leftOut[0]!)}, or pick another routine.`,
          'warning',
        ),
      ),
    ];
  }
  await deps.sessions.abandonOpen(ctx, now);
  const session = newSession({
    id: deps.newId(),
    platform: ctx.platform,
    workspaceId: ctx.workspaceId,
    userId: ctx.userId,
    // A DM session's channel is filled in by the adapter's DM; the origin channel is kept for context.
    channelId: ctx.channelId,
    surface,
    routineId: routine.id,
    exerciseIds,
    leftOut,
    now,
  });
  await deps.sessions.insert(session);
  const card = sessionCard(session, deps.catalogue);
  if (surface === 'dm' && !ctx.isDm) {
    return [dm(card), ephemeral(notice('Check your DMs', `I sent you the ${routine.name} routine in a direct message.`, 'success'))];
  }
  return [ctx.isDm ? channel(card) : ephemeral(card)];
}
