/**
 * Discord payloads → the core's incoming shape. Pure: typed options of an invoked command
 * become a ParsedCommand through the core's command table.
 */
import { ApplicationCommandOptionType, MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { CommandSpec } from '../../core/commands/spec.js';
import { findCommand, findGroup, GROUPS } from '../../core/commands/table.js';
import type { Capabilities, IncomingAction, IncomingCommand, IncomingForm, ParsedCommand } from '../../core/incoming.js';
import { formNameOf, modalValues, type SubmittedComponent } from './modal.js';
import { COMMAND_NAME, DISCORD_ADMINS, isDiscordAdmin, twinName } from './command.js';

/** The shape of an invoked option: the API's JSON and discord.js's `interaction.options.data` both fit. */
export interface InvokedOption {
  name: string;
  type: number;
  value?: unknown;
  options?: readonly InvokedOption[];
}

function optionValues(spec: CommandSpec, given: readonly InvokedOption[] = []): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const o of spec.options) {
    const raw = given.find((g) => g.name === o.name)?.value;
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    out[o.name] = text || undefined;
  }
  return out;
}

function subcommandOf(group: string | undefined, sub: InvokedOption | undefined): ParsedCommand {
  const g = group ? findGroup(group) : undefined;
  if (group && !g) return { name: 'help', options: {}, unknown: group };
  if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) {
    // Discord cannot send a command with subcommands bare, but a test or a future definition could.
    return g ? { name: `${g.name} ${g.bare}`, options: {} } : { name: '', options: {} };
  }
  const path = g ? `${g.name} ${sub.name}` : sub.name;
  const spec = findCommand(path);
  if (!spec) return { name: 'help', options: {}, unknown: path };
  return { name: spec.path, options: optionValues(spec, sub.options) };
}

/** Options of an invoked `/stretch` or `/stretch-<group>` → the core's ParsedCommand. */
export function interactionToCommand(commandName: string, options: readonly InvokedOption[] = []): ParsedCommand {
  const first = options[0];
  const twin = GROUPS.find((g) => twinName(g) === commandName);
  if (twin) return subcommandOf(twin.name, first);
  if (commandName !== COMMAND_NAME) return { name: 'help', options: {}, unknown: `/${commandName}` };
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) return subcommandOf(first.name, first.options?.[0]);
  return subcommandOf(undefined, first);
}

/**
 * Discord user ids are global, and a session started in a server continues when its buttons
 * are clicked in DMs, so every Discord conversation shares one workspace id.
 */
export const DISCORD_WORKSPACE_ID = 'discord';

export const DISCORD_CAPABILITIES: Capabilities = { messaging: true, admins: DISCORD_ADMINS, forms: ['schedule', 'remind'] };

type Handled = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** Who and where, for a command or a click. Discord has no profile time zone, so none is given. */
function contextOf(i: Handled) {
  const isAdmin = i.inGuild() && isDiscordAdmin(i.memberPermissions?.bitfield);
  return {
    platform: 'discord',
    workspaceId: DISCORD_WORKSPACE_ID,
    // The server is the team for team views; a DM belongs to none.
    teamId: i.guildId ?? undefined,
    userId: i.user.id,
    channelId: i.channelId ?? (i.inGuild() ? i.guildId : `dm:${i.user.id}`),
    isDm: !i.inGuild(),
    caps: DISCORD_CAPABILITIES,
    profile: async () => ({ timezone: undefined, isAdmin }),
  };
}

export const commandOf = (i: ChatInputCommandInteraction): IncomingCommand => ({ ...contextOf(i), command: interactionToCommand(i.commandName, i.options.data) });

/**
 * Where the clicked message is, for a later edit without a click (hold timers): an ephemeral
 * message only through the interaction's webhook (its token lives 15 minutes), any other
 * through the channel message route with the bot token.
 */
export type DiscordMessageRef = { app: string; token: string } | { channel: string; message: string };

export function messageRefOf(i: ButtonInteraction): string {
  if (i.message.flags.has(MessageFlags.Ephemeral)) return JSON.stringify({ app: i.applicationId, token: i.token } satisfies DiscordMessageRef);
  return channelMessageRef(i.message.channelId, i.message.id);
}

/** A normal message's address, the same whether the bot posted it or someone clicked on it. */
export const channelMessageRef = (channel: string, message: string): string => JSON.stringify({ channel, message } satisfies DiscordMessageRef);

export const actionOf = (i: ButtonInteraction): IncomingAction => ({ ...contextOf(i), actionId: i.customId, messageRef: messageRefOf(i) });

/** A submitted modal of ours, or undefined for a custom id this bot never drew. */
export function formOf(i: ModalSubmitInteraction): IncomingForm | undefined {
  const form = formNameOf(i.customId);
  if (!form) return undefined;
  return { ...contextOf(i), form, values: modalValues(i.components as unknown as SubmittedComponent[]) };
}
