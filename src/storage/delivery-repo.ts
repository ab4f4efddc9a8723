/**
 * Fires, opt-ins, "not today" and the outbox. The outbox is the crash-safety mechanism:
 * a fire and all its messages are written in one transaction before anything is sent,
 * and each row is claimed atomically, so two processes never send the same row.
 */
import type { Database } from 'better-sqlite3';
import type { Platform } from '../core/incoming.js';
import type { ChannelKey, DeliveryRepo, Fire, Schedule } from '../core/team/ports.js';
import type { OutboxReason, OutboxRow, OutboxStatus, OutboxStore } from '../scheduler/ports.js';

interface OutboxDbRow {
  id: number;
  fire_id: string;
  platform: Platform;
  workspace_id: string;
  kind: 'channel' | 'dm';
  target_id: string;
  reason: OutboxReason;
  status: OutboxStatus;
  attempts: number;
  maybe_sent: number;
}

interface FireRow {
  id: string;
  schedule_id: string | null;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  routine_id: string;
  fire_at: number;
}

export function createDeliveryRepo(db: Database): DeliveryRepo & OutboxStore {
  const insertFire = db.prepare(
    `INSERT INTO fires (id, schedule_id, platform, workspace_id, channel_id, routine_id, fire_at, status, recorded_at)
     VALUES (@id, @scheduleId, @platform, @workspaceId, @channelId, @routineId, @fireAt, @status, @now)
     ON CONFLICT (schedule_id, fire_at) DO NOTHING`,
  );
  const hasFire = db.prepare<[string, number], { n: number }>('SELECT COUNT(*) n FROM fires WHERE schedule_id = ? AND fire_at = ?');
  const getFire = db.prepare<[string], FireRow>('SELECT * FROM fires WHERE id = ?');
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (fire_id, platform, workspace_id, kind, target_id, reason, not_before, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const optIn = db.prepare('INSERT INTO optins (platform, workspace_id, channel_id, user_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const optOut = db.prepare('DELETE FROM optins WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND user_id = ?');
  const isOptedIn = db.prepare<[string, string, string, string], { n: number }>(
    'SELECT COUNT(*) n FROM optins WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND user_id = ?',
  );
  const optedIn = db.prepare<[string, string, string], { user_id: string }>(
    'SELECT user_id FROM optins WHERE platform = ? AND workspace_id = ? AND channel_id = ? ORDER BY created_at, user_id',
  );
  const setNotToday = db.prepare(
    `INSERT INTO not_today (platform, workspace_id, channel_id, user_id, until) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET until = excluded.until`,
  );
  const notToday = db.prepare<[string, string, string, string, number], { n: number }>(
    'SELECT COUNT(*) n FROM not_today WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND user_id = ? AND until > ?',
  );
  // One statement: SQLite runs it under a write lock, so two processes can't claim the same row.
  const claim = db.prepare(
    `UPDATE outbox SET status = 'sending', claimed_by = @claimant, claimed_at = @now, attempts = attempts + 1, updated_at = @now
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND not_before <= @now
                  AND platform IN (SELECT value FROM json_each(@platforms)) ORDER BY not_before, id LIMIT @limit)
     RETURNING *`,
  );
  const sending = db.prepare<[], { id: number; claimed_by: string; claimed_at: number }>(
    "SELECT id, claimed_by, claimed_at FROM outbox WHERE status = 'sending'",
  );
  const unclaim = db.prepare(
    `UPDATE outbox SET status = 'pending', maybe_sent = 1, claimed_by = NULL, claimed_at = NULL WHERE id = ? AND status = 'sending' AND claimed_by = ?`,
  );
  // Both only touch a row this claimant still holds; maybe_sent survives a retry.
  const finish = db.prepare("UPDATE outbox SET status = ?, detail = ?, updated_at = ? WHERE id = ? AND status = 'sending' AND claimed_by = ?");
  const retry = db.prepare(
    "UPDATE outbox SET status = 'pending', not_before = ?, detail = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ? WHERE id = ? AND status = 'sending' AND claimed_by = ?",
  );

  const recordFire = db.transaction((schedule: Schedule, fire: Fire, status: 'queued' | 'missed', dmUserIds: string[], now: number) => {
    const inserted = insertFire.run({ ...fire, scheduleId: fire.scheduleId ?? null, status, now }).changes === 1;
    if (!inserted || status === 'missed') return inserted;
    const add = (kind: 'channel' | 'dm', target: string, reason: OutboxReason) =>
      insertOutbox.run(fire.id, fire.platform, fire.workspaceId, kind, target, reason, now, now, now);
    if (schedule.kind === 'channel') {
      add('channel', schedule.channelId, 'prompt');
      for (const userId of dmUserIds) add('dm', userId, 'optin');
    } else {
      add('dm', schedule.userId, 'reminder');
    }
    return true;
  });

  // IMMEDIATE: it reads then writes, and another process may be claiming at the same time.
  const reclaim = db.transaction((isAbandoned: (claimedBy: string, claimedAt: number) => boolean) => {
    let n = 0;
    for (const row of sending.all()) {
      if (isAbandoned(row.claimed_by, row.claimed_at)) n += unclaim.run(row.id, row.claimed_by).changes;
    }
    return n;
  });

  const toFire = (r: FireRow): Fire => ({
    id: r.id,
    scheduleId: r.schedule_id ?? undefined,
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    routineId: r.routine_id,
    fireAt: r.fire_at,
  });

  return {
    getFire: async (id) => {
      const row = getFire.get(id);
      return row ? toFire(row) : undefined;
    },
    recordAdHocFire: async (fire, now) => void insertFire.run({ ...fire, scheduleId: null, status: 'queued', now }),
    optIn: async (c, u, now) => optIn.run(c.platform, c.workspaceId, c.channelId, u, now).changes === 1,
    optOut: async (c, u) => optOut.run(c.platform, c.workspaceId, c.channelId, u).changes === 1,
    isOptedIn: async (c, u) => isOptedIn.get(c.platform, c.workspaceId, c.channelId, u)!.n > 0,
    optedInUsers: async (c) => optedIn.all(c.platform, c.workspaceId, c.channelId).map((r) => r.user_id),
    setNotToday: async (c, u, until) => void setNotToday.run(c.platform, c.workspaceId, c.channelId, u, until),
    enqueueSnooze: async (fire, userId, notBefore, now) =>
      insertOutbox.run(fire.id, fire.platform, fire.workspaceId, 'dm', userId, 'snooze', notBefore, now, now).changes === 1,

    recordFire: async (schedule, fire, status, dmUserIds, now) => recordFire(schedule, fire, status, dmUserIds, now),
    hasFire: async (scheduleId, fireAt) => hasFire.get(scheduleId, fireAt)!.n > 0,
    async claimDue(now, claimant, platforms, limit) {
      const rows = claim.all({ now, claimant, platforms: JSON.stringify(platforms), limit }) as OutboxDbRow[];
      return rows
        .sort((a, b) => a.id - b.id)
        .map((r) => ({
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
        }));
    },
    reclaim: async (isAbandoned) => reclaim.immediate(isAbandoned),
    finish: async (id, claimant, status, detail, now) => finish.run(status, detail ?? null, now, id, claimant).changes === 1,
    retryLater: async (id, claimant, notBefore, detail, now) => retry.run(notBefore, detail, now, id, claimant).changes === 1,
    isNotToday: async (c, u, now) => notToday.get(c.platform, c.workspaceId, c.channelId, u, now)!.n > 0,
  };
}
