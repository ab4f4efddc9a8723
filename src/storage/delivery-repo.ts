/**
 * Fires, opt-ins and "not today". A fire and all its messages are written in one
 * transaction before anything is sent; the unique (schedule_id, fire_at) index makes a
 * slot fire once, whichever process or replica records it first.
 */
import type { Insertable, Selectable } from 'kysely';
import type { ChannelKey, DeliveryRepo, Fire } from '../core/team/ports.js';
import type { OutboxReason, OutboxStore } from '../scheduler/ports.js';
import { writeTransaction, type Db } from './dialect.js';
import type { FiresTable, OutboxTable } from './schema.js';

/** Rows per INSERT: well under both databases' limit on bound parameters. */
const INSERT_CHUNK = 500;

const channelOf = (c: ChannelKey) => ({ platform: c.platform, workspace_id: c.workspaceId, channel_id: c.channelId });
const memberOf = (c: ChannelKey, userId: string) => ({ ...channelOf(c), user_id: userId });

const toFire = (r: Selectable<FiresTable>): Fire => ({
  id: r.id,
  scheduleId: r.schedule_id ?? undefined,
  platform: r.platform,
  workspaceId: r.workspace_id,
  channelId: r.channel_id,
  routineId: r.routine_id,
  fireAt: r.fire_at,
});

const fireRow = (fire: Fire, status: 'queued' | 'missed', now: number): Insertable<FiresTable> => ({
  id: fire.id,
  schedule_id: fire.scheduleId ?? null,
  platform: fire.platform,
  workspace_id: fire.workspaceId,
  channel_id: fire.channelId,
  routine_id: fire.routineId,
  fire_at: fire.fireAt,
  status,
  recorded_at: now,
});

const outboxRow = (fire: Fire, kind: 'channel' | 'dm', targetId: string, reason: OutboxReason, notBefore: number, now: number): Insertable<OutboxTable> => ({
  fire_id: fire.id,
  platform: fire.platform,
  workspace_id: fire.workspaceId,
  kind,
  target_id: targetId,
  reason,
  not_before: notBefore,
  created_at: now,
  updated_at: now,
});

type DeliveryStore = DeliveryRepo & Pick<OutboxStore, 'recordFire' | 'hasFire' | 'isNotToday'>;

export function createDeliveryRepo(store: Db): DeliveryStore {
  const db = store.kysely;

  return {
    async getFire(id) {
      const row = await db.selectFrom('fires').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toFire(row) : undefined;
    },
    async recordAdHocFire(fire, now) {
      await db.insertInto('fires').values(fireRow({ ...fire, scheduleId: undefined }, 'queued', now)).execute();
    },
    recordFire: (schedule, fire, status, dmUserIds, now) =>
      writeTransaction(store, async (tx) => {
        // A replica that lost the race waits here for the winner's commit, then inserts nothing.
        const { numInsertedOrUpdatedRows } = await tx
          .insertInto('fires')
          .values(fireRow(fire, status, now))
          .onConflict((oc) => oc.columns(['schedule_id', 'fire_at']).doNothing())
          .executeTakeFirstOrThrow();
        const inserted = numInsertedOrUpdatedRows === 1n;
        if (!inserted || status === 'missed') return inserted;
        const rows =
          schedule.kind === 'channel'
            ? [outboxRow(fire, 'channel', schedule.channelId, 'prompt', now, now), ...dmUserIds.map((u) => outboxRow(fire, 'dm', u, 'optin', now, now))]
            : [outboxRow(fire, 'dm', schedule.userId, 'reminder', now, now)];
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          await tx.insertInto('outbox').values(rows.slice(i, i + INSERT_CHUNK)).onConflict((oc) => oc.doNothing()).execute();
        }
        return true;
      }),
    async hasFire(scheduleId, fireAt) {
      const row = await db.selectFrom('fires').select('id').where('schedule_id', '=', scheduleId).where('fire_at', '=', fireAt).executeTakeFirst();
      return row !== undefined;
    },

    async optIn(c, userId, now) {
      const { numInsertedOrUpdatedRows } = await db
        .insertInto('optins')
        .values({ ...memberOf(c, userId), created_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirstOrThrow();
      return numInsertedOrUpdatedRows === 1n;
    },
    async optOut(c, userId) {
      const { numDeletedRows } = await db.deleteFrom('optins').where((eb) => eb.and(memberOf(c, userId))).executeTakeFirstOrThrow();
      return numDeletedRows === 1n;
    },
    async isOptedIn(c, userId) {
      return (await db.selectFrom('optins').select('user_id').where((eb) => eb.and(memberOf(c, userId))).executeTakeFirst()) !== undefined;
    },
    async optedInUsers(c) {
      const rows = await db.selectFrom('optins').select('user_id').where((eb) => eb.and(channelOf(c))).orderBy('created_at').orderBy('user_id').execute();
      return rows.map((r) => r.user_id);
    },
    async optedInChannels(key) {
      const rows = await db
        .selectFrom('optins')
        .select('channel_id')
        .where('platform', '=', key.platform)
        .where('workspace_id', '=', key.workspaceId)
        .where('user_id', '=', key.userId)
        .orderBy('created_at')
        .orderBy('channel_id')
        .execute();
      return rows.map((r) => r.channel_id);
    },
    async setNotToday(c, userId, until) {
      await db
        .insertInto('not_today')
        .values({ ...memberOf(c, userId), until })
        .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'channel_id', 'user_id']).doUpdateSet({ until }))
        .execute();
    },
    async isNotToday(c, userId, now) {
      const row = await db.selectFrom('not_today').select('until').where((eb) => eb.and(memberOf(c, userId))).where('until', '>', now).executeTakeFirst();
      return row !== undefined;
    },
    async enqueueSnooze(fire, userId, notBefore, now) {
      // The partial unique index allows one waiting snooze per person and prompt.
      const { numInsertedOrUpdatedRows } = await db
        .insertInto('outbox')
        .values(outboxRow(fire, 'dm', userId, 'snooze', notBefore, now))
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirstOrThrow();
      return numInsertedOrUpdatedRows === 1n;
    },
  };
}
