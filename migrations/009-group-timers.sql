-- Hold timers in live group sessions: the host's running timer of the current step and the
-- holds done on it, as solo sessions have them (migration 004), so a replica that claims a
-- due timer edits the group's message once, also after a restart.

ALTER TABLE group_sessions ADD COLUMN timer_side INTEGER;
ALTER TABLE group_sessions ADD COLUMN timer_ends_at INTEGER;
ALTER TABLE group_sessions ADD COLUMN timers_done INTEGER NOT NULL DEFAULT 0;

-- Start-up re-arms every running timer and the minute sweep finishes overdue ones.
CREATE INDEX group_sessions_timers ON group_sessions (timer_ends_at) WHERE timer_ends_at IS NOT NULL;
