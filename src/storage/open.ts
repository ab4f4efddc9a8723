/**
 * The storage the app runs on: SQLite (DATABASE_PATH, the default) or PostgreSQL
 * (DATABASE_URL), migrated to the latest schema, with the repositories over it.
 */
import { sql, type Kysely } from 'kysely';
import type { SlackInstallations } from '../adapters/slack/installations.js';
import type { Config } from '../config.js';
import type { HabitRepo } from '../core/habits/ports.js';
import type { GroupRepo, SessionRepo, SkipListRepo, UserRepo } from '../core/ports.js';
import type { DeliveryRepo, ScheduleRepo, SettingsRepo } from '../core/team/ports.js';
import type { DmChannelStore } from '../core/notifier.js';
import type { Logger } from '../logger.js';
import type { OutboxStatus, OutboxStore } from '../scheduler/ports.js';
import { openPostgres, openSqlite } from './connect.js';
import { createDeliveryRepo } from './delivery-repo.js';
import { createGroupRepo } from './groups-repo.js';
import { createHabitRepo } from './habits-repo.js';
import { createDmChannelRepo } from './dm-channels-repo.js';
import type { Db, DialectName } from './dialect.js';
import { migrate, readMigrations } from './migrate.js';
import { createOutboxRepo } from './outbox-repo.js';
import type { Schema } from './schema.js';
import { createScheduleRepo } from './schedules-repo.js';
import { createSlackInstallationsRepo } from './slack-installations-repo.js';
import { createSessionRepo } from './sessions-repo.js';
import { createSkipListRepo } from './skips-repo.js';
import { createUserRepo } from './users-repo.js';

export interface Storage {
  /** The query builder, for tests and tools that look into tables. */
  db: Kysely<Schema>;
  dialect: DialectName;
  users: UserRepo & SettingsRepo & SkipListRepo;
  sessions: SessionRepo;
  groups: GroupRepo;
  habits: HabitRepo;
  schedules: ScheduleRepo;
  delivery: DeliveryRepo & OutboxStore;
  /** Slack workspaces installed through OAuth (used only when OAuth is configured). */
  slackInstallations: SlackInstallations;
  dmChannels: DmChannelStore;
  /** Resolves when the database answers (health check). */
  ping(): Promise<void>;
  /** Outbox rows per status (metrics). */
  outboxCounts(): Promise<Record<OutboxStatus, number>>;
  close(): Promise<void>;
}

export type StorageConfig = Pick<Config, 'databasePath' | 'databaseUrl'>;

export async function openStorage(config: StorageConfig, logger: Logger, migrationsDir?: string): Promise<Storage> {
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, logger) : openSqlite(config.databasePath);
  try {
    const applied = await migrate(db, readMigrations(migrationsDir));
    if (applied.length) logger.info({ applied, database: db.dialect }, 'database migrated');
  } catch (err) {
    await db.kysely.destroy();
    throw err;
  }
  return storageOver(db);
}

/** The repositories over an open, migrated database. */
export function storageOver(db: Db): Storage {
  const outbox = createOutboxRepo(db);
  const { counts, ...outboxWork } = outbox;
  return {
    db: db.kysely,
    dialect: db.dialect,
    users: { ...createUserRepo(db), ...createSkipListRepo(db) },
    sessions: createSessionRepo(db),
    groups: createGroupRepo(db),
    habits: createHabitRepo(db),
    schedules: createScheduleRepo(db),
    delivery: { ...createDeliveryRepo(db), ...outboxWork },
    slackInstallations: createSlackInstallationsRepo(db),
    dmChannels: createDmChannelRepo(db),
    async ping() {
      await sql`select 1`.execute(db.kysely);
    },
    outboxCounts: counts,
    close: () => db.kysely.destroy(),
  };
}
