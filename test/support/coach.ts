/** A real coach over a real (in-memory or temp-file) SQLite database and the shipped content. */
import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { loadCatalogue } from '../../src/content/loader.js';
import { createCoach, type Coach } from '../../src/core/coach.js';
import type { Catalogue } from '../../src/core/catalogue.js';
import type { Clock } from '../../src/core/ports.js';
import { openDatabase } from '../../src/storage/database.js';
import { createSessionRepo } from '../../src/storage/sessions-repo.js';
import { createUserRepo } from '../../src/storage/users-repo.js';

export const CONTENT_DIR = resolve(import.meta.dirname, '../../content');

let cached: Catalogue | undefined;
export const shippedCatalogue = (): Catalogue => (cached ??= loadCatalogue(CONTENT_DIR));

/** A clock the test moves by hand; never real waiting. */
export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 24, 9, 0, 0)) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface TestCoach {
  coach: Coach;
  db: Database;
  clock: FakeClock;
  catalogue: Catalogue;
}

export function createTestCoach(opts: { dbPath?: string; clock?: FakeClock } = {}): TestCoach {
  const db = openDatabase(opts.dbPath ?? ':memory:');
  const clock = opts.clock ?? new FakeClock();
  const catalogue = shippedCatalogue();
  const coach = createCoach({ catalogue, users: createUserRepo(db), sessions: createSessionRepo(db), clock });
  return { coach, db, clock, catalogue };
}
