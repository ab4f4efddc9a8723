/**
 * The minute sweep's part for live group sessions: a group nobody pressed anything on for
 * GROUP_IDLE_MS closes itself, credits everyone's stats and its message turns into the
 * summary, edited by the bot (no click to answer). The version check lets one replica do it.
 */
import type { Catalogue } from '../core/catalogue.js';
import { closeIfIdle, GROUP_IDLE_MS } from '../core/group-session.js';
import type { Platform } from '../core/incoming.js';
import type { Notifier } from '../core/notifier.js';
import type { CoreDeps } from '../core/deps.js';
import type { Clock, GroupRepo } from '../core/ports.js';
import { closeIdleGroup } from '../core/team/group-actions.js';
import type { Logger } from '../logger.js';

export interface IdleGroupDeps {
  groups: GroupRepo;
  users: CoreDeps['users'];
  defaultTimezone: string;
  catalogue: Catalogue;
  clock: Clock;
  notifiers: ReadonlyMap<Platform, Notifier>;
  logger: Logger;
}

export function createIdleGroups(deps: IdleGroupDeps) {
  /** Closes every idle group; returns how many this call closed. */
  async function runDue(): Promise<number> {
    const now = deps.clock.now();
    let closedCount = 0;
    for (const g of await deps.groups.idleSince(now - GROUP_IDLE_MS)) {
      const closed = closeIfIdle(g, now);
      if (!closed) continue;
      const card = await closeIdleGroup(deps, g, closed);
      if (!card) continue;
      closedCount += 1;
      const notifier = deps.notifiers.get(g.platform);
      if (!g.messageRef || !notifier?.edit) continue;
      try {
        await notifier.edit(g.workspaceId, g.messageRef, card);
      } catch (err) {
        // Never the message ref: it can hold an interaction token or a response_url.
        deps.logger.warn({ err, groupId: g.id }, 'idle group: could not update the message');
      }
    }
    return closedCount;
  }
  return { runDue };
}

export type IdleGroups = ReturnType<typeof createIdleGroups>;
