/**
 * Upgrading a database from before next fire times: migration 003 adds the column empty, and
 * the first sweep of each process computes it for live, running schedules, so a slot missed
 * while the bot was down is caught up (or skipped) exactly as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../src/storage/migrate.js';
import { createTestCoach, FakeClock, row, rows } from './support/coach.js';

const at = (iso: string) => Date.parse(iso);
const dir = mkdtempSync(join(tmpdir(), 'stretch-backfill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAVED = at('2026-11-20T08:00:00Z');
/** Tuesday; no sweep has run since 07:30 UTC (the bot was down). */
const NOW = at('2026-11-24T10:05:00Z');

/** A version-2 database, with schedules and fires as the previous release wrote them. */
function olderDatabase(path: string) {
  const db = new BetterSqlite3(path);
  // What the release before next fire times did: files 001 and 002, the version in user_version.
  for (const m of readMigrations().slice(0, 2)) db.exec(m.sql);
  db.pragma('user_version = 2');
  const schedule = db.prepare(
    `INSERT INTO schedules (id, platform, workspace_id, kind, channel_id, user_id, when_text, crons, timezone, routine_id, paused, created_at, updated_at, removed_at)
     VALUES (?, 'slack', 'T1', ?, 'C1', 'U1', 'as typed', ?, ?, 'desk', ?, ?, ?, ?)`,
  );
  const add = (id: string, cron: string, o: { kind?: string; zone?: string; paused?: 1; updatedAt?: number; removedAt?: number } = {}) =>
    schedule.run(id, o.kind ?? 'channel', JSON.stringify([cron]), o.zone ?? 'UTC', o.paused ?? 0, SAVED, o.updatedAt ?? SAVED, o.removedAt ?? null);
  add('broken', '61 25 * * *'); // the evaluator rejects it: it must not hold up the rows after it
  add('ten', '0 10 * * *'); // due 5 minutes ago: caught up
  add('nine', '0 9 * * *'); // due 65 minutes ago: recorded as missed
  add('eleven', '0 11 * * *'); // latest slot (yesterday) already recorded; next one later today
  add('resumed', '0 10 * * *', { updatedAt: at('2026-11-24T10:02:00Z') }); // resumed after today's slot: not fired
  add('paused', '0 10 * * *', { paused: 1 });
  add('removed', '0 10 * * *', { removedAt: at('2026-11-22T12:00:00Z') });
  add('berlin', '0 11 * * 1-5', { kind: 'personal', zone: 'Europe/Berlin' }); // 11:00 CET = 10:00 UTC
  const fire = db.prepare(
    `INSERT INTO fires (id, schedule_id, platform, workspace_id, channel_id, routine_id, fire_at, status, recorded_at)
     VALUES (?, ?, 'slack', 'T1', 'C1', 'desk', ?, 'queued', ?)`,
  );
  for (const [id, slot] of [['ten', '2026-11-23T10:00:00Z'], ['nine', '2026-11-23T09:00:00Z'], ['eleven', '2026-11-23T11:00:00Z']] as const) {
    fire.run(`old-${id}`, id, at(slot), at(slot));
  }
  db.close();
}

describe('schedules saved before next fire times existed', () => {
  it('get one from the first sweep, which catches up and skips exactly as a sweep over every schedule did', async () => {
    const path = join(dir, 'old.db');
    olderDatabase(path);
    const t = await createTestCoach({ dbPath: path, clock: new FakeClock(NOW) });

    // Migration 003: the column, the partial due index, and the old scan index gone.
    expect(await row(t, 'PRAGMA user_version')).toEqual({ user_version: readMigrations().length });
    const indexes = await rows(t, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'schedules' AND sql IS NOT NULL ORDER BY name");
    expect(indexes).toEqual([
      { name: 'schedules_by_channel', sql: expect.any(String) },
      { name: 'schedules_due', sql: 'CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE removed_at IS NULL AND paused = 0' },
    ]);
    expect(await row(t, 'SELECT COUNT(*) n FROM schedules WHERE next_fire_at IS NOT NULL')).toEqual({ n: 0 });

    expect(await t.app.firing.sweep()).toEqual({ queued: 2, missed: 1, 'already-recorded': 1, 'not-due': 0 });
    expect(await rows(t, "SELECT schedule_id, fire_at, status FROM fires WHERE id NOT LIKE 'old-%' ORDER BY schedule_id")).toEqual([
      { schedule_id: 'berlin', fire_at: at('2026-11-24T10:00:00Z'), status: 'queued' },
      { schedule_id: 'nine', fire_at: at('2026-11-24T09:00:00Z'), status: 'missed' },
      { schedule_id: 'ten', fire_at: at('2026-11-24T10:00:00Z'), status: 'queued' },
    ]);
    expect(await rows(t, 'SELECT kind, target_id, reason FROM outbox ORDER BY id')).toEqual([
      { kind: 'channel', target_id: 'C1', reason: 'prompt' },
      { kind: 'dm', target_id: 'U1', reason: 'reminder' },
    ]);
    const nextFires = async () => Object.fromEntries((await rows<{ id: string; next_fire_at: number | null }>(t, 'SELECT id, next_fire_at FROM schedules')).map((r) => [r.id, r.next_fire_at]));
    expect(await nextFires()).toEqual({
      ten: at('2026-11-25T10:00:00Z'),
      nine: at('2026-11-25T09:00:00Z'),
      eleven: at('2026-11-24T11:00:00Z'),
      resumed: at('2026-11-25T10:00:00Z'),
      paused: null,
      removed: null,
      berlin: at('2026-11-25T10:00:00Z'),
      broken: null,
    });

    // Nothing more this minute; the catch-up happened once.
    expect(await t.app.firing.sweep()).toEqual({ queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 });

    // The backfill runs once per process: a time lost later is not looked for again here...
    await t.storage.db.updateTable('schedules').set({ next_fire_at: null }).where('id', '=', 'ten').execute();
    await t.app.firing.sweep();
    expect((await nextFires()).ten).toBeNull();
    await t.app.stop();
    // ...but the next process fills it in, and the slot it then finds is already recorded.
    const again = await createTestCoach({ dbPath: path, clock: new FakeClock(NOW + 20_000) });
    expect(await again.app.firing.sweep()).toEqual({ queued: 0, missed: 0, 'already-recorded': 1, 'not-due': 0 });
    expect(await row(again, "SELECT next_fire_at n FROM schedules WHERE id = 'ten'")).toEqual({ n: at('2026-11-25T10:00:00Z') });
    expect(await row(again, 'SELECT COUNT(*) n FROM outbox')).toEqual({ n: 2 });
    await again.app.stop();
  });
});
