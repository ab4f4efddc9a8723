import type { Database } from 'better-sqlite3';
import type { Schedule, ScheduleRepo } from '../core/team/ports.js';

interface Row {
  id: string;
  platform: Schedule['platform'];
  workspace_id: string;
  kind: Schedule['kind'];
  channel_id: string;
  user_id: string;
  when_text: string;
  crons: string;
  timezone: string;
  routine_id: string;
  paused: number;
  created_at: number;
  updated_at: number;
  next_fire_at: number | null;
}

const fromRow = (r: Row): Schedule => ({
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
  nextFireAt: r.next_fire_at ?? undefined,
});

export function createScheduleRepo(db: Database): ScheduleRepo {
  const insert = db.prepare(
    `INSERT INTO schedules (id, platform, workspace_id, kind, channel_id, user_id, when_text, crons, timezone, routine_id, paused, created_at, updated_at, next_fire_at)
     VALUES (@id, @platform, @workspaceId, @kind, @channelId, @userId, @whenText, @crons, @timezone, @routineId, @paused, @createdAt, @updatedAt, @nextFireAt)`,
  );
  const get = db.prepare<[string], Row>('SELECT * FROM schedules WHERE id = ? AND removed_at IS NULL');
  const taken = db.prepare<[string], { n: number }>('SELECT COUNT(*) n FROM schedules WHERE id = ?');
  const forChannel = db.prepare<[string, string, string], Row>(
    `SELECT * FROM schedules WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND kind = 'channel' AND removed_at IS NULL ORDER BY created_at`,
  );
  const personal = db.prepare<[string, string, string], Row>(
    `SELECT * FROM schedules WHERE platform = ? AND workspace_id = ? AND user_id = ? AND kind = 'personal' AND removed_at IS NULL ORDER BY created_at`,
  );
  // `removed_at IS NULL AND paused = 0` spelled exactly as in the partial index schedules_due, so SQLite uses it.
  const due = db.prepare<[number, number], Row>(
    'SELECT * FROM schedules WHERE removed_at IS NULL AND paused = 0 AND next_fire_at <= ? ORDER BY next_fire_at LIMIT ?',
  );
  const unscheduled = db.prepare<[], Row>('SELECT * FROM schedules WHERE removed_at IS NULL AND paused = 0 AND next_fire_at IS NULL');
  const setNextFire = db.prepare('UPDATE schedules SET next_fire_at = ? WHERE id = ? AND removed_at IS NULL AND paused = 0');
  const setPaused = db.prepare(
    'UPDATE schedules SET paused = ?, updated_at = ?, next_fire_at = ? WHERE id = ? AND removed_at IS NULL AND paused != ?',
  );
  const remove = db.prepare('UPDATE schedules SET removed_at = ?, updated_at = ?, next_fire_at = NULL WHERE id = ? AND removed_at IS NULL');

  return {
    insert: async (s) => void insert.run({ ...s, crons: JSON.stringify(s.crons), paused: s.paused ? 1 : 0, nextFireAt: s.nextFireAt ?? null }),
    get: async (id) => {
      const row = get.get(id);
      return row ? fromRow(row) : undefined;
    },
    idTaken: async (id) => taken.get(id)!.n > 0,
    listForChannel: async (p, w, c) => forChannel.all(p, w, c).map(fromRow),
    listPersonal: async (k) => personal.all(k.platform, k.workspaceId, k.userId).map(fromRow),
    listDue: async (now, limit) => due.all(now, limit).map(fromRow),
    listUnscheduled: async () => unscheduled.all().map(fromRow),
    setNextFire: async (id, nextFireAt) => void setNextFire.run(nextFireAt ?? null, id),
    setPaused: async (id, paused, now, nextFireAt) =>
      setPaused.run(paused ? 1 : 0, now, paused ? null : (nextFireAt ?? null), id, paused ? 1 : 0).changes === 1,
    remove: async (id, now) => remove.run(now, now, id).changes === 1,
  };
}
