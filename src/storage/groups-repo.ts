import { sql, type Insertable, type Selectable } from 'kysely';
import type { GroupCredit, GroupSession, Participant } from '../core/group-session.js';
import type { GroupRepo } from '../core/ports.js';
import type { StepResult } from '../core/session.js';
import { writeTransaction, type Db } from './dialect.js';
import type { GroupSessionsTable } from './schema.js';
import { runningTimersIn, timedFrom, timerColumns } from './timer-columns.js';

function fromRow(r: Selectable<GroupSessionsTable>): GroupSession {
  const g: GroupSession = {
    id: r.id,
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    routineId: r.routine_id,
    exerciseIds: JSON.parse(r.exercise_ids) as string[],
    step: Number(r.step),
    status: r.status,
    hostId: r.host_id,
    participants: JSON.parse(r.participants) as Participant[],
    startedAt: Number(r.started_at),
    lastPressAt: Number(r.last_press_at),
    ...timedFrom(r),
    version: Number(r.version),
  };
  if (r.finished_at !== null) g.finishedAt = Number(r.finished_at);
  if (r.message_ref !== null) g.messageRef = r.message_ref;
  if (r.team_id !== null) g.teamId = r.team_id;
  return g;
}

/** What a press may change; the rest of a group is fixed when it starts. */
const changes = (g: GroupSession) => ({
  step: g.step,
  status: g.status,
  host_id: g.hostId,
  participants: JSON.stringify(g.participants),
  updated_at: g.finishedAt ?? g.lastPressAt,
  last_press_at: g.lastPressAt,
  finished_at: g.finishedAt ?? null,
  ...timerColumns(g),
});

const toRow = (g: GroupSession): Insertable<GroupSessionsTable> => ({
  ...changes(g),
  message_ref: g.messageRef ?? null,
  id: g.id,
  platform: g.platform,
  workspace_id: g.workspaceId,
  channel_id: g.channelId,
  routine_id: g.routineId,
  exercise_ids: JSON.stringify(g.exerciseIds),
  team_id: g.teamId ?? null,
  started_at: g.startedAt,
  version: 0,
});

/**
 * Stats come from completed_sessions, which belongs to a sessions row: each participant gets a
 * finished session of their own (id `<group id>-<n>`, in the channel), so /stretch stats and
 * every other history query count a group the same as a solo routine.
 */
function personalSession(g: GroupSession, c: GroupCredit, n: number) {
  const at = g.finishedAt ?? g.lastPressAt;
  const results: StepResult[] = g.exerciseIds.map((_, i) => (i < c.done ? 'done' : 'pending'));
  return {
    session: {
      id: `${g.id}-${n}`,
      platform: g.platform,
      workspace_id: g.workspaceId,
      user_id: c.userId,
      channel_id: g.channelId,
      surface: 'channel' as const,
      routine_id: g.routineId,
      exercise_ids: JSON.stringify(g.exerciseIds),
      step: Math.min(c.done, g.exerciseIds.length - 1),
      status: c.outcome,
      results: JSON.stringify(results),
      started_at: g.startedAt,
      updated_at: at,
      finished_at: at,
      paused_at: null,
      paused_ms: 0,
      version: 0,
      timer_side: null,
      timer_ends_at: null,
      message_ref: null,
    },
    completed: {
      session_id: `${g.id}-${n}`,
      platform: g.platform,
      workspace_id: g.workspaceId,
      user_id: c.userId,
      routine_id: g.routineId,
      outcome: c.outcome,
      done_count: c.done,
      skipped_count: 0,
      total_count: c.total,
      active_seconds: c.activeSeconds,
      finished_at: at,
      hurt_count: 0,
      local_day: c.localDay ?? Math.floor(at / 86_400_000),
      team_id: g.teamId ?? null,
      // The team's week sums this flag to count group sessions: one row per group carries it,
      // so three people stretching together is one group session, not three.
      group_session: n === 0 ? 1 : 0,
    },
  };
}

export function createGroupRepo(store: Db): GroupRepo {
  const db = store.kysely;
  return {
    async insert(g) {
      const { numInsertedOrUpdatedRows } = await db
        .insertInto('group_sessions')
        .values(toRow(g))
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return numInsertedOrUpdatedRows === 1n;
    },
    async get(id) {
      const row = await db.selectFrom('group_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async liveIn(c) {
      const row = await db
        .selectFrom('group_sessions')
        .selectAll()
        .where('platform', '=', c.platform)
        .where('workspace_id', '=', c.workspaceId)
        .where('channel_id', '=', c.channelId)
        .where('status', '=', 'live')
        .executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    // The version check makes a press count once, whichever replica it reached.
    save: (g, expected, credits) =>
      writeTransaction(store, async (tx) => {
        const { numUpdatedRows } = await tx
          .updateTable('group_sessions')
          // A copy read before the message's address was remembered must not erase it.
          .set({ ...changes(g), message_ref: sql<string | null>`coalesce(${g.messageRef ?? null}, message_ref)`, version: sql<number>`version + 1` })
          .where('id', '=', g.id)
          .where('version', '=', expected)
          .executeTakeFirstOrThrow();
        if (numUpdatedRows !== 1n) return false;
        for (const [n, credit] of credits.entries()) {
          const { session, completed } = personalSession(g, credit, n);
          await tx.insertInto('sessions').values(session).execute();
          await tx.insertInto('completed_sessions').values(completed).execute();
        }
        return true;
      }),
    async rememberMessage(id, messageRef) {
      const { numUpdatedRows } = await db
        .updateTable('group_sessions')
        .set({ message_ref: messageRef })
        .where('id', '=', id)
        .where('message_ref', 'is', null)
        .executeTakeFirstOrThrow();
      return numUpdatedRows === 1n;
    },
    runningTimers: (dueBy) => runningTimersIn(store, 'group_sessions', dueBy),
    async idleSince(cutoff) {
      const found = await db
        .selectFrom('group_sessions')
        .selectAll()
        .where('status', '=', 'live')
        .where('last_press_at', '<=', cutoff)
        .orderBy('last_press_at')
        .execute();
      return found.map(fromRow);
    },
  };
}
