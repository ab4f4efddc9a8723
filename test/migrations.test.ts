import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgres, openSqlite } from '../src/storage/connect.js';
import type { Db } from '../src/storage/dialect.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../src/storage/migrate.js';
import { silentLogger } from './support/coach.js';
import { databases, type FreshDatabase } from './support/databases.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'stretch-mig-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration files', () => {
  it('refuses badly named and gapped files', () => {
    const bad = tempDir();
    writeFileSync(join(bad, '1-init.sql'), '');
    expect(() => readMigrations(bad)).toThrow(/1-init\.sql: migration files must be named NNN-lowercase-name\.sql/);
    const gap = tempDir();
    writeFileSync(join(gap, '001-a.sql'), '');
    writeFileSync(join(gap, '003-c.sql'), '');
    expect(() => readMigrations(gap)).toThrow(/003-c\.sql: expected migration number 002/);
  });
});

describe.each(databases())('migrations on $label', ({ skip, create, dialect }) => {
  const fresh: FreshDatabase[] = [];
  const opened: Db[] = [];
  /** A fresh, empty database of this kind, opened but not migrated. */
  const open = async (): Promise<Db> => {
    const f = await create();
    fresh.push(f);
    const db = f.config.databaseUrl ? await openPostgres(f.config.databaseUrl, silentLogger()) : openSqlite(f.config.databasePath);
    opened.push(db);
    return db;
  };
  const tables = async (db: Db) =>
    (dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db.kysely)
      : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.execute(db.kysely)
    ).rows.map((r) => r.name);
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.kysely.destroy();
    for (const f of fresh.splice(0)) await f.drop();
  });

  it.skipIf(skip)('applies every shipped migration once and records each in schema_migrations', async () => {
    const db = await open();
    const shipped = readMigrations();
    expect(await migrate(db, shipped)).toEqual(shipped.map((m) => m.name));
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'completed_sessions', 'schedules', 'fires', 'optins', 'not_today', 'outbox', 'slack_installations', 'schema_migrations']),
    );
    const recorded = await db.kysely.selectFrom('schema_migrations').select(['version', 'name']).orderBy('version').execute();
    expect(recorded).toEqual(shipped.map((m) => ({ version: m.version, name: m.name })));
    // Running again applies nothing.
    expect(await migrate(db, shipped)).toEqual([]);
  });

  it.skipIf(skip)('enforces foreign keys: a session needs its user', async () => {
    const db = await open();
    await migrate(db, readMigrations());
    await expect(
      sql`INSERT INTO sessions (id, platform, workspace_id, user_id, channel_id, surface, routine_id, exercise_ids, step, status, results, started_at, updated_at)
          VALUES ('s', 'slack', 'T', 'U', 'C', 'channel', 'full', '[]', 0, 'active', '[]', 0, 0)`.execute(db.kysely),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);
  });

  it.skipIf(skip)('stores epoch milliseconds beyond 32 bits and reads them back as numbers', async () => {
    const db = await open();
    await migrate(db, readMigrations());
    const t = Date.UTC(2100, 0, 1);
    await db.kysely.insertInto('users').values({ platform: 'slack', workspace_id: 'T', user_id: 'U', dm_paused_until: t, created_at: t, updated_at: t }).execute();
    expect(await db.kysely.selectFrom('users').select(['dm_paused_until', 'created_at']).executeTakeFirst()).toEqual({ dm_paused_until: t, created_at: t });
  });

  it.skipIf(skip)('rolls back a failing migration entirely and keeps the ones before it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '001-one.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(dir, '002-two.sql'), 'CREATE TABLE b (x INTEGER);\nINSERT INTO nope VALUES (1);');
    const db = await open();
    await expect(migrate(db, readMigrations(dir))).rejects.toThrow(/nope/);
    expect(await db.kysely.selectFrom('schema_migrations').select('version').execute()).toEqual([{ version: 1 }]);
    expect(await tables(db)).not.toContain('b');
  });

  it.skipIf(skip)('refuses a database newer than the code', async () => {
    const db = await open();
    await migrate(db, readMigrations());
    await db.kysely.insertInto('schema_migrations').values({ version: 99, name: '099-future.sql', applied_at: 0 }).execute();
    await expect(migrate(db, readMigrations())).rejects.toThrow(/schema version 99 is newer than this code knows/);
  });

  // PostgreSQL only: in one process, a second SQLite connection waiting for the write lock
  // blocks the event loop the first one needs (processes sharing a file: replicas test).
  it.skipIf(skip || dialect === 'sqlite')('replicas migrating one empty database at the same moment apply each migration once', async () => {
    const first = await open();
    const others = await Promise.all(
      [1, 2, 3].map(async () => {
        const db = await openPostgres(fresh[0]!.config.databaseUrl!, silentLogger());
        opened.push(db);
        return db;
      }),
    );
    const shipped = readMigrations();
    const applied = await Promise.all([first, ...others].map((db) => migrate(db, shipped)));
    expect(applied.flat().sort()).toEqual(shipped.map((m) => m.name).sort());
    const counts = await first.kysely.selectFrom('schema_migrations').select(['version', sql<number>`count(*)`.as('n')]).groupBy('version').orderBy('version').execute();
    expect(counts).toEqual(shipped.map((m) => ({ version: m.version, n: 1 })));
  });
});

describe('SQLite files', () => {
  it('opens a file database in WAL mode, creating its directory, and keeps PRAGMA user_version in step', async () => {
    const path = join(tempDir(), 'nested/dir/coach.db');
    const db = openSqlite(path);
    await migrate(db, readMigrations());
    await db.kysely.destroy();
    const file = new BetterSqlite3(path, { readonly: true });
    expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
    // So the previous release, which only knows user_version, refuses a newer file.
    expect(file.pragma('user_version', { simple: true })).toBe(readMigrations().length);
    file.close();
  });
});
