/**
 * Working the outbox: claiming rows, keeping claims alive, taking back the claims of a
 * process that is gone, and recording outcomes. Every write names the claimant, so a
 * process whose claim was taken back can never overwrite what the new owner does.
 */
import { sql, type Selectable } from 'kysely';
import type { OutboxRow, OutboxStatus, OutboxStore } from '../scheduler/ports.js';
import { skipLockedRows, type Db } from './dialect.js';
import type { OutboxTable } from './schema.js';

const toOutboxRow = (r: Selectable<OutboxTable>): OutboxRow => ({
  id: r.id,
  fireId: r.fire_id,
  platform: r.platform,
  workspaceId: r.workspace_id,
  kind: r.kind,
  targetId: r.target_id,
  reason: r.reason,
  status: r.status,
  attempts: r.attempts,
  maybeSent: r.maybe_sent === 1,
});

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'skipped'];

type OutboxWork = Pick<OutboxStore, 'claimDue' | 'renewClaims' | 'reclaim' | 'finish' | 'retryLater' | 'postpone' | 'dueDmTargets'>;

export function createOutboxRepo(store: Db): OutboxWork & { counts(): Promise<Record<OutboxStatus, number>> } {
  const db = store.kysely;
  /** A row still held by this claimant: the guard on every write after the claim. */
  const held = (id: number, claimant: string) =>
    db.updateTable('outbox').where('id', '=', id).where('status', '=', 'sending').where('claimed_by', '=', claimant);

  return {
    async dueDmTargets(platform, workspaceId, now, limit) {
      // The outbox_due index finds the due rows; a fan-out's rows share one workspace.
      const rows = await db
        .selectFrom('outbox')
        .select('target_id')
        .where('status', 'in', ['pending', 'sending'])
        .where('not_before', '<=', now)
        .where('platform', '=', platform)
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'dm')
        .orderBy('not_before')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.target_id);
    },
    async claimDue(now, claimant, platforms, limit) {
      if (!platforms.length) return [];
      // One statement. SQLite runs it under the file's write lock; on PostgreSQL the picked
      // rows are locked and rows another replica is claiming are skipped, so a fan-out is
      // shared between replicas and no row is claimed twice. The pick is a MATERIALIZED CTE:
      // as a plain `id IN (subquery)` PostgreSQL may run the subquery again for each row it
      // updates, and each run picks `limit` more rows. The outer status check is the last
      // word if a row changed after it was picked.
      const rows = await db
        .with(
          (cte) => cte('picked').materialized(),
          (q) =>
            skipLockedRows(
              store.dialect,
              q
                .selectFrom('outbox')
                .select('id')
                .where('status', '=', 'pending')
                .where('not_before', '<=', now)
                .where('platform', 'in', platforms)
                .orderBy('not_before')
                .orderBy('id')
                .limit(limit),
            ),
        )
        .updateTable('outbox')
        .set({ status: 'sending', claimed_by: claimant, claimed_at: now, attempts: sql<number>`attempts + 1`, updated_at: now })
        .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
        .where('status', '=', 'pending')
        .returningAll()
        .execute();
      return rows.map(toOutboxRow).sort((a, b) => a.id - b.id);
    },
    async renewClaims(ids, claimant, now) {
      if (!ids.length) return 0;
      const { numUpdatedRows } = await db
        .updateTable('outbox')
        .set({ claimed_at: now })
        .where('id', 'in', ids)
        .where('status', '=', 'sending')
        .where('claimed_by', '=', claimant)
        .executeTakeFirstOrThrow();
      return Number(numUpdatedRows);
    },
    async reclaim(isAbandoned) {
      const sending = await db.selectFrom('outbox').select(['id', 'claimed_by', 'claimed_at']).where('status', '=', 'sending').execute();
      let n = 0;
      for (const row of sending) {
        if (!isAbandoned(row.claimed_by ?? '', row.claimed_at ?? 0)) continue;
        // Only the claim as it was read: if its owner renewed it meanwhile, it is alive after all.
        const { numUpdatedRows } = await db
          .updateTable('outbox')
          .set({ status: 'pending', maybe_sent: 1, claimed_by: null, claimed_at: null })
          .where('id', '=', row.id)
          .where('status', '=', 'sending')
          .where('claimed_by', row.claimed_by === null ? 'is' : '=', row.claimed_by)
          .where('claimed_at', row.claimed_at === null ? 'is' : '=', row.claimed_at)
          .executeTakeFirstOrThrow();
        n += Number(numUpdatedRows);
      }
      return n;
    },
    // maybe_sent survives a retry: the next attempt still checks.
    async finish(id, claimant, status, detail, now) {
      const { numUpdatedRows } = await held(id, claimant).set({ status, detail: detail ?? null, updated_at: now }).executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    async retryLater(id, claimant, notBefore, detail, now) {
      const { numUpdatedRows } = await held(id, claimant)
        .set({ status: 'pending', not_before: notBefore, detail, claimed_by: null, claimed_at: null, updated_at: now })
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    async postpone(id, claimant, notBefore, detail, now) {
      // The claim counted an attempt; waiting for someone is not a failed one.
      const { numUpdatedRows } = await held(id, claimant)
        .set({ status: 'pending', not_before: notBefore, detail, attempts: sql<number>`attempts - 1`, claimed_by: null, claimed_at: null, updated_at: now })
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    async counts() {
      const rows = await db.selectFrom('outbox').select(['status', sql<number | string>`count(*)`.as('n')]).groupBy('status').execute();
      const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
      for (const r of rows) counts[r.status] = Number(r.n);
      return counts;
    },
  };
}
