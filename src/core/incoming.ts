import type { FormName, FormValues } from './forms/form.js';

/** What adapters hand to the core: platform-neutral descriptions of a command or a click. */

/** The adapter's name for its platform; stored with every row so workspaces never mix. */
export type Platform = string;

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

/** What the platform behind this conversation can do, as the adapter declares it. */
export interface Capabilities {
  /** It can post to channels and DM people: schedules, opt-ins, reminders and group prompts need that. */
  messaging: boolean;
  /** Who counts as an admin here, in words a refusal can use: "workspace admins and owners". */
  admins: string;
  /** The forms it can show: those commands open one when given no arguments. */
  forms?: readonly FormName[];
}

/** For callers that declare nothing (tests, scripts): a chat platform with its own admins. */
export const DEFAULT_CAPABILITIES: Capabilities = { messaging: true, admins: 'admins' };

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
  caps?: Capabilities;
  profile?: () => Promise<UserProfile>;
}

export interface IncomingCommand extends Context {
  command: ParsedCommand;
}

export interface IncomingAction extends Context {
  actionId: string;
  /**
   * The adapter's opaque address of the clicked message (never shown or parsed by the core),
   * stored with a session so a hold timer can edit that message when its time is up.
   */
  messageRef?: string;
}

/** A submitted form: its answers by field id, from the conversation it was opened in. */
export interface IncomingForm extends Context {
  form: FormName;
  values: FormValues;
}
