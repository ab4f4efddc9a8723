/**
 * The databases the storage tests run on: SQLite always; PostgreSQL when TEST_DATABASE_URL
 * points at a server the tests may create databases on (each suite gets its own fresh
 * database, dropped afterwards). Without the URL the PostgreSQL cases are skipped and say
 * why in their name; under CI (CI set) a missing URL fails instead, so a CI that forgot to
 * start PostgreSQL cannot pass by skipping.
 *
 *   describe.each(databases())('storage on $label', ({ skip, create }) => { ... })
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../../src/storage/open.js';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from './coach.js';
import { createTestDatabase, pgTestUrl } from './postgres.js';

export type DialectName = 'sqlite' | 'postgres';

export interface FreshDatabase {
  /** For loadConfig and child processes: DATABASE_PATH or DATABASE_URL. */
  env: Record<string, string>;
  /** The same, as the storage config fields. */
  config: { databasePath: string; databaseUrl?: string };
  drop(): Promise<void>;
}

export interface TestDatabase {
  label: string;
  dialect: DialectName;
  /** Why these cases are skipped, or false when they run. */
  skip: string | false;
  create(): Promise<FreshDatabase>;
}

export const sqliteDatabase: TestDatabase = {
  label: 'sqlite',
  dialect: 'sqlite',
  skip: false,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'stretch-db-'));
    const path = join(dir, 'stretch.db');
    return { env: { DATABASE_PATH: path }, config: { databasePath: path }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** PostgreSQL when TEST_DATABASE_URL is set (see ./postgres.ts for the CI rule); a fresh database per suite. */
export function postgresDatabase(): TestDatabase {
  const target = pgTestUrl();
  const skip = 'skip' in target ? 'TEST_DATABASE_URL not set' : false;
  return {
    label: skip ? `postgres (skipped: ${skip})` : 'postgres',
    dialect: 'postgres',
    skip,
    async create() {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, config: { databasePath: ':memory:', databaseUrl: db.url }, drop: db.drop };
    },
  };
}

/** Every database the storage suites run on. */
export function databases(): TestDatabase[] {
  return [sqliteDatabase, postgresDatabase()];
}

/**
 * Two storages on one fresh database, as two replicas see it (two pools, or two connections
 * to the file). `close` closes both and drops the database.
 */
export async function openReplicas(db: TestDatabase): Promise<{ a: Storage; b: Storage; close(): Promise<void> }> {
  const fresh = await db.create();
  const a = await openStorage(fresh.config, silentLogger());
  const b = await openStorage(fresh.config, silentLogger());
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await fresh.drop();
    },
  };
}

/**
 * Replica A and replica B for the suite it is called in: two storages on one fresh database,
 * opened before its tests and closed (and the database dropped) after. Nothing when skipped.
 */
export function useReplicas(db: TestDatabase): { readonly a: Storage; readonly b: Storage } {
  const replicas = {} as { a: Storage; b: Storage };
  let close = async () => {};
  beforeAll(async () => {
    if (db.skip) return;
    const opened = await openReplicas(db);
    Object.assign(replicas, { a: opened.a, b: opened.b });
    close = opened.close;
  });
  afterAll(() => close());
  return replicas;
}
