/**
 * Opening a database: a SQLite file (the default) or a PostgreSQL pool (DATABASE_URL).
 * A PostgreSQL server that cannot be reached stops start-up with one line naming
 * DATABASE_URL and the reason; the password never appears in it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import type pgModule from 'pg';
import { ConfigError } from '../config.js';
import type { Logger } from '../logger.js';
import type { Db } from './dialect.js';
import type { Schema } from './schema.js';

export function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const file = new BetterSqlite3(path);
  file.pragma('journal_mode = WAL');
  file.pragma('foreign_keys = ON');
  // Several processes may share one file (a restart overlapping the old process): wait, don't fail.
  file.pragma('busy_timeout = 5000');
  return {
    kysely: new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) }),
    dialect: 'sqlite',
    // better-sqlite3 has one connection, the one `tx` holds; prepare() takes one statement, exec() a script.
    runScript: async (_tx, script) => void file.exec(script),
  };
}

/** Distinct statements kept prepared; the repositories use a few dozen. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query it runs; preparing costs more than running
 * most of ours, so each distinct SQL text is prepared once and reused (better-sqlite3
 * statements are reusable). Bounded, since bulk inserts of different sizes differ in text.
 */
function withStatementCache(file: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(query: string) {
      let stmt = statements.get(query);
      if (!stmt) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        stmt = file.prepare(query);
        statements.set(query, stmt);
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => void file.close(),
  };
}

const INT8_OID = 20;

/** Where a URL points, for messages: host:port/db, never the user or password. */
function describeUrl(url: URL): string {
  return `${url.hostname}:${url.port || '5432'}${url.pathname || '/'}`;
}

export async function openPostgres(databaseUrl: string, logger: Logger): Promise<Db> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ConfigError('Config error: DATABASE_URL must be a URL such as postgres://user:password@host:5432/stretch.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`Config error: DATABASE_URL must start with postgres:// (got ${url.protocol}//).`);
  }
  // Loaded only here: a bot on SQLite never loads the PostgreSQL driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: 'stretch-coach',
    // An unreachable host fails start-up in seconds instead of hanging.
    connectionTimeoutMillis: 10_000,
    // A server or network that went away silently is noticed instead of waited on for ever.
    keepAlive: true,
    // Epoch milliseconds are BIGINT; they fit a JavaScript number exactly, so read them as one
    // (pg's default is a string, to be safe with values beyond 2^53 we never store).
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pgModule.types.getTypeParser },
  });
  // An idle connection the server dropped (restart, failover) is replaced by the pool; without
  // a listener the 'error' event would end the process.
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'PostgreSQL connection lost; the pool reconnects'));
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(kysely);
  } catch (err) {
    await kysely.destroy().catch(() => undefined);
    throw new ConfigError(`Config error: DATABASE_URL: could not connect to ${describeUrl(url)} (${connectReason(err, url)})`);
  }
  return {
    kysely,
    dialect: 'postgres',
    // Without parameters pg uses the simple query protocol, which takes several statements.
    runScript: async (tx, script) => void (await sql.raw(script).execute(tx)),
  };
}

function connectReason(err: unknown, url: URL): string {
  const e = err as { message?: string; code?: string; errors?: { message?: string }[] };
  // Connecting to "localhost" tries ::1 and 127.0.0.1 and fails with an AggregateError whose own message is empty.
  const reason = e.message || e.errors?.map((x) => x.message).join('; ') || e.code || String(err);
  const password = decodeURIComponent(url.password);
  return password ? reason.replaceAll(password, '***') : reason;
}
