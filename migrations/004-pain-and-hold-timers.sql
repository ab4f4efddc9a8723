-- "It hurts" choices (the easier variant per step, a per-person list of exercises to leave out) and hold timers.

-- JSON array of step indexes shown in their easier variant.
ALTER TABLE sessions ADD COLUMN easier_steps TEXT NOT NULL DEFAULT '[]';
-- JSON array of exercise ids left out at start because the person skips them.
ALTER TABLE sessions ADD COLUMN left_out TEXT NOT NULL DEFAULT '[]';

CREATE TABLE exercise_skips (
  platform      TEXT    NOT NULL,
  workspace_id  TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  exercise_id   TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, user_id, exercise_id)
);

-- Hold timers: the running timer of a session's current step, and where its message is so the
-- bot can edit it when the time is up (no click needed).
ALTER TABLE sessions ADD COLUMN timer_side INTEGER;
ALTER TABLE sessions ADD COLUMN timer_ends_at INTEGER;
ALTER TABLE sessions ADD COLUMN timers_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN message_ref TEXT;

-- Start-up re-arms every running timer and the minute sweep finishes overdue ones.
CREATE INDEX sessions_timers ON sessions (timer_ends_at) WHERE timer_ends_at IS NOT NULL;
