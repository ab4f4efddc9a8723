/**
 * The Slack workspaces that installed the app through OAuth, as the Slack adapter needs them:
 * the bot token for each workspace, and removing a workspace that uninstalled the app. A
 * Slack-only port (the core never sees tokens); the storage implements it once for both databases.
 */
export interface SlackInstallationRecord {
  /** The team id, or the enterprise id for an org-wide install. */
  key: string;
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterprise: boolean;
  botToken: string;
  botId?: string;
  botUserId: string;
  scopes: string[];
  installerUserId: string;
  installedAt: number;
}

/** What removing an installation did to the rest of that workspace's data. */
export interface Uninstalled {
  removed: boolean;
  schedulesPaused: number;
  outboxSkipped: number;
}

export interface SlackInstallations {
  /** Inserts or replaces (a reinstall brings a new token and scopes). */
  save(record: SlackInstallationRecord): Promise<void>;
  find(key: string): Promise<SlackInstallationRecord | undefined>;
  /**
   * In one transaction: forgets the installation, pauses the workspace's schedules and marks
   * its pending outbox rows skipped with `reason`. Other workspaces are untouched.
   */
  remove(key: string, reason: string, now: number): Promise<Uninstalled>;
}
