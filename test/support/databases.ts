/**
 * The databases the storage tests run on: SQLite always; PostgreSQL when TEST_DATABASE_URL
 * points at a server the tests may create databases on (each suite gets its own fresh
 * database, dropped afterwards). Without the URL the PostgreSQL cases are skipped and say
 * why in their name; under CI (CI set) a missing URL fails instead, so a CI that forgot to
 * start PostgreSQL cannot pass by skipping.
 *
 *   describe.each(databases())('storage on $label', ({ skip, create }) => { ... })
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStorage, type Storage } from '../../src/storage/open.js';
import { silentLogger } from './coach.js';

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

const NO_URL = 'TEST_DATABASE_URL not set';

export function postgresUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (!url && process.env.CI) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests must run in CI (start a server and set TEST_DATABASE_URL=postgres://...).');
  }
  return url || undefined;
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

/** A server-level connection (to the database TEST_DATABASE_URL names) for CREATE/DROP DATABASE. */
async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function postgresDatabase(): TestDatabase {
  const url = postgresUrl();
  return {
    label: url ? 'postgres' : `postgres (skipped: ${NO_URL})`,
    dialect: 'postgres',
    skip: url ? false : NO_URL,
    async create() {
      if (!url) throw new Error(NO_URL);
      const name = `stretch_test_${randomBytes(6).toString('hex')}`;
      await withAdmin(url, (c) => c.query(`CREATE DATABASE ${name}`));
      const fresh = new URL(url);
      fresh.pathname = `/${name}`;
      return {
        env: { DATABASE_URL: fresh.href },
        config: { databasePath: ':memory:', databaseUrl: fresh.href },
        drop: () =>
          withAdmin(url, async (c) => {
            // A pool a failed test left open would block the DROP: end those sessions first.
            await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
            await c.query(`DROP DATABASE IF EXISTS ${name}`);
          }),
      };
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
