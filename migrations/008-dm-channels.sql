-- Each person's direct-message channel id, so a DM costs one request (the post) instead of
-- two (open, then post), across restarts and replicas. Filled the first time an id is known
-- (an opt-in opens it); a stored id the platform no longer knows is replaced.

CREATE TABLE dm_channels (
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id)
);
