-- Channel break schedules, personal reminders, opt-ins, "not today", fires and the DM outbox.

CREATE TABLE schedules (
  id            TEXT    PRIMARY KEY,          -- short id people type: "schedule remove k3f9"
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('channel', 'personal')),
  channel_id    TEXT    NOT NULL,             -- where channel prompts are posted (origin channel for reminders)
  user_id       TEXT    NOT NULL,             -- who added it; the recipient of a personal reminder
  when_text     TEXT    NOT NULL,             -- as typed, for display
  crons         TEXT    NOT NULL,             -- JSON array of 5-field cron expressions
  timezone      TEXT    NOT NULL,
  routine_id    TEXT    NOT NULL,
  paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  removed_at    INTEGER                       -- soft delete: fires keep their history
);

CREATE INDEX schedules_active ON schedules (removed_at, paused);
CREATE INDEX schedules_by_channel ON schedules (platform, workspace_id, channel_id);

-- One row per prompt actually due. UNIQUE makes "at most once" a database fact, across
-- restarts and across two processes sharing the file.
CREATE TABLE fires (
  id            TEXT    PRIMARY KEY,
  schedule_id   TEXT    REFERENCES schedules (id),   -- NULL for an ad-hoc "/stretch group" prompt
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  routine_id    TEXT    NOT NULL,
  fire_at       INTEGER NOT NULL,                    -- the slot (epoch ms), not when it ran
  status        TEXT    NOT NULL CHECK (status IN ('queued', 'missed')),
  recorded_at   INTEGER NOT NULL,
  UNIQUE (schedule_id, fire_at)
);

CREATE TABLE optins (
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id, user_id)
);

CREATE TABLE not_today (
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  channel_id    TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  until         INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id, user_id)
);

-- Every message a fire sends: the channel post and one row per DM recipient.
-- pending -> sending (claimed) -> sent | failed | skipped.
CREATE TABLE outbox (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  fire_id       TEXT    NOT NULL REFERENCES fires (id),
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('channel', 'dm')),
  target_id     TEXT    NOT NULL,             -- channel id or user id
  reason        TEXT    NOT NULL CHECK (reason IN ('prompt', 'optin', 'reminder', 'snooze')),
  status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  not_before    INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  -- Set when a claimant died mid-send: the next attempt must check it was not already sent.
  maybe_sent    INTEGER NOT NULL DEFAULT 0 CHECK (maybe_sent IN (0, 1)),
  claimed_by    TEXT,
  claimed_at    INTEGER,
  detail        TEXT,                         -- why it failed or was skipped
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE INDEX outbox_due ON outbox (status, not_before);
-- A fire sends each recipient at most one prompt/opt-in DM; snoozes are extra rows by design.
CREATE UNIQUE INDEX outbox_once ON outbox (fire_id, kind, target_id) WHERE reason IN ('prompt', 'optin', 'reminder');
-- One snooze waiting per person and prompt: a double click does not queue two DMs.
CREATE UNIQUE INDEX outbox_one_snooze ON outbox (fire_id, target_id) WHERE reason = 'snooze' AND status IN ('pending', 'sending');
