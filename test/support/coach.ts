/** A real coach over a real (in-memory or temp-file) SQLite database and the shipped content. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadCatalogue } from '../../src/content/loader.js';
import type { Coach } from '../../src/core/coach.js';
import type { PlatformAdapter } from '../../src/core/notifier.js';
import type { Catalogue } from '../../src/core/catalogue.js';
import type { Clock } from '../../src/core/ports.js';
import { createLogger } from '../../src/logger.js';
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
  db: Database;
  clock: FakeClock;
  catalogue: Catalogue;
}

export const silentLogger = () => createLogger('silent');

/**
 * The app as the composition root builds it, with a fake clock and no timers; pass
 * platform variables (pointing at an emulator) in `env` to get adapters too.
 */
export async function createTestCoach(
  opts: { dbPath?: string; clock?: FakeClock; env?: Record<string, string>; adapters?: PlatformAdapter[] } = {},
): Promise<TestCoach> {
  const config = loadConfig({ DATABASE_PATH: opts.dbPath ?? ':memory:', CONTENT_DIR, PICTURES_DIR: TEST_PICTURES_DIR, ...opts.env });
  const clock = opts.clock ?? new FakeClock();
  const app = await createApp(config, silentLogger(), { clock, timers: false, adapters: opts.adapters });
  return { app, coach: app.coach, db: app.db, clock, catalogue: app.catalogue };
}
