/**
 * A SQLite file made by release 0.1 (schema 001 + 002, version in PRAGMA user_version)
 * opens with the new storage in place: nothing lost, every row readable through the
 * repositories, and new rows written after the old ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/open.js';
import { readMigrations } from '../src/storage/migrate.js';
import { silentLogger } from './support/coach.js';

/** Release 0.1 shipped migrations 001 and 002 (forward-only: their files never change). */
const RELEASE_0_1 = readMigrations().filter((m) => m.version <= 2);
const dir = mkdtempSync(join(tmpdir(), 'stretch-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.UTC(2026, 10, 24, 9);
const slack = { platform: 'slack', workspace_id: 'T1' } as const;

/** A database file exactly as release 0.1 left it, with a bit of everything in it. */
function releaseFile(path: string) {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  // What release 0.1's migrate() did: each file, then the version in PRAGMA user_version.
  for (const m of RELEASE_0_1) db.exec(m.sql);
  db.pragma(`user_version = ${RELEASE_0_1.length}`);
  const insert = (table: string, row: Record<string, unknown>) =>
    db.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((k) => `@${k}`).join(', ')})`).run(row);
  insert('users', { ...slack, user_id: 'U1', timezone: 'Europe/Berlin', work_start_min: 540, work_end_min: 1050, dm_paused_until: T + 3_600_000, created_at: T, updated_at: T });
  insert('users', { ...slack, user_id: 'U2', created_at: T, updated_at: T });
  const session = { ...slack, user_id: 'U1', channel_id: 'C1', surface: 'dm', routine_id: 'desk', exercise_ids: '["a","b"]', started_at: T, updated_at: T + 60_000 };
  insert('sessions', { ...session, id: 'live', step: 1, status: 'paused', results: '["done","pending"]', paused_at: T + 60_000, paused_ms: 5_000, version: 3 });
  insert('sessions', { ...session, id: 'done', step: 1, status: 'completed', results: '["done","done"]', finished_at: T + 120_000, version: 2 });
  insert('completed_sessions', { ...slack, session_id: 'done', user_id: 'U1', routine_id: 'desk', outcome: 'completed', done_count: 2, skipped_count: 0, total_count: 2, active_seconds: 95, finished_at: T + 120_000 });
  const schedule = { ...slack, user_id: 'U1', when_text: 'weekdays 10:30', crons: '["30 10 * * 1-5"]', timezone: 'Europe/Berlin', routine_id: 'desk', created_at: T, updated_at: T };
  insert('schedules', { ...schedule, id: 'ch01', kind: 'channel', channel_id: 'C1', paused: 0 });
  insert('schedules', { ...schedule, id: 'ch02', kind: 'channel', channel_id: 'C1', paused: 1 });
  insert('schedules', { ...schedule, id: 'gone', kind: 'channel', channel_id: 'C1', paused: 0, removed_at: T + 1 });
  insert('schedules', { ...schedule, id: 'me01', kind: 'personal', channel_id: 'D1', paused: 0 });
  insert('fires', { ...slack, id: 'f1', schedule_id: 'ch01', channel_id: 'C1', routine_id: 'desk', fire_at: T + 5_400_000, status: 'queued', recorded_at: T + 5_400_500 });
  insert('optins', { ...slack, channel_id: 'C1', user_id: 'U1', created_at: T });
  insert('optins', { ...slack, channel_id: 'C1', user_id: 'U2', created_at: T + 1 });
  insert('not_today', { ...slack, channel_id: 'C1', user_id: 'U2', until: T + 86_400_000 });
  const ob = { ...slack, fire_id: 'f1', not_before: T + 5_400_000, created_at: T + 5_400_500, updated_at: T + 5_400_500 };
  insert('outbox', { ...ob, kind: 'channel', target_id: 'C1', reason: 'prompt', status: 'sent', attempts: 1 });
  insert('outbox', { ...ob, kind: 'dm', target_id: 'U1', reason: 'optin', status: 'pending', attempts: 1, maybe_sent: 1 });
  insert('outbox', { ...ob, kind: 'dm', target_id: 'U2', reason: 'optin', status: 'skipped', detail: 'not today' });
  db.close();
}

describe('upgrading a release-0.1 SQLite file in place', () => {
  it('keeps every row readable through the repositories', async () => {
    const path = join(dir, 'stretch.db');
    releaseFile(path);
    const s = await openStorage({ databasePath: path }, silentLogger());
    try {
      // Bookkeeping: 001 and 002 adopted from user_version, anything newer applied.
      const recorded = await s.db.selectFrom('schema_migrations').select(['version', 'name']).orderBy('version').execute();
      expect(recorded).toEqual(readMigrations().map((m) => ({ version: m.version, name: m.name })));

      expect(await s.users.get({ platform: 'slack', workspaceId: 'T1', userId: 'U1' })).toEqual({
        platform: 'slack', workspaceId: 'T1', userId: 'U1', timezone: 'Europe/Berlin', workStartMin: 540, workEndMin: 1050, dmPausedUntil: T + 3_600_000,
      });
      expect(await s.users.get({ platform: 'slack', workspaceId: 'T1', userId: 'U2' })).toMatchObject({ timezone: undefined, dmPausedUntil: undefined });

      expect(await s.sessions.get('live')).toEqual({
        id: 'live', platform: 'slack', workspaceId: 'T1', userId: 'U1', channelId: 'C1', surface: 'dm', routineId: 'desk', exerciseIds: ['a', 'b'],
        step: 1, status: 'paused', results: ['done', 'pending'], startedAt: T, updatedAt: T + 60_000, pausedAt: T + 60_000, pausedMs: 5_000, version: 3,
        // Columns added since release 0.1 read back as "none yet".
        easierSteps: [], leftOut: [], timersDone: 0,
      });
      expect(await s.sessions.get('done')).toMatchObject({ status: 'completed', finishedAt: T + 120_000, version: 2 });
      expect(await s.sessions.totals({ platform: 'slack', workspaceId: 'T1', userId: 'U1' }, 0)).toEqual({ sessions: 1, completed: 1, exercisesDone: 2, activeSeconds: 95 });

      expect((await s.schedules.listForChannel('slack', 'T1', 'C1')).map((x) => [x.id, x.paused])).toEqual([['ch01', false], ['ch02', true]]);
      expect((await s.schedules.listUnscheduled()).map((x) => x.id).sort()).toEqual(['ch01', 'me01']);
      expect(await s.schedules.listPersonal({ platform: 'slack', workspaceId: 'T1', userId: 'U1' })).toMatchObject([{ id: 'me01', crons: ['30 10 * * 1-5'] }]);
      expect(await s.schedules.get('gone')).toBeUndefined();
      expect(await s.schedules.idTaken('gone')).toBe(true);

      const c1 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
      expect(await s.delivery.getFire('f1')).toEqual({ id: 'f1', scheduleId: 'ch01', platform: 'slack', workspaceId: 'T1', channelId: 'C1', routineId: 'desk', fireAt: T + 5_400_000 });
      expect(await s.delivery.hasFire('ch01', T + 5_400_000)).toBe(true);
      expect(await s.delivery.optedInUsers(c1)).toEqual(['U1', 'U2']);
      expect(await s.delivery.isNotToday(c1, 'U2', T)).toBe(true);
      expect(await s.outboxCounts()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 0, skipped: 1 });
      // The pending row keeps its maybe-sent mark and its attempts.
      expect(await s.delivery.claimDue(T + 6_000_000, 'host:1:abc', ['slack'], 10)).toMatchObject([{ id: 2, targetId: 'U1', maybeSent: true, attempts: 2 }]);

      // New rows go after the old ones: the outbox id sequence carries on.
      expect(await s.delivery.enqueueSnooze((await s.delivery.getFire('f1'))!, 'U2', T + 6_000_000, T + 6_000_000)).toBe(true);
      expect((await s.db.selectFrom('outbox').select('id').orderBy('id', 'desc').executeTakeFirst())?.id).toBe(4);
    } finally {
      await s.close();
    }
    const after = new BetterSqlite3(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(readMigrations().length);
    after.close();
  });
});
