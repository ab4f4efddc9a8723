/** A real coach over a real database (in-memory or temp-file SQLite, or PostgreSQL) and the shipped content. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadCatalogue } from '../../src/content/loader.js';
import type { Coach } from '../../src/core/coach.js';
import type { PlatformAdapter } from '../../src/core/notifier.js';
import type { Catalogue } from '../../src/core/catalogue.js';
import type { Clock } from '../../src/core/ports.js';
import { createLogger } from '../../src/logger.js';
import type { Storage } from '../../src/storage/open.js';
import { RENDERER_VERSION } from '../../src/pictures/svg.js';

export const CONTENT_DIR = resolve(import.meta.dirname, '../../content');

/**
 * PICTURES_DIR for every test app and child process: outside the repository, shared by all
 * test runs of one renderer version, so the first app draws the pictures and the rest reuse
 * them (a changed pose gets new file names, so stale files are never served).
 */
export const TEST_PICTURES_DIR = join(tmpdir(), `stretch-coach-test-pictures-v${RENDERER_VERSION}`);

let cached: Catalogue | undefined;
export const shippedCatalogue = (): Catalogue => (cached ??= loadCatalogue(CONTENT_DIR));

/** A clock the test moves by hand; never real waiting. */
export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 24, 9, 0, 0)) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
  set(ms: number) {
    this.ms = ms;
  }
}

export interface TestCoach {
  app: App;
  coach: Coach;
  storage: Storage;
  clock: FakeClock;
  catalogue: Catalogue;
}

export const silentLogger = () => createLogger('silent');

/**
 * The app as the composition root builds it, with a fake clock and no timers; pass
 * platform variables (pointing at an emulator) in `env` to get adapters too, and
 * DATABASE_URL there (or `databaseUrl`) for PostgreSQL.
 */
export async function createTestCoach(
  opts: { dbPath?: string; databaseUrl?: string; clock?: FakeClock; env?: Record<string, string>; adapters?: PlatformAdapter[] } = {},
): Promise<TestCoach> {
  const config = loadConfig({
    DATABASE_PATH: opts.dbPath ?? ':memory:',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    CONTENT_DIR,
    PICTURES_DIR: TEST_PICTURES_DIR,
    ...opts.env,
  });
  const clock = opts.clock ?? new FakeClock();
  const app = await createApp(config, silentLogger(), { clock, timers: false, adapters: opts.adapters });
  return { app, coach: app.coach, storage: app.storage, clock, catalogue: app.catalogue };
}

/**
 * Rows of a query straight on the tables, on whichever database the coach runs. Plain
 * text for a fixed query; the `sql` tag (re-exported here) for one with values.
 */
export async function rows<T = Record<string, unknown>>(t: { storage: Storage }, query: string | RawBuilder<unknown>): Promise<T[]> {
  const q = typeof query === 'string' ? sql.raw(query) : query;
  return (await q.execute(t.storage.db)).rows as T[];
}

/** The first row of `rows`, or undefined. */
export const row = async <T = Record<string, unknown>>(t: { storage: Storage }, query: string | RawBuilder<unknown>): Promise<T | undefined> =>
  (await rows<T>(t, query))[0];

export { sql };
