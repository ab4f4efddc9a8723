/**
 * The tables as the repositories see them (Kysely's types). Integers are 64-bit on both
 * databases (SQLite INTEGER, PostgreSQL BIGINT) and numbers in JavaScript; times are epoch
 * milliseconds; flags are 0/1 integers, so one query reads the same everywhere.
 */
import type { Generated } from 'kysely';
import type { Platform } from '../core/incoming.js';
import type { GroupStatus } from '../core/group-session.js';
import type { SessionStatus, Surface } from '../core/session.js';
import type { OutboxReason, OutboxStatus } from '../scheduler/ports.js';

export interface UsersTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  timezone: string | null;
  work_start_min: number | null;
  work_end_min: number | null;
  dm_paused_until: number | null;
  /** 1: team summaries may name this person (migration 006). */
  shoutouts: Generated<number>;
  /** The chat status last reported (migration 010); all null for none or not known. */
  status_emoji: string | null;
  status_text: string | null;
  status_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable extends TimerColumns {
  id: string;
  platform: Platform;
  workspace_id: string;
  user_id: string;
  channel_id: string;
  surface: Surface;
  routine_id: string;
  /** JSON array of exercise ids. */
  exercise_ids: string;
  step: number;
  status: SessionStatus;
  /** JSON array of step results. */
  results: string;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
  paused_at: number | null;
  paused_ms: number;
  version: number;
  /** The platform workspace (Slack team, Discord server) it was started in (migration 006). */
  team_id: string | null;
  /** JSON array of step indexes shown in their easier variant. */
  easier_steps: Generated<string>;
  /** JSON array of exercise ids left out at start (the person skips them). */
  left_out: Generated<string>;
  /** The adapter's opaque address of the session's message (for edits without a click). */
  message_ref: string | null;
}

/** A hold timer's columns, on sessions (migration 004) and group_sessions (migration 009). */
export interface TimerColumns {
  timer_side: number | null;
  /** Epoch ms when the running hold timer ends; NULL when none runs. */
  timer_ends_at: number | null;
  timers_done: Generated<number>;
}

export interface CompletedSessionsTable {
  session_id: string;
  platform: Platform;
  workspace_id: string;
  user_id: string;
  routine_id: string;
  outcome: 'completed' | 'stopped';
  done_count: number;
  skipped_count: number;
  total_count: number;
  active_seconds: number;
  finished_at: number;
  /** The person's local date of the finish, as days since 1970-01-01 (migration 006). */
  local_day: number | null;
  team_id: string | null;
  /** Steps stopped because they hurt (migration 006). */
  hurt_count: Generated<number>;
  group_session: Generated<number>;
}

export interface SchedulesTable {
  id: string;
  platform: Platform;
  workspace_id: string;
  kind: 'channel' | 'personal';
  channel_id: string;
  user_id: string;
  when_text: string;
  /** JSON array of cron lines. */
  crons: string;
  timezone: string;
  routine_id: string;
  paused: number;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
  /** The next slot the sweep must consider (migration 003); NULL when paused, removed or never again. */
  next_fire_at: number | null;
  /** Set on a weekly team-summary schedule: the workspace it summarises (migration 006). */
  summary_team: string | null;
}

export interface FiresTable {
  id: string;
  schedule_id: string | null;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  routine_id: string;
  fire_at: number;
  status: 'queued' | 'missed';
  recorded_at: number;
}

export interface OptinsTable {
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  created_at: number;
}

export interface NotTodayTable {
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  user_id: string;
  until: number;
}

export interface OutboxTable {
  id: Generated<number>;
  fire_id: string;
  platform: Platform;
  workspace_id: string;
  kind: 'channel' | 'dm';
  target_id: string;
  reason: OutboxReason;
  status: Generated<OutboxStatus>;
  not_before: number;
  attempts: Generated<number>;
  maybe_sent: Generated<number>;
  claimed_by: string | null;
  claimed_at: number | null;
  detail: string | null;
  created_at: number;
  updated_at: number;
}

/** Direct-message channel ids per person (migration 005). */
export interface DmChannelsTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  channel_id: string;
  updated_at: number;
}

export interface ExerciseSkipsTable {
  platform: Platform;
  workspace_id: string;
  user_id: string;
  exercise_id: string;
  created_at: number;
}

export interface GroupSessionsTable extends TimerColumns {
  id: string;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  routine_id: string;
  /** JSON array of exercise ids. */
  exercise_ids: string;
  step: number;
  status: GroupStatus;
  host_id: string;
  /** JSON array of participants, in the order of their current stint. */
  participants: string;
  message_ref: string | null;
  team_id: string | null;
  version: number;
  started_at: number;
  updated_at: number;
  last_press_at: number;
  finished_at: number | null;
}

/** Slack workspaces installed through OAuth (migration 005). */
export interface SlackInstallationsTable {
  install_key: string;
  team_id: string | null;
  team_name: string | null;
  enterprise_id: string | null;
  is_enterprise: number;
  bot_token: string;
  bot_id: string | null;
  bot_user_id: string;
  /** Comma-separated bot scopes. */
  scopes: string;
  installer_user_id: string;
  installed_at: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  completed_sessions: CompletedSessionsTable;
  schedules: SchedulesTable;
  fires: FiresTable;
  optins: OptinsTable;
  not_today: NotTodayTable;
  outbox: OutboxTable;
  dm_channels: DmChannelsTable;
  exercise_skips: ExerciseSkipsTable;
  slack_installations: SlackInstallationsTable;
  group_sessions: GroupSessionsTable;
  schema_migrations: SchemaMigrationsTable;
}
