import type { Database } from 'better-sqlite3';
import type { UserKey } from '../core/incoming.js';
import type { UserRecord, UserRepo } from '../core/ports.js';

interface Row {
  platform: UserKey['platform'];
  workspace_id: string;
  user_id: string;
  timezone: string | null;
  work_start_min: number | null;
  work_end_min: number | null;
  dm_paused_until: number | null;
}

export function toUserRecord(r: Row): UserRecord {
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

export function createUserRepo(db: Database): UserRepo {
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
  return {
    ensure(k, now) {
      insert.run(k.platform, k.workspaceId, k.userId, now, now);
      return get(k)!;
    },
    get,
  };
}
