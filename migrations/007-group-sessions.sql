-- Live group sessions: one routine a whole channel follows together in one message.

CREATE TABLE group_sessions (
  id             TEXT    PRIMARY KEY,
  platform       TEXT    NOT NULL,
  workspace_id   TEXT    NOT NULL,
  channel_id     TEXT    NOT NULL,
  routine_id     TEXT    NOT NULL,
  -- JSON array of exercise ids: a snapshot, so editing content never breaks a live group.
  exercise_ids   TEXT    NOT NULL,
  step           INTEGER NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('live', 'finished', 'stopped', 'closed')),
  host_id        TEXT    NOT NULL,
  -- JSON array of participants in the order of their current stint (the first present one is next host).
  participants   TEXT    NOT NULL,
  -- The adapter's opaque address of the channel message, so the idle close can edit it without a click.
  message_ref    TEXT,
  -- The channel's workspace for team summaries (Slack team, Discord server).
  team_id        TEXT,
  version        INTEGER NOT NULL,
  started_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  last_press_at  INTEGER NOT NULL,
  finished_at    INTEGER
);

-- At most one live group session per channel, as a database fact.
CREATE UNIQUE INDEX group_sessions_live_channel ON group_sessions (platform, workspace_id, channel_id) WHERE status = 'live';
-- The minute sweep closes live groups nobody pressed anything on for a while.
CREATE INDEX group_sessions_idle ON group_sessions (last_press_at) WHERE status = 'live';
