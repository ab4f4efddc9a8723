import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../src/storage/migrate.js';
import { MIGRATIONS_DIR, openDatabase } from '../src/storage/database.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'stretch-mig-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migrations', () => {
  it('applies every shipped migration to :memory: and records the version', () => {
    const shipped = readMigrations(MIGRATIONS_DIR);
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(shipped.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'completed_sessions']));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Running again applies nothing.
    expect(migrate(db, shipped)).toEqual([]);
  });

  it('opens a file database in WAL mode, creating its directory', () => {
    const path = join(tempDir(), 'nested/dir/coach.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('enforces foreign keys: a session needs its user', () => {
    const db = openDatabase(':memory:');
    expect(() =>
      db.prepare(`INSERT INTO sessions (id, platform, workspace_id, user_id, channel_id, surface, routine_id, exercise_ids, step, status, results, started_at, updated_at)
                  VALUES ('s', 'slack', 'T', 'U', 'C', 'channel', 'full', '[]', 0, 'active', '[]', 0, 0)`).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('rolls back a failing migration entirely and keeps the old version', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001-one.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '002-two.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);');
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, readMigrations(dir))).toThrow(/nope/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('refuses badly named, gapped files and a database newer than the code', () => {
    const bad = tempDir();
    writeFileSync(join(bad, '1-init.sql'), '');
    expect(() => readMigrations(bad)).toThrow(/1-init\.sql: migration files must be named NNN-lowercase-name\.sql/);
    const gap = tempDir();
    writeFileSync(join(gap, '001-a.sql'), '');
    writeFileSync(join(gap, '003-c.sql'), '');
    expect(() => readMigrations(gap)).toThrow(/003-c\.sql: expected migration number 002/);
    const db = new BetterSqlite3(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db, readMigrations(MIGRATIONS_DIR))).toThrow(/newer than this code/);
  });
});
