import type { UserKey } from '../core/incoming.js';
import type { DmChannelStore } from '../core/notifier.js';
import type { Db } from './dialect.js';

export function createDmChannelRepo({ kysely: db }: Db): DmChannelStore {
  const whereUser = <Q extends { where: (...a: any[]) => Q }>(q: Q, k: UserKey): Q =>
    q.where('platform', '=', k.platform).where('workspace_id', '=', k.workspaceId).where('user_id', '=', k.userId);
  return {
    async get(k) {
      const row = await whereUser(db.selectFrom('dm_channels').select('channel_id'), k).executeTakeFirst();
      return row?.channel_id;
    },
    async put(k, channelId, now) {
      await db
        .insertInto('dm_channels')
        .values({ platform: k.platform, workspace_id: k.workspaceId, user_id: k.userId, channel_id: channelId, updated_at: now })
        .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ channel_id: channelId, updated_at: now }))
        .execute();
    },
    async drop(k, channelId) {
      await whereUser(db.deleteFrom('dm_channels'), k).where('channel_id', '=', channelId).execute();
    },
  };
}
