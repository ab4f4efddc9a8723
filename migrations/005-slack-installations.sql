-- Slack workspaces that installed the app through OAuth (SLACK_CLIENT_ID and friends): the
-- bot token every call about that workspace uses. Single-workspace mode (SLACK_BOT_TOKEN)
-- never writes here.

CREATE TABLE slack_installations (
  -- The team id, or the enterprise id for an org-wide install; what Bolt's authorize looks up.
  install_key        TEXT    PRIMARY KEY,
  team_id            TEXT,
  team_name          TEXT,
  enterprise_id      TEXT,
  is_enterprise      INTEGER NOT NULL DEFAULT 0 CHECK (is_enterprise IN (0, 1)),
  bot_token          TEXT    NOT NULL,
  bot_id             TEXT,
  bot_user_id        TEXT    NOT NULL,
  scopes             TEXT    NOT NULL,        -- comma-separated bot scopes granted
  installer_user_id  TEXT    NOT NULL,
  installed_at       INTEGER NOT NULL
);
