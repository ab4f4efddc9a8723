/**
 * Forward-only migrations: migrations/NNN-name.sql, applied in number order, each in a
 * transaction that also sets PRAGMA user_version, so a failed migration leaves nothing half-done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

const FILE_RE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string): Migration[] {
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

/** Applies pending migrations; returns the names applied. */
export function migrate(db: Database, migrations: Migration[]): string[] {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (version() > latest) {
    throw new Error(`Database schema version ${version()} is newer than this code knows (${latest}); upgrade stretch coach instead of downgrading.`);
  }
  const applied: string[] = [];
  for (const m of migrations) {
    // IMMEDIATE takes the write lock first and the version is read again under it, so two
    // processes starting on one file never apply the same migration twice.
    const ran = db
      .transaction(() => {
        if (version() >= m.version) return false;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.name);
  }
  return applied;
}
