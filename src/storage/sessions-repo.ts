import type { Database } from 'better-sqlite3';
import type { UserKey } from '../core/incoming.js';
import type { HistoryTotals, SessionRepo } from '../core/ports.js';
import type { Session, SessionStatus, StepResult, Surface } from '../core/session.js';

interface Row {
  id: string;
  platform: Session['platform'];
  workspace_id: string;
  user_id: string;
  channel_id: string;
  surface: Surface;
  routine_id: string;
  exercise_ids: string;
  step: number;
  status: SessionStatus;
  results: string;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  paused_at: number | null;
  paused_ms: number;
  version: number;
}

function fromRow(r: Row): Session {
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
    version: r.version,
  };
  if (r.finished_at !== null) s.finishedAt = r.finished_at;
  if (r.paused_at !== null) s.pausedAt = r.paused_at;
  return s;
}

function params(s: Session) {
  return {
    id: s.id,
    platform: s.platform,
    workspace_id: s.workspaceId,
    user_id: s.userId,
    channel_id: s.channelId,
    surface: s.surface,
    routine_id: s.routineId,
    exercise_ids: JSON.stringify(s.exerciseIds),
    step: s.step,
    status: s.status,
    results: JSON.stringify(s.results),
    started_at: s.startedAt,
    updated_at: s.updatedAt,
    finished_at: s.finishedAt ?? null,
    paused_at: s.pausedAt ?? null,
    paused_ms: s.pausedMs,
  };
}

export function createSessionRepo(db: Database): SessionRepo {
  const insert = db.prepare(
    `INSERT INTO sessions (id, platform, workspace_id, user_id, channel_id, surface, routine_id, exercise_ids, step,
       status, results, started_at, updated_at, finished_at, paused_at, paused_ms, version)
     VALUES (@id, @platform, @workspace_id, @user_id, @channel_id, @surface, @routine_id, @exercise_ids, @step,
       @status, @results, @started_at, @updated_at, @finished_at, @paused_at, @paused_ms, 0)`,
  );
  const select = db.prepare<[string], Row>('SELECT * FROM sessions WHERE id = ?');
  const update = db.prepare(
    `UPDATE sessions SET step = @step, status = @status, results = @results, updated_at = @updated_at,
       finished_at = @finished_at, paused_at = @paused_at, paused_ms = @paused_ms, version = version + 1
     WHERE id = @id AND version = @expected`,
  );
  const history = db.prepare(
    `INSERT INTO completed_sessions (session_id, platform, workspace_id, user_id, routine_id, outcome,
       done_count, skipped_count, total_count, active_seconds, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const abandon = db.prepare(
    `UPDATE sessions SET status = 'abandoned', finished_at = ?, updated_at = ?, version = version + 1
     WHERE platform = ? AND workspace_id = ? AND user_id = ? AND status IN ('active', 'paused', 'hurt')`,
  );
  const totals = db.prepare<[string, string, string, number], HistoryTotals>(
    `SELECT COUNT(*) AS sessions, COALESCE(SUM(outcome = 'completed'), 0) AS completed,
            COALESCE(SUM(done_count), 0) AS exercisesDone, COALESCE(SUM(active_seconds), 0) AS activeSeconds
     FROM completed_sessions WHERE platform = ? AND workspace_id = ? AND user_id = ? AND finished_at >= ?`,
  );

  const save = db.transaction((s: Session, expected: number, summary?: Parameters<SessionRepo['save']>[2]) => {
    const changed = update.run({ ...params(s), expected }).changes === 1;
    if (changed && summary && (s.status === 'completed' || s.status === 'stopped')) {
      history.run(s.id, s.platform, s.workspaceId, s.userId, s.routineId, s.status,
        summary.done, summary.skipped + summary.hurt, summary.total, summary.activeSeconds, s.finishedAt ?? s.updatedAt);
    }
    return changed;
  });

  return {
    insert: async (s) => void insert.run(params(s)),
    get: async (id) => {
      const row = select.get(id);
      return row ? fromRow(row) : undefined;
    },
    save: async (s, expected, summary) => save(s, expected, summary),
    abandonOpen: async (k: UserKey, now) => abandon.run(now, now, k.platform, k.workspaceId, k.userId).changes,
    totals: async (k, since) => totals.get(k.platform, k.workspaceId, k.userId, since)!,
  };
}
