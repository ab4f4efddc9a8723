import type { Selectable } from 'kysely';
import type { UserKey } from '../core/incoming.js';
import type { UserRecord, UserRepo } from '../core/ports.js';
import type { SettingsRepo } from '../core/team/ports.js';
import type { Db } from './dialect.js';
import type { UsersTable } from './schema.js';

function toUserRecord(r: Selectable<UsersTable>): UserRecord {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    userId: r.user_id,
    timezone: r.timezone ?? undefined,
    workStartMin: r.work_start_min ?? undefined,
    workEndMin: r.work_end_min ?? undefined,
    dmPausedUntil: r.dm_paused_until ?? undefined,
    shoutouts: r.shoutouts === 1,
    ...(r.status_emoji !== null || r.status_text !== null
      ? { status: { emoji: r.status_emoji ?? undefined, text: r.status_text ?? undefined, expiresAt: r.status_expires_at ?? undefined } }
      : {}),
  };
}

/** The person's row. */
const keyOf = (k: UserKey) => ({ platform: k.platform, workspace_id: k.workspaceId, user_id: k.userId });

type UserChanges = Partial<Pick<UsersTable, 'timezone' | 'work_start_min' | 'work_end_min' | 'dm_paused_until'>>;

export function createUserRepo({ kysely: db }: Db): UserRepo & SettingsRepo {
  const ensure = async (k: UserKey, now: number) => {
    await db
      .insertInto('users')
      .values({ platform: k.platform, workspace_id: k.workspaceId, user_id: k.userId, created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  };
  // Settings writes create the user row first, so a setting never silently updates nothing.
  const update = async (k: UserKey, now: number, changes: UserChanges) => {
    await ensure(k, now);
    await db
      .updateTable('users')
      .set({ ...changes, updated_at: now })
      .where((eb) => eb.and(keyOf(k)))
      .execute();
  };
  return {
    ensure,
    async get(k) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb.and(keyOf(k)))
        .executeTakeFirst();
      return row ? toUserRecord(row) : undefined;
    },
    async setStatus(k, status, now) {
      // Empty words are NULL, not '': a row without emoji or words has no status (toUserRecord).
      const result = await db
        .updateTable('users')
        .set({ status_emoji: status?.emoji || null, status_text: status?.text || null, status_expires_at: status?.expiresAt || null, updated_at: now })
        .where((eb) => eb.and(keyOf(k)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    setTimezone: (k, zone, now) => update(k, now, { timezone: zone }),
    setWorkHours: (k, h, now) => update(k, now, { work_start_min: h?.startMin ?? null, work_end_min: h?.endMin ?? null }),
    setDmPause: (k, until, now) => update(k, now, { dm_paused_until: until ?? null }),
  };
}
