/**
 * Slack OAuth installations, one row per workspace, and removing a workspace that uninstalled
 * the app: the installation, its schedules and its waiting outbox rows change in one transaction.
 */
import type { Selectable } from 'kysely';
import type { SlackInstallationRecord, SlackInstallations } from '../adapters/slack/installations.js';
import { writeTransaction, type Db } from './dialect.js';
import type { SlackInstallationsTable } from './schema.js';

const toRecord = (r: Selectable<SlackInstallationsTable>): SlackInstallationRecord => ({
  key: r.install_key,
  teamId: r.team_id ?? undefined,
  teamName: r.team_name ?? undefined,
  enterpriseId: r.enterprise_id ?? undefined,
  isEnterprise: r.is_enterprise === 1,
  botToken: r.bot_token,
  botId: r.bot_id ?? undefined,
  botUserId: r.bot_user_id,
  scopes: r.scopes.split(',').filter(Boolean),
  installerUserId: r.installer_user_id,
  installedAt: r.installed_at,
});

export function createSlackInstallationsRepo(store: Db): SlackInstallations {
  const db = store.kysely;
  return {
    async save(rec) {
      const values = {
        team_id: rec.teamId ?? null,
        team_name: rec.teamName ?? null,
        enterprise_id: rec.enterpriseId ?? null,
        is_enterprise: rec.isEnterprise ? 1 : 0,
        bot_token: rec.botToken,
        bot_id: rec.botId ?? null,
        bot_user_id: rec.botUserId,
        scopes: rec.scopes.join(','),
        installer_user_id: rec.installerUserId,
        installed_at: rec.installedAt,
      };
      await db
        .insertInto('slack_installations')
        .values({ install_key: rec.key, ...values })
        .onConflict((oc) => oc.column('install_key').doUpdateSet(values))
        .execute();
    },

    async find(key) {
      const row = await db.selectFrom('slack_installations').selectAll().where('install_key', '=', key).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    remove(key, reason, now) {
      return writeTransaction(store, async (tx) => {
        const removed = await tx.deleteFrom('slack_installations').where('install_key', '=', key).executeTakeFirst();
        const paused = await tx
          .updateTable('schedules')
          .set({ paused: 1, updated_at: now, next_fire_at: null })
          .where('platform', '=', 'slack')
          .where('workspace_id', '=', key)
          .where('removed_at', 'is', null)
          .where('paused', '=', 0)
          .executeTakeFirst();
        // Rows a sender holds right now finish on their own: their token is already refused.
        const skipped = await tx
          .updateTable('outbox')
          .set({ status: 'skipped', detail: reason, updated_at: now })
          .where('platform', '=', 'slack')
          .where('workspace_id', '=', key)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        return {
          removed: Number(removed.numDeletedRows) > 0,
          schedulesPaused: Number(paused.numUpdatedRows),
          outboxSkipped: Number(skipped.numUpdatedRows),
        };
      });
    },
  };
}
