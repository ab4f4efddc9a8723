import type { Selectable } from 'kysely';
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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createScheduleRepo({ kysely: db }: Db): ScheduleRepo {
  /** Schedules not removed; every listing starts here. */
  const live = () => db.selectFrom('schedules').selectAll().where('removed_at', 'is', null);
  return {
    async insert(s) {
      await db
        .insertInto('schedules')
        .values({
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
        })
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
    async listActive() {
      return (await live().where('paused', '=', 0).orderBy('created_at').execute()).map(fromRow);
    },
    async setPaused(id, paused, now) {
      const flag = paused ? 1 : 0;
      const { numUpdatedRows } = await db
        .updateTable('schedules')
        .set({ paused: flag, updated_at: now })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .where('paused', '!=', flag)
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    async remove(id, now) {
      const { numUpdatedRows } = await db
        .updateTable('schedules')
        .set({ removed_at: now, updated_at: now })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
  };
}
