import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import type { HistoryTotals, SessionRepo } from '../core/ports.js';
import type { Session, StepResult } from '../core/session.js';
import { writeTransaction, type Db } from './dialect.js';
import type { SessionsTable } from './schema.js';
import { runningTimersIn, timedFrom, timerColumns } from './timer-columns.js';

function fromRow(r: Selectable<SessionsTable>): Session {
  const s: Session = {
    id: r.id,
    platform: r.platform,
    workspaceId: r.workspace_id,
    userId: r.user_id,
    channelId: r.channel_id,
    surface: r.surface,
    routineId: r.routine_id,
    exerciseIds: JSON.parse(r.exercise_ids) as string[],
    step: r.step,
    status: r.status,
    results: JSON.parse(r.results) as StepResult[],
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    pausedMs: r.paused_ms,
    easierSteps: JSON.parse(r.easier_steps) as number[],
    leftOut: JSON.parse(r.left_out) as string[],
    ...timedFrom(r),
    version: r.version,
  };
  if (r.message_ref !== null) s.messageRef = r.message_ref;
  if (r.finished_at !== null) s.finishedAt = r.finished_at;
  if (r.paused_at !== null) s.pausedAt = r.paused_at;
  if (r.team_id !== null) s.teamId = r.team_id;
  return s;
}

/** What a transition may change; the rest of a session is fixed when it starts. */
const changes = (s: Session) => ({
  step: s.step,
  status: s.status,
  results: JSON.stringify(s.results),
  updated_at: s.updatedAt,
  finished_at: s.finishedAt ?? null,
  paused_at: s.pausedAt ?? null,
  paused_ms: s.pausedMs,
  easier_steps: JSON.stringify(s.easierSteps),
  ...timerColumns(s),
  message_ref: s.messageRef ?? null,
});

const toRow = (s: Session): Insertable<SessionsTable> => ({
  ...changes(s),
  id: s.id,
  platform: s.platform,
  workspace_id: s.workspaceId,
  user_id: s.userId,
  channel_id: s.channelId,
  team_id: s.teamId ?? null,
  surface: s.surface,
  routine_id: s.routineId,
  exercise_ids: JSON.stringify(s.exerciseIds),
  left_out: JSON.stringify(s.leftOut),
  started_at: s.startedAt,
  version: 0,
});

export function createSessionRepo(store: Db): SessionRepo {
  const db = store.kysely;
  return {
    async insert(s) {
      await db.insertInto('sessions').values(toRow(s)).execute();
    },
    async get(id) {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    // The version check makes a transition count once, whichever replica a click reached.
    save: (s, expected, summary, facts) =>
      writeTransaction(store, async (tx) => {
        const { numUpdatedRows } = await tx
          .updateTable('sessions')
          .set({ ...changes(s), version: sql<number>`version + 1` })
          .where('id', '=', s.id)
          .where('version', '=', expected)
          .executeTakeFirstOrThrow();
        const changed = numUpdatedRows === 1n;
        if (changed && summary && (s.status === 'completed' || s.status === 'stopped')) {
          const finishedAt = s.finishedAt ?? s.updatedAt;
          await tx
            .insertInto('completed_sessions')
            .values({
              session_id: s.id,
              platform: s.platform,
              workspace_id: s.workspaceId,
              user_id: s.userId,
              routine_id: s.routineId,
              outcome: summary.outcome,
              done_count: summary.done,
              // Pain is not a failure: steps stopped because they hurt are not counted as skipped.
              skipped_count: summary.skipped,
              hurt_count: summary.hurt,
              total_count: summary.total,
              active_seconds: summary.activeSeconds,
              finished_at: finishedAt,
              local_day: facts?.localDay ?? Math.floor(finishedAt / 86_400_000),
              team_id: s.teamId ?? null,
              group_session: facts?.group ? 1 : 0,
            })
            .execute();
        }
        return changed;
      }),
    runningTimers: (dueBy) => runningTimersIn(store, 'sessions', dueBy),
    async abandonOpen(k, now) {
      const { numUpdatedRows } = await db
        .updateTable('sessions')
        .set({ status: 'abandoned', finished_at: now, updated_at: now, timer_side: null, timer_ends_at: null, version: sql<number>`version + 1` })
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .where('status', 'in', ['active', 'paused', 'hurt'])
        .executeTakeFirstOrThrow();
      return Number(numUpdatedRows);
    },
    async totals(k, since): Promise<HistoryTotals> {
      const sum = (expr: RawBuilder<number>) => sql<number | string>`coalesce(sum(${expr}), 0)`;
      const row = await db
        .selectFrom('completed_sessions')
        .select([
          sql<number | string>`count(*)`.as('sessions'),
          sum(sql<number>`case when outcome = 'completed' then 1 else 0 end`).as('completed'),
          sum(sql<number>`done_count`).as('exercisesDone'),
          sum(sql<number>`active_seconds`).as('activeSeconds'),
        ])
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .where('finished_at', '>=', since)
        .executeTakeFirstOrThrow();
      // PostgreSQL returns SUM of integers as BIGINT or NUMERIC; both count far below 2^53.
      return {
        sessions: Number(row.sessions),
        completed: Number(row.completed),
        exercisesDone: Number(row.exercisesDone),
        activeSeconds: Number(row.activeSeconds),
      };
    },
  };
}
