/** Habit history read from completed_sessions: one person's days, a team's recent days, shout-outs. */
import { sql } from 'kysely';
import type { HabitRepo } from '../core/habits/ports.js';
import { EXERCISES_FOR_A_DAY } from '../core/habits/streaks.js';
import type { Db } from './dialect.js';

const n = (v: number | string | bigint | null) => Number(v ?? 0);

/**
 * A finished routine for streaks: every step done, skipped or stopped because it hurt, so ending
 * for pain on the last step counts and ending for pain half-way does not (whatever the outcome
 * says: history calls every pain stop a finish, never a failure).
 */
const finishedRoutine = sql<number>`case when done_count + skipped_count + hurt_count >= total_count then 1 else 0 end`;

export function createHabitRepo({ kysely: db }: Db): HabitRepo {
  const totals = [
    sql<number | string>`count(*)`.as('sessions'),
    sql<number | string>`sum(${finishedRoutine})`.as('routines'),
    sql<number | string>`sum(done_count)`.as('exercises'),
    sql<number | string>`sum(active_seconds)`.as('seconds'),
    sql<number | string>`sum(case when outcome = 'completed' then 1 else 0 end)`.as('completed'),
  ] as const;
  return {
    async days(k) {
      const rows = await db
        .selectFrom('completed_sessions')
        .select(['local_day', ...totals])
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .groupBy('local_day')
        .orderBy('local_day')
        .execute();
      return rows.map((r) => ({
        day: n(r.local_day),
        sessions: n(r.sessions),
        routines: n(r.routines),
        exercises: n(r.exercises),
        seconds: n(r.seconds),
        completed: n(r.completed),
      }));
    },
    async favouriteRoutine(k) {
      const row = await db
        .selectFrom('completed_sessions')
        .select(['routine_id', sql<number | string>`count(*)`.as('times'), sql<number | string>`max(finished_at)`.as('last')])
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .where(finishedRoutine, '=', 1)
        .groupBy('routine_id')
        .orderBy('times', 'desc')
        .orderBy('last', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.routine_id;
    },
    async teamDays(team, fromDay) {
      const inTeam = db.selectFrom('completed_sessions').where('platform', '=', team.platform).where('team_id', '=', team.teamId).where('local_day', '>=', fromDay);
      const [days, people] = await Promise.all([
        inTeam
          .select(['local_day', sql<number | string>`count(*)`.as('sessions'), sql<number | string>`sum(active_seconds)`.as('seconds'), sql<number | string>`sum(group_session)`.as('groups')])
          .groupBy('local_day')
          .orderBy('local_day')
          .execute(),
        inTeam.select(sql<number | string>`count(distinct user_id)`.as('people')).executeTakeFirstOrThrow(),
      ]);
      return {
        people: n(people.people),
        days: days.map((r) => ({ day: n(r.local_day), sessions: n(r.sessions), seconds: n(r.seconds), groupSessions: n(r.groups) })),
      };
    },
    async teamStreakDays(team, fromDay) {
      // The streak rule of countsForStreak, applied in the query so only the qualifying days travel.
      const rows = await db
        .selectFrom('completed_sessions')
        .select(['user_id', 'local_day'])
        .where('platform', '=', team.platform)
        .where('team_id', '=', team.teamId)
        .where('local_day', '>=', fromDay)
        .groupBy(['user_id', 'local_day'])
        .having((eb) => eb.or([eb(sql`max(${finishedRoutine})`, '=', 1), eb(sql`sum(done_count)`, '>=', EXERCISES_FOR_A_DAY)]))
        .execute();
      return rows.map((r) => ({ userId: r.user_id, day: n(r.local_day) }));
    },
    async shoutoutsOn(platform, workspaceId, userIds) {
      if (!userIds.length) return new Set();
      const rows = await db
        .selectFrom('users')
        .select('user_id')
        .where('platform', '=', platform)
        .where('workspace_id', '=', workspaceId)
        .where('user_id', 'in', [...userIds])
        .where('shoutouts', '=', 1)
        .execute();
      return new Set(rows.map((r) => r.user_id));
    },
    async setShoutouts(k, on, now) {
      await db
        .insertInto('users')
        .values({ platform: k.platform, workspace_id: k.workspaceId, user_id: k.userId, shoutouts: on ? 1 : 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ shoutouts: on ? 1 : 0, updated_at: now }))
        .execute();
    },
  };
}
