/**
 * Forward-only migrations: migrations/NNN-name.sql, applied in number order at start-up,
 * each in its own transaction together with its row in schema_migrations, so a failed
 * migration leaves nothing half-done. One SQL text serves both databases (written for
 * SQLite; dialect.ts translates the two types PostgreSQL spells differently). Replicas starting together take turns: the
 * transaction holds the migration lock and reads what is applied under it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { legacySchemaVersion, lockForMigration, migrationSql, recordLegacySchemaVersion, writeTransaction, type Db } from './dialect.js';
import type { Schema } from './schema.js';
import { PACKAGE_ROOT } from '../package-root.js';

/** migrations/ at the package root, independent of the working directory. */
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');

const FILE_RE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((name) => {
      const m = FILE_RE.exec(name);
      if (!m) throw new Error(`${join(dir, name)}: migration files must be named NNN-lowercase-name.sql`);
      return { version: Number(m[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`${join(dir, m.name)}: expected migration number ${String(i + 1).padStart(3, '0')} (numbers must start at 001 with no gaps or repeats)`);
    }
  });
  return migrations;
}

/**
 * Creates the bookkeeping table and, for a SQLite file from before it existed (its version
 * lives in PRAGMA user_version), records the migrations that file already has.
 * Returns the applied versions.
 */
async function appliedVersions(db: Db, tx: Kysely<Schema>, migrations: Migration[], now: number): Promise<number[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    applied_at  BIGINT  NOT NULL
  )`.execute(tx);
  const rows = await tx.selectFrom('schema_migrations').select('version').orderBy('version').execute();
  if (rows.length) return rows.map((r) => r.version);
  const legacy = await legacySchemaVersion(db.dialect, tx);
  const adopted = migrations.filter((m) => m.version <= legacy);
  if (adopted.length) {
    await tx.insertInto('schema_migrations').values(adopted.map((m) => ({ version: m.version, name: m.name, applied_at: now }))).execute();
  }
  return adopted.map((m) => m.version);
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(db: Db, migrations: Migration[], now = Date.now()): Promise<string[]> {
  const latest = migrations.at(-1)?.version ?? 0;
  const applied: string[] = [];
  // One pass for the check, then one transaction per migration: the loop always runs once.
  for (const m of [undefined, ...migrations]) {
    const ran = await writeTransaction(db, async (tx) => {
      await lockForMigration(db.dialect, tx);
      const done = await appliedVersions(db, tx, migrations, now);
      const newest = Math.max(0, ...done);
      if (newest > latest) {
        throw new Error(`Database schema version ${newest} is newer than this code knows (${latest}); upgrade stretch coach instead of downgrading.`);
      }
      if (!m || done.includes(m.version)) return false;
      await db.runScript(tx, migrationSql(db.dialect, m.sql));
      await tx.insertInto('schema_migrations').values({ version: m.version, name: m.name, applied_at: now }).execute();
      await recordLegacySchemaVersion(db.dialect, tx, m.version);
      return true;
    });
    if (ran && m) applied.push(m.name);
  }
  return applied;
}
