-- The minute sweep selects due schedules by their next slot instead of evaluating every
-- schedule's crons, so its cost follows the schedules that are due.

-- Epoch ms of the next slot to consider; NULL when paused, removed or never firing again.
-- Rows from before this migration start NULL: the sweep computes them from their crons.
ALTER TABLE schedules ADD COLUMN next_fire_at INTEGER;

-- Partial: only live, running schedules can be due, and the due query names the same conditions.
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE removed_at IS NULL AND paused = 0;

-- Served only the old "every active schedule" scan, which the index above replaces.
DROP INDEX schedules_active;
