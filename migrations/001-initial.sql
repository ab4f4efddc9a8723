-- Users, guided sessions and finished-session history.

CREATE TABLE users (
  platform         TEXT    NOT NULL,
  workspace_id     TEXT    NOT NULL,
  user_id          TEXT    NOT NULL,
  timezone         TEXT,
  -- Working hours as minutes after midnight in the user's zone; both NULL = any time.
  work_start_min   INTEGER CHECK (work_start_min BETWEEN 0 AND 1439),
  work_end_min     INTEGER CHECK (work_end_min BETWEEN 1 AND 1440),
  -- Epoch ms until which no DMs are sent ("/stretch pause").
  dm_paused_until  INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id)
);

CREATE TABLE sessions (
  id            TEXT    PRIMARY KEY,
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  surface       TEXT    NOT NULL CHECK (surface IN ('channel', 'dm')),
  routine_id    TEXT    NOT NULL,
  exercise_ids  TEXT    NOT NULL, -- JSON array, snapshot at start
  step          INTEGER NOT NULL CHECK (step >= 0),
  status        TEXT    NOT NULL CHECK (status IN ('active', 'paused', 'hurt', 'completed', 'stopped', 'abandoned')),
  results       TEXT    NOT NULL, -- JSON array of pending|done|skipped|hurt
  started_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  paused_at     INTEGER,
  paused_ms     INTEGER NOT NULL DEFAULT 0,
  version       INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (platform, workspace_id, user_id) REFERENCES users (platform, workspace_id, user_id)
);

CREATE INDEX sessions_by_user_status ON sessions (platform, workspace_id, user_id, status);

CREATE TABLE completed_sessions (
  session_id      TEXT    PRIMARY KEY REFERENCES sessions (id),
  platform        TEXT    NOT NULL,
  workspace_id    TEXT    NOT NULL,
  user_id         TEXT    NOT NULL,
  routine_id      TEXT    NOT NULL,
  outcome         TEXT    NOT NULL CHECK (outcome IN ('completed', 'stopped')),
  done_count      INTEGER NOT NULL,
  skipped_count   INTEGER NOT NULL,
  total_count     INTEGER NOT NULL,
  active_seconds  INTEGER NOT NULL,
  finished_at     INTEGER NOT NULL
);

CREATE INDEX completed_by_user ON completed_sessions (platform, workspace_id, user_id, finished_at);
