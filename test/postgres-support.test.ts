import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, pgTestUrl } from './support/postgres.js';

describe('pgTestUrl', () => {
  it('uses TEST_DATABASE_URL, skips with the reason without it, and refuses to skip on CI', () => {
    expect(pgTestUrl({ TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5999/postgres' })).toEqual({ url: 'postgres://postgres@127.0.0.1:5999/postgres' });
    expect(pgTestUrl({})).toEqual({ skip: expect.stringMatching(/^PostgreSQL tests skipped: TEST_DATABASE_URL is not set/) });
    expect(pgTestUrl({ CI: 'false' })).toHaveProperty('skip');
    expect(() => pgTestUrl({ CI: 'true' })).toThrow(/TEST_DATABASE_URL is not set on CI/);
  });
});

// Evaluated when the file loads: on CI without a server this throws and the file fails.
const target = pgTestUrl();
const skipReason = 'skip' in target ? ` (${target.skip})` : '';
// The default reporter only counts skipped tests; say once why these are.
if ('skip' in target) console.warn(target.skip);

describe.skipIf('skip' in target)(`createTestDatabase on a real PostgreSQL server${skipReason}`, () => {
  const databaseExists = async (name: string) => {
    const admin = new pg.Client({ connectionString: (target as { url: string }).url });
    await admin.connect();
    try {
      return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    } finally {
      await admin.end();
    }
  };

  it('creates a fresh database that answers SELECT 1, and drops it', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ one: number; name: string }>('SELECT 1 AS one, current_database() AS name');
    expect(rows[0]).toEqual({ one: 1, name: db.name });
    await client.end();
    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
  });

  it('drops a database even while a forgotten connection is still open', async () => {
    const db = await createTestDatabase();
    const leftover = new pg.Client({ connectionString: db.url });
    const terminated = new Promise<Error>((resolve) => leftover.on('error', resolve));
    await leftover.connect();
    await db.drop();
    expect((await terminated).message).toMatch(/terminat/i);
    expect(await databaseExists(db.name)).toBe(false);
  });
});
