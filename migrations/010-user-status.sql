-- Each person's chat status (emoji, words and when it clears itself), as the platform last
-- reported it: pushed on every profile change and read whenever the bot looks the person up.
-- A break prompt DM reads it from here to wait for a meeting to end, so the fan-out spends no
-- request per person on it. All NULL: no status, or none known yet.
ALTER TABLE users ADD COLUMN status_emoji TEXT;
ALTER TABLE users ADD COLUMN status_text TEXT;
ALTER TABLE users ADD COLUMN status_expires_at INTEGER;
