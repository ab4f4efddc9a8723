import type { UserKey } from '../core/incoming.js';
import type { SkipListRepo } from '../core/ports.js';
import type { Db } from './dialect.js';

export function createSkipListRepo({ kysely: db }: Db): SkipListRepo {
  const mine = (k: UserKey) =>
    db.selectFrom('exercise_skips').where('platform', '=', k.platform).where('workspace_id', '=', k.workspaceId).where('user_id', '=', k.userId);
  return {
    async skippedExercises(k) {
      const found = await mine(k).select('exercise_id').orderBy('created_at').orderBy('exercise_id').execute();
      return found.map((r) => r.exercise_id);
    },
    async skipExercise(k, exerciseId, now) {
      const res = await db
        .insertInto('exercise_skips')
        .values({ platform: k.platform, workspace_id: k.workspaceId, user_id: k.userId, exercise_id: exerciseId, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async restoreExercise(k, exerciseId) {
      const res = await db
        .deleteFrom('exercise_skips')
        .where('platform', '=', k.platform)
        .where('workspace_id', '=', k.workspaceId)
        .where('user_id', '=', k.userId)
        .where('exercise_id', '=', exerciseId)
        .executeTakeFirst();
      return res.numDeletedRows === 1n;
    },
  };
}
