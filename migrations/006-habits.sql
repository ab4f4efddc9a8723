-- Habits: streaks, charts and the weekly team summary, all read from finished-session history.

-- The person's local calendar date of each finish, as days since 1970-01-01, written by the
-- code with the person's time zone. Rows from before this migration get the date in UTC:
-- the zone a Slack profile gave at the time was never stored.
ALTER TABLE completed_sessions ADD COLUMN local_day INTEGER;
UPDATE completed_sessions SET local_day = finished_at / 86400000;

-- The platform workspace the session was started in (Slack team, Discord server), for the team
-- view. Older rows take their workspace id: right for Slack; on Discord every row shared one
-- id, which no server matches, so older Discord sessions stay out of team views.
ALTER TABLE completed_sessions ADD COLUMN team_id TEXT;
UPDATE completed_sessions SET team_id = workspace_id;
ALTER TABLE sessions ADD COLUMN team_id TEXT;

-- Steps stopped because they hurt. A routine counts as finished for streaks when every step
-- was done, skipped or stopped for pain; older rows counted painful steps as skipped.
ALTER TABLE completed_sessions ADD COLUMN hurt_count INTEGER NOT NULL DEFAULT 0;

-- 1 for a finished live group session (one history row per participant, each marked).
ALTER TABLE completed_sessions ADD COLUMN group_session INTEGER NOT NULL DEFAULT 0 CHECK (group_session IN (0, 1));

-- /stretch stats reads one person's days. /stretch team reads a workspace's last four weeks:
-- the index carries every column that needs, so a workspace of 10,000 people is read from the
-- index alone instead of from rows scattered over the table (ten times faster in the bench).
CREATE INDEX completed_by_user_day ON completed_sessions (platform, workspace_id, user_id, local_day);
CREATE INDEX completed_by_team ON completed_sessions
  (platform, team_id, local_day, user_id, done_count, skipped_count, hurt_count, total_count, active_seconds, group_session);

-- Shout-outs: 1 lets team summaries name the person; off by default.
ALTER TABLE users ADD COLUMN shoutouts INTEGER NOT NULL DEFAULT 0 CHECK (shoutouts IN (0, 1));

-- Set on a weekly team-summary schedule: the workspace it summarises. Such a schedule is a
-- channel schedule otherwise (listed, paused, removed and fired the same way).
ALTER TABLE schedules ADD COLUMN summary_team TEXT;
