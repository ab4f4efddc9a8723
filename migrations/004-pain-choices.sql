-- "It hurts" choices: the easier variant per step, and a per-person list of exercises to leave out.

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
