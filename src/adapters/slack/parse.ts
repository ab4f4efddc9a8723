/**
 * Slack payloads → core input. Pure. Payloads are user-controlled input: anything missing or
 * of the wrong type gives `undefined`, never an exception.
 */
import { parseCommandText } from '../../core/commands/text.js';
import type { Capabilities, IncomingAction, IncomingCommand } from '../../core/incoming.js';

export const SLACK_CAPABILITIES: Capabilities = { messaging: true, admins: 'workspace admins and owners', forms: ['schedule', 'remind', 'settings'] };

export type SlackCommandInput = Omit<IncomingCommand, 'profile'>;
export type SlackActionInput = Omit<IncomingAction, 'profile'>;

/** Where the clicked button lives, which decides how an `update` reply is delivered. */
export interface ClickedMessage {
  channelId: string;
  /** Missing for ephemeral messages in some payloads; they are updated through response_url. */
  ts?: string;
  isEphemeral: boolean;
  /** Where the clicked message can be replaced later (30 minutes, 5 uses). */
  responseUrl?: string;
}

/**
 * Where the clicked message is, for an edit without a click (hold timers): an ephemeral
 * message only through the response_url, any other with chat.update.
 */
export type SlackMessageRef = { url: string } | { channel: string; ts: string };

export function messageRefOf(m: ClickedMessage): string | undefined {
  if (m.isEphemeral || !m.ts) return m.responseUrl ? JSON.stringify({ url: m.responseUrl } satisfies SlackMessageRef) : undefined;
  return channelMessageRef(m.channelId, m.ts);
}

/** A normal message's address, the same whether the bot posted it or someone clicked on it. */
export const channelMessageRef = (channel: string, ts: string): string => JSON.stringify({ channel, ts } satisfies SlackMessageRef);

export interface SlackBlockAction {
  action: SlackActionInput;
  message: ClickedMessage;
  /** Clicked on the app's Home tab: no conversation, no message to update. */
  fromHome: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Slack ids are short; anything else is not an id. */
const id = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : undefined);

/** Slack DM channel ids start with D; slash commands also say `channel_name: directmessage`. */
export function isDmChannel(channelId: string, channelName?: unknown): boolean {
  return channelId.startsWith('D') || channelName === 'directmessage';
}

/** A slash-command body (form fields, as Bolt hands them over). */
export function parseSlashCommand(body: unknown): SlackCommandInput | undefined {
  if (!isObj(body)) return undefined;
  const workspaceId = id(body.team_id);
  const userId = id(body.user_id);
  const channelId = id(body.channel_id);
  if (!workspaceId || !userId || !channelId) return undefined;
  const text = typeof body.text === 'string' ? body.text : '';
  return {
    platform: 'slack',
    workspaceId,
    // A Slack workspace is one team, DMs included.
    teamId: workspaceId,
    userId,
    channelId,
    isDm: isDmChannel(channelId, body.channel_name),
    caps: SLACK_CAPABILITIES,
    command: parseCommandText(text),
  };
}

/** A `block_actions` body: the first action is the click. */
export function parseBlockAction(body: unknown): SlackBlockAction | undefined {
  if (!isObj(body) || body.type !== 'block_actions') return undefined;
  const user = isObj(body.user) ? body.user : {};
  const team = isObj(body.team) ? body.team : {};
  const channel = isObj(body.channel) ? body.channel : {};
  const container = isObj(body.container) ? body.container : {};
  const first = Array.isArray(body.actions) ? body.actions[0] : undefined;

  const userId = id(user.id);
  // Org-wide (Enterprise Grid) installs can send team: null; the user's own team is the workspace.
  const workspaceId = id(team.id) ?? id(user.team_id) ?? id(body.team_id);
  const fromHome = container.type === 'view' && isObj(body.view) && body.view.type === 'home';
  const channelId = fromHome ? '' : (id(channel.id) ?? id(container.channel_id));
  const actionId = isObj(first) && typeof first.action_id === 'string' ? first.action_id : undefined;
  if (!userId || !workspaceId || channelId === undefined || actionId === undefined) return undefined;

  const ts = id(container.message_ts) ?? (isObj(body.message) ? id(body.message.ts) : undefined);
  return {
    action: { platform: 'slack', workspaceId, teamId: workspaceId, userId, channelId, isDm: isDmChannel(channelId, channel.name), caps: SLACK_CAPABILITIES, actionId },
    message: {
      channelId: id(container.channel_id) ?? channelId,
      ts,
      isEphemeral: container.is_ephemeral === true,
      ...(typeof body.response_url === 'string' && /^https?:\/\//.test(body.response_url) ? { responseUrl: body.response_url } : {}),
    },
    fromHome,
  };
}
