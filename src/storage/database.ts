import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate, readMigrations } from './migrate.js';

/** migrations/ at the package root, independent of the working directory. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations');

export function openDatabase(path: string, migrationsDir = MIGRATIONS_DIR): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Several processes may share one file (a restart overlapping the old process): wait, don't fail.
  db.pragma('busy_timeout = 5000');
  migrate(db, readMigrations(migrationsDir));
  return db;
}
