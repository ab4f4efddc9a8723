import type { Insertable, Selectable } from 'kysely';
import type { Schedule, ScheduleRepo } from '../core/team/ports.js';
import type { Db } from './dialect.js';
import type { SchedulesTable } from './schema.js';

const fromRow = (r: Selectable<SchedulesTable>): Schedule => ({
  id: r.id,
  platform: r.platform,
  workspaceId: r.workspace_id,
  kind: r.kind,
  channelId: r.channel_id,
  userId: r.user_id,
  whenText: r.when_text,
  crons: JSON.parse(r.crons) as string[],
  timezone: r.timezone,
  routineId: r.routine_id,
  paused: r.paused === 1,
  ...(r.summary_team !== null ? { summaryTeamId: r.summary_team } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  nextFireAt: r.next_fire_at ?? undefined,
});

/** A schedule as its row (bulk loads in tests and the bench use it too). */
export const toRow = (s: Schedule): Insertable<SchedulesTable> => ({
  id: s.id,
  platform: s.platform,
  workspace_id: s.workspaceId,
  kind: s.kind,
  channel_id: s.channelId,
  user_id: s.userId,
  when_text: s.whenText,
  crons: JSON.stringify(s.crons),
  timezone: s.timezone,
  routine_id: s.routineId,
  paused: s.paused ? 1 : 0,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  next_fire_at: s.nextFireAt ?? null,
  summary_team: s.summaryTeamId ?? null,
});

export function createScheduleRepo({ kysely: db }: Db): ScheduleRepo {
  /** Schedules not removed; every listing starts here. */
  const live = () => db.selectFrom('schedules').selectAll().where('removed_at', 'is', null);
  /** Live and not paused: what the sweep works on. */
  const active = () => live().where('paused', '=', 0);
  return {
    async insert(s) {
      await db
        .insertInto('schedules')
        .values(toRow(s))
        .execute();
    },
    async get(id) {
      const row = await live().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async idTaken(id) {
      return (await db.selectFrom('schedules').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    async listForChannel(platform, workspaceId, channelId) {
      const rows = await live()
        .where('platform', '=', platform)
        .where('workspace_id', '=', workspaceId)
        .where('channel_id', '=', channelId)
        .where('kind', '=', 'channel')
        .orderBy('created_at')
        .execute();
      return rows.map(fromRow);
    },
    async listPersonal(k) {
      const rows = await live()
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .where('kind', '=', 'personal')
        .orderBy('created_at')
        .execute();
      return rows.map(fromRow);
    },
    async listDue(now, limit) {
      // `removed_at IS NULL AND paused = 0` as in the partial index schedules_due, so both databases use it.
      const rows = await active().where('next_fire_at', '<=', now).orderBy('next_fire_at').limit(limit).execute();
      return rows.map(fromRow);
    },
    async listUnscheduled() {
      return (await active().where('next_fire_at', 'is', null).execute()).map(fromRow);
    },
    async setNextFire(id, nextFireAt) {
      // Never re-arms a schedule paused or removed while the sweep was computing its next time.
      await db
        .updateTable('schedules')
        .set({ next_fire_at: nextFireAt ?? null })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .where('paused', '=', 0)
        .execute();
    },
    async setPaused(id, paused, now, nextFireAt) {
      const flag = paused ? 1 : 0;
      const { numUpdatedRows } = await db
        .updateTable('schedules')
        .set({ paused: flag, updated_at: now, next_fire_at: paused ? null : (nextFireAt ?? null) })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .where('paused', '!=', flag)
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    async remove(id, now) {
      const { numUpdatedRows } = await db
        .updateTable('schedules')
        .set({ removed_at: now, updated_at: now, next_fire_at: null })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
  };
}
