import type { Database } from 'better-sqlite3';
import type { UserKey } from '../core/incoming.js';
import type { UserRecord, UserRepo } from '../core/ports.js';
import type { SettingsRepo } from '../core/team/ports.js';

interface Row {
  platform: UserKey['platform'];
  workspace_id: string;
  user_id: string;
  timezone: string | null;
  work_start_min: number | null;
  work_end_min: number | null;
  dm_paused_until: number | null;
}

function toUserRecord(r: Row): UserRecord {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    userId: r.user_id,
    timezone: r.timezone ?? undefined,
    workStartMin: r.work_start_min ?? undefined,
    workEndMin: r.work_end_min ?? undefined,
    dmPausedUntil: r.dm_paused_until ?? undefined,
  };
}

export function createUserRepo(db: Database): UserRepo & SettingsRepo {
  const insert = db.prepare(
    `INSERT INTO users (platform, workspace_id, user_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const select = db.prepare<[string, string, string], Row>(
    'SELECT * FROM users WHERE platform = ? AND workspace_id = ? AND user_id = ?',
  );
  const get = (k: UserKey) => {
    const row = select.get(k.platform, k.workspaceId, k.userId);
    return row ? toUserRecord(row) : undefined;
  };
  const setTz = db.prepare('UPDATE users SET timezone = ?, updated_at = ? WHERE platform = ? AND workspace_id = ? AND user_id = ?');
  const setHours = db.prepare(
    'UPDATE users SET work_start_min = ?, work_end_min = ?, updated_at = ? WHERE platform = ? AND workspace_id = ? AND user_id = ?',
  );
  const setPause = db.prepare('UPDATE users SET dm_paused_until = ?, updated_at = ? WHERE platform = ? AND workspace_id = ? AND user_id = ?');
  // Settings writes create the user row first, so a setting never silently updates nothing.
  const withUser = (k: UserKey, now: number, write: () => void) => {
    insert.run(k.platform, k.workspaceId, k.userId, now, now);
    write();
  };
  return {
    setTimezone: async (k, zone, now) => withUser(k, now, () => setTz.run(zone, now, k.platform, k.workspaceId, k.userId)),
    setWorkHours: async (k, h, now) =>
      withUser(k, now, () => setHours.run(h?.startMin ?? null, h?.endMin ?? null, now, k.platform, k.workspaceId, k.userId)),
    setDmPause: async (k, until, now) => withUser(k, now, () => setPause.run(until ?? null, now, k.platform, k.workspaceId, k.userId)),
    async ensure(k, now) {
      insert.run(k.platform, k.workspaceId, k.userId, now, now);
    },
    get: async (k) => get(k),
  };
}
