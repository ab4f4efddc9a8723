/**
 * A real PostgreSQL server for tests. `.ci/run` starts a throwaway one and sets
 * TEST_DATABASE_URL; a developer without one gets the PostgreSQL tests skipped with the
 * reason shown, while CI fails instead, so a broken server start can never pass as green.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type PgTestTarget = { url: string } | { skip: string };

const isCi = (env: NodeJS.ProcessEnv) => Boolean(env.CI) && !['0', 'false'].includes(env.CI!.toLowerCase());

/** Where the PostgreSQL tests run, or why they are skipped. Throws on CI without a server. */
export function pgTestUrl(env: NodeJS.ProcessEnv = process.env): PgTestTarget {
  const url = env.TEST_DATABASE_URL?.trim();
  if (url) return { url };
  if (isCi(env)) {
    throw new Error('TEST_DATABASE_URL is not set on CI: the PostgreSQL tests must run there (.ci/run starts a throwaway server)');
  }
  return { skip: 'PostgreSQL tests skipped: TEST_DATABASE_URL is not set; .ci/run starts a throwaway server' };
}

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Ends whatever is still connected to it, then drops it. */
  drop(): Promise<void>;
}

/** Runs `work` on a short-lived connection to the server's maintenance database. */
async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database with a unique name on the test server, so test files (which vitest
 * runs in parallel) never see each other's tables.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const target = pgTestUrl();
  if ('skip' in target) throw new Error(target.skip);
  const name = `stretch_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  // Names cannot be bound as parameters; this one is made of [a-z0-9_] only.
  await withServer(target.url, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(target.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withServer(target.url, async (c) => {
        // A pool a failed test never closed would make DROP DATABASE wait or fail.
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
}
