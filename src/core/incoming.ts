/** What adapters hand to the core: platform-neutral descriptions of a command or a click. */

export type Platform = 'slack' | 'discord' | 'terminal';

export interface UserKey {
  platform: Platform;
  workspaceId: string;
  userId: string;
}

/** Facts only the platform knows, fetched lazily because they may cost an API call. */
export interface UserProfile {
  timezone?: string;
  isAdmin: boolean;
}

export interface ParsedCommand {
  /** Subcommand path: '' (bare), 'start', 'schedule add', … */
  name: string;
  options: Record<string, string | undefined>;
  /** The unrecognised word, when the text named no known subcommand. */
  unknown?: string;
}

interface Context extends UserKey {
  channelId: string;
  /** True when the conversation is a direct message with the bot. */
  isDm: boolean;
  profile?: () => Promise<UserProfile>;
}

export interface IncomingCommand extends Context {
  command: ParsedCommand;
}

export interface IncomingAction extends Context {
  actionId: string;
}
