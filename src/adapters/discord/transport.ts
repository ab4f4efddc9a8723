/**
 * The Discord transport: a discord.js Client that turns `/stretch` interactions and button
 * clicks into core calls and the core's Replies into interaction responses and messages.
 *
 * Intents: only `Guilds`. Interactions (slash commands, button clicks, in servers and in DMs)
 * are delivered to every bot whatever its intents, and opening or writing a DM is plain REST,
 * so `DirectMessages` (which only adds DM message/typing/pin events) would be unused traffic.
 * `Guilds` keeps the server and channel caches filled, so `interaction.guild` works.
 * `Partials.Channel` lets discord.js cache the DM channel an interaction arrives in.
 */
import { createHash } from 'node:crypto';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import type { Config } from '../../config.js';
import { ephemeral, notice, type Reply } from '../../core/card.js';
import type { Catalogue } from '../../core/catalogue.js';
import type { Coach } from '../../core/coach.js';
import type { IncomingAction, IncomingCommand, UserProfile } from '../../core/incoming.js';
import { DeliveryError, type DeliveryKey, type Notifier, type PlatformAdapter } from '../../core/notifier.js';
import type { Logger } from '../../logger.js';
import { canManageSchedules, interactionToCommand, isScheduleCommand, routineSuggestions } from './command.js';
import { cardToDiscordMessage, type DiscordMessage } from './render.js';

/**
 * Discord user ids are global, and a session started in a server continues when its buttons
 * are clicked in DMs, so every Discord conversation shares one workspace id.
 */
export const DISCORD_WORKSPACE_ID = 'discord';

/**
 * Work still running this long after an interaction arrived is acknowledged with a deferral
 * first (deferReply / deferUpdate), well inside Discord's 3-second limit; the answer then
 * replaces the placeholder.
 */
export const DEFER_AFTER_MS = 1500;

/** Discord error codes after which trying again cannot help. */
export const PERMANENT_ERROR_CODES: ReadonlySet<number> = new Set([
  10003, // Unknown Channel
  10013, // Unknown User
  50001, // Missing Access
  50007, // Cannot send messages to this user (DMs closed, no shared server, bot blocked)
  50013, // Missing Permissions
]);
const UNKNOWN_CHANNEL = 10003;

/** Discord's message nonce is at most 25 characters: a hash of the delivery key fits any key. */
export const NONCE_MAX = 25;
export function nonceFor(deliveryKey: string): string {
  return createHash('sha256').update(deliveryKey).digest('hex').slice(0, NONCE_MAX);
}

const APOLOGY = notice('Sorry, something went wrong', 'That did not work on my side. Please try again in a moment.', 'danger');

export interface DiscordAdapterOptions {
  config: NonNullable<Config['discord']>;
  coach: Coach;
  logger: Logger;
  /** For routine autocomplete (only offered when there are more than 25 routines). */
  catalogue?: Pick<Catalogue, 'routines'>;
  /** Override DEFER_AFTER_MS (tests). */
  deferAfterMs?: number;
}

export type DiscordAdapter = PlatformAdapter & { client: Client };

type Handled = ChatInputCommandInteraction | ButtonInteraction;

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const { config, coach, logger: log } = opts;
  const deferAfterMs = opts.deferAfterMs ?? DEFER_AFTER_MS;

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Nothing the bot says should ever ping anyone (a routine name typed by a user is echoed back).
    allowedMentions: { parse: [] },
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
  });

  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.ShardError, (err, shardId) => log.warn({ err, shardId }, 'discord gateway connection error'));
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord warning'));
  // discord.js waits out 429s itself; this only makes them visible.
  client.rest.on('rateLimited', (info) =>
    log.warn({ method: info.method, route: info.route, retryAfter: info.retryAfter, global: info.global, scope: info.scope }, 'discord rate limit hit'),
  );
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
    if (packet.t === 'INTERACTION_CREATE' && !isWellFormedInteraction(packet.d)) dropMalformed(packet);
  });

  /**
   * discord.js builds an interaction object from the gateway packet without checks, and a
   * throw there is an unhandled rejection that would end the process. The Raw event carries
   * the same packet object just before discord.js handles it: a malformed one is logged,
   * apologised for if it can be answered at all, and renamed so discord.js has no handler for it.
   */
  function dropMalformed(packet: { t?: string | null; d?: unknown }): void {
    const d = (packet.d ?? {}) as { id?: unknown; token?: unknown; type?: unknown };
    packet.t = 'STRETCH_COACH_DROPPED_INTERACTION';
    log.warn({ interaction: typeof d.id === 'string' ? d.id : undefined, type: d.type }, 'dropped a malformed interaction from the gateway');
    if (typeof d.id === 'string' && typeof d.token === 'string' && (d.type === 2 || d.type === 3 || d.type === 5)) {
      client.rest
        .post(Routes.interactionCallback(d.id, d.token), { body: { type: 4, data: { ...cardToDiscordMessage(APOLOGY), flags: MessageFlags.Ephemeral } }, auth: false })
        .catch((err: unknown) => log.warn({ ...errorFields(err) }, 'could not answer the malformed interaction'));
    }
  }

  // ── DMs: one request per message once the DM channel id is known ──────────────────────────

  const dmChannelIds = new Map<string, string>();
  const opening = new Map<string, Promise<string>>();

  function dmChannelId(userId: string): Promise<string> {
    const known = dmChannelIds.get(userId);
    if (known) return Promise.resolve(known);
    let pending = opening.get(userId);
    if (!pending) {
      // `force`: this map is the cache; discord.js's own would hand back a channel Discord forgot.
      pending = client.users
        .createDM(userId, { force: true })
        .then((channel) => {
          dmChannelIds.set(userId, channel.id);
          return channel.id;
        })
        .finally(() => opening.delete(userId));
      opening.set(userId, pending);
    }
    return pending;
  }

  /**
   * With a delivery key the message carries a nonce derived from it and `enforce_nonce`, so if
   * an earlier attempt did reach Discord (a crash or timeout after sending), Discord returns
   * that message instead of posting a second one.
   */
  async function postMessage(channelId: string, message: DiscordMessage, delivery?: DeliveryKey): Promise<{ id: string; channel_id: string }> {
    const body = { ...message, allowed_mentions: { parse: [] }, ...(delivery ? { nonce: nonceFor(delivery.key), enforce_nonce: true } : {}) };
    return (await client.rest.post(Routes.channelMessages(channelId), { body })) as { id: string; channel_id: string };
  }

  async function sendToUser(userId: string, message: DiscordMessage, delivery?: DeliveryKey): Promise<{ id: string; channel_id: string }> {
    const wasCached = dmChannelIds.has(userId);
    try {
      return await postMessage(await dmChannelId(userId), message, delivery);
    } catch (err) {
      // A cached DM channel that Discord no longer knows: open a fresh one, once.
      if (wasCached && err instanceof DiscordAPIError && err.code === UNKNOWN_CHANNEL) {
        dmChannelIds.delete(userId);
        return postMessage(await dmChannelId(userId), message, delivery);
      }
      throw err;
    }
  }

  function toDeliveryError(err: unknown, what: string): DeliveryError {
    if (err instanceof DeliveryError) return err;
    if (err instanceof DiscordAPIError) {
      const code = typeof err.code === 'number' ? err.code : Number(err.code);
      return new DeliveryError(`Discord refused the ${what} (${code}: ${err.message})`, PERMANENT_ERROR_CODES.has(code));
    }
    return new DeliveryError(`Could not deliver the ${what}: ${err instanceof Error ? err.message : String(err)}`, false);
  }

  const notifier: Notifier = {
    platform: 'discord',
    async postToChannel(_workspaceId, channelId, card, delivery) {
      try {
        await postMessage(channelId, cardToDiscordMessage(card), delivery);
      } catch (err) {
        throw toDeliveryError(err, 'channel message');
      }
    },
    async sendDm(_workspaceId, userId, card, delivery) {
      try {
        await sendToUser(userId, cardToDiscordMessage(card), delivery);
      } catch (err) {
        throw toDeliveryError(err, 'direct message');
      }
    },
  };

  // ── Interactions ─────────────────────────────────────────────────────────────────────────

  async function onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) return await autocomplete(interaction);
      if (interaction.isChatInputCommand() || interaction.isButton()) return await handle(interaction);
      if (interaction.isRepliable()) {
        await interaction.reply({ ...cardToDiscordMessage(notice('Not supported', "I don't know what to do with that.", 'warning')), flags: MessageFlags.Ephemeral });
      }
    } catch (err) {
      // Last resort: handle() answers its own errors, so this is a failure to even apologise.
      log.error({ ...errorFields(err), ...contextOf(interaction) }, 'discord interaction failed');
    }
  }

  async function autocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const routines = opts.catalogue?.routines ?? [];
    await i.respond(focused.name === 'routine' ? routineSuggestions(routines, String(focused.value)) : []);
  }

  async function handle(i: Handled): Promise<void> {
    const responder = new Responder(i, deferAfterMs, (err) => log.warn({ ...errorFields(err), ...contextOf(i) }, 'discord deferral failed'));
    try {
      const replies = i.isChatInputCommand() ? await commandReplies(i) : await coach.handleAction(actionOf(i));
      await deliver(i, responder, replies);
      await responder.finish();
    } catch (err) {
      log.error({ ...errorFields(err), ...contextOf(i) }, 'discord interaction handler failed');
      try {
        await responder.apologise(cardToDiscordMessage(APOLOGY));
      } catch (apologyErr) {
        log.warn({ ...errorFields(apologyErr), ...contextOf(i) }, 'could not send the apology either');
      }
    } finally {
      responder.dispose();
    }
  }

  function contextFields(i: Handled, isAdmin: boolean) {
    const profile = async (): Promise<UserProfile> => ({ timezone: undefined, isAdmin });
    return {
      platform: 'discord' as const,
      workspaceId: DISCORD_WORKSPACE_ID,
      userId: i.user.id,
      channelId: i.channelId ?? (i.inGuild() ? i.guildId : `dm:${i.user.id}`),
      isDm: !i.inGuild(),
      profile,
    };
  }

  const isAdminOf = (i: Handled) => i.inGuild() && canManageSchedules(i.memberPermissions?.bitfield);

  async function commandReplies(i: ChatInputCommandInteraction): Promise<Reply[]> {
    const command = interactionToCommand(i.commandName, i.options.data);
    const isAdmin = isAdminOf(i);
    if (isScheduleCommand(command) && !isAdmin) {
      return [
        ephemeral(
          notice(
            'Manage Server needed',
            i.inGuild()
              ? 'Only members with the Manage Server permission can manage stretch break prompts. Ask a server admin.'
              : 'Stretch break prompts belong to a server channel. Run this in the server, with the Manage Server permission.',
            'warning',
          ),
        ),
      ];
    }
    const cmd: IncomingCommand = { ...contextFields(i, isAdmin), command };
    return coach.handleCommand(cmd);
  }

  function actionOf(i: ButtonInteraction): IncomingAction {
    return { ...contextFields(i, isAdminOf(i)), actionId: i.customId };
  }

  async function deliver(i: Handled, responder: Responder, replies: Reply[]): Promise<void> {
    for (let k = 0; k < replies.length; k++) {
      const reply = replies[k]!;
      if (reply.target !== 'dm') {
        await responder.send(reply.target, cardToDiscordMessage(reply.card));
        continue;
      }
      try {
        await sendToUser(i.user.id, cardToDiscordMessage(reply.card));
      } catch (err) {
        const failure = toDeliveryError(err, 'direct message');
        log.warn({ err: failure, permanent: failure.permanent, ...contextOf(i) }, 'could not DM the user');
        // Tell the user where the confirmation would have gone, and stop there.
        const next = replies[k + 1];
        const card = failure.permanent
          ? notice("I can't DM you", 'Discord would not let me message you. Allow direct messages from server members (Privacy Settings), then try again, or use /stretch start here.', 'warning')
          : notice("I couldn't DM you", 'Discord did not take the message just now. Please try again in a moment.', 'warning');
        await responder.send(next && next.target !== 'dm' ? next.target : 'ephemeral', cardToDiscordMessage(card));
        return;
      }
    }
  }

  function contextOf(i: Interaction): Record<string, unknown> {
    const ctx: Record<string, unknown> = { interaction: i.id, user: i.user?.id, guild: i.guildId ?? undefined, channel: i.channelId ?? undefined };
    if (i.isChatInputCommand() || i.isAutocomplete()) ctx.command = clip(i.isChatInputCommand() ? i.toString() : `/${i.commandName}`, 200);
    if (i.isMessageComponent()) ctx.customId = clip(i.customId, 120);
    return ctx;
  }

  return {
    name: 'discord',
    notifier,
    client,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      log.info({ user: client.user?.id, guilds: client.guilds.cache.size }, 'discord connected');
    },
    async stop() {
      await client.destroy();
      dmChannelIds.clear();
    },
  };
}

/**
 * Answers one interaction, in order, whatever state it is in: the first answer is the
 * interaction response, later ones edit or follow up. A timer defers the response if the
 * work takes longer than `deferAfterMs`, so Discord always gets its acknowledgement in time.
 */
class Responder {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** A deferred reply ("… is thinking") that the next answer should replace. */
  private placeholder = false;
  private placeholderEphemeral = false;
  /** True once `@original` is the message whose button was clicked (update / deferUpdate). */
  private originalIsClicked = false;
  private readonly inDm: boolean;

  constructor(
    private readonly i: Handled,
    deferAfterMs: number,
    onDeferError: (err: unknown) => void,
  ) {
    this.inDm = !i.inGuild();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.enqueue(() => this.deferIfIdle()).catch(onDeferError);
    }, deferAfterMs);
  }

  private get acknowledged(): boolean {
    return this.i.deferred || this.i.replied;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async deferIfIdle(): Promise<void> {
    if (this.acknowledged) return;
    if (this.i.isButton()) {
      await this.i.deferUpdate();
      this.originalIsClicked = true;
      return;
    }
    // In a server most answers are for the invoker only; in a DM everything is private anyway.
    this.placeholderEphemeral = !this.inDm;
    await this.i.deferReply(this.placeholderEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.placeholder = true;
  }

  send(target: Exclude<Reply['target'], 'dm'>, message: DiscordMessage): Promise<void> {
    return this.enqueue(async () => {
      if (target === 'update' && this.i.isButton()) return this.updateClicked(message);
      await this.answer(message, target !== 'channel');
    });
  }

  /** Replaces the message whose button was clicked. */
  private async updateClicked(message: DiscordMessage): Promise<void> {
    const i = this.i as ButtonInteraction;
    if (!this.acknowledged) {
      await i.update(message);
      this.originalIsClicked = true;
    } else if (this.originalIsClicked) {
      await i.editReply(message);
    } else {
      // @original is now our own reply, not the clicked message: say it as a new private message.
      await i.followUp({ ...message, flags: MessageFlags.Ephemeral });
    }
  }

  /** A new message: private to the invoker (`ephemeral`) or for the whole channel. */
  private async answer(message: DiscordMessage, isEphemeral: boolean): Promise<void> {
    const flags = isEphemeral ? MessageFlags.Ephemeral : undefined;
    if (!this.acknowledged) {
      await this.i.reply({ ...message, ...(flags ? { flags } : {}) });
      return;
    }
    if (this.placeholder) {
      this.placeholder = false;
      if (this.placeholderEphemeral === isEphemeral || this.inDm) {
        await this.i.editReply(message);
        return;
      }
      // The placeholder's visibility cannot change: post the answer as it should be, drop the placeholder.
      await this.i.followUp({ ...message, ...(flags ? { flags } : {}) });
      await this.i.deleteReply().catch(() => undefined);
      return;
    }
    await this.i.followUp({ ...message, ...(flags ? { flags } : {}) });
  }

  /** Called when every reply went out: an interaction must never be left unacknowledged. */
  finish(): Promise<void> {
    this.dispose();
    return this.enqueue(async () => {
      if (!this.acknowledged) {
        if (this.i.isButton()) await this.i.deferUpdate();
        else await this.i.reply({ ...cardToDiscordMessage(notice('Done', 'Nothing more to show.')), flags: MessageFlags.Ephemeral });
      } else if (this.placeholder) {
        this.placeholder = false;
        await this.i.editReply(cardToDiscordMessage(notice('Done', 'Nothing more to show.')));
      }
    });
  }

  /** The ephemeral apology, as a reply, a placeholder edit or a follow-up: whichever is still possible. */
  apologise(message: DiscordMessage): Promise<void> {
    this.dispose();
    return this.enqueue(async () => {
      if (!this.acknowledged) {
        await this.i.reply({ ...message, flags: MessageFlags.Ephemeral });
      } else if (this.placeholder) {
        this.placeholder = false;
        await this.i.editReply(message);
      } else {
        await this.i.followUp({ ...message, flags: MessageFlags.Ephemeral });
      }
    });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const SNOWFLAKE = /^\d{1,20}$/;
const BITFIELD = /^\d+$/;

/**
 * True when discord.js 14 can build an interaction from this INTERACTION_CREATE payload:
 * the fields its constructors read unconditionally are there and of the right kind.
 * Interaction types discord.js does not know are let through (it ignores them itself).
 */
export function isWellFormedInteraction(d: unknown): boolean {
  if (!isObject(d)) return false;
  if (typeof d.id !== 'string' || !SNOWFLAKE.test(d.id) || typeof d.token !== 'string' || typeof d.type !== 'number') return false;
  const member = d.member;
  if (member !== undefined && member !== null) {
    if (!isObject(member)) return false;
    if (member.permissions !== undefined && (typeof member.permissions !== 'string' || !BITFIELD.test(member.permissions))) return false;
  }
  const user = d.user ?? (isObject(member) ? member.user : undefined);
  if (!isObject(user) || typeof user.id !== 'string' || !SNOWFLAKE.test(user.id)) return false;
  if (!Array.isArray(d.entitlements) || !isObject(d.authorizing_integration_owners)) return false;
  if (d.app_permissions !== undefined && (typeof d.app_permissions !== 'string' || !BITFIELD.test(d.app_permissions))) return false;
  if (d.channel !== undefined && d.channel !== null && (!isObject(d.channel) || typeof d.channel.id !== 'string')) return false;
  const data = d.data;
  switch (d.type) {
    case 2: // application command
    case 4: // autocomplete
      return isObject(data) && typeof data.name === 'string' && typeof data.type === 'number' && (data.options === undefined || Array.isArray(data.options));
    case 3: // message component
      return (
        isObject(data) &&
        typeof data.custom_id === 'string' &&
        typeof data.component_type === 'number' &&
        isObject(d.message) &&
        typeof d.message.id === 'string' &&
        SNOWFLAKE.test(d.message.id)
      );
    case 5: // modal submit
      return isObject(data) && typeof data.custom_id === 'string';
    default:
      return true;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Loggable error details. A DiscordAPIError's `url` holds the interaction token for
 * interaction routes, so only its code, status, method and message are kept.
 */
function errorFields(err: unknown): { err: unknown; code?: number | string; status?: number; method?: string } {
  if (err instanceof DiscordAPIError) {
    const safe = Object.assign(new Error(err.message), { name: 'DiscordAPIError', stack: err.stack });
    return { err: safe, code: err.code, status: err.status, method: err.method };
  }
  return { err };
}
