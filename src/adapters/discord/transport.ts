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
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Config } from '../../config.js';
import { ephemeral, notice, type PostedTag, type Reply } from '../../core/card.js';
import { problemsCard } from '../../core/forms/submit.js';
import type { Catalogue } from '../../core/catalogue.js';
import type { Coach } from '../../core/coach.js';
import type { DmChannelStore, PlatformAdapter } from '../../core/notifier.js';
import type { Logger } from '../../logger.js';
import type { HttpServer } from '../../http/server.js';
import { dmFailedCard } from '../shared/dm-failure.js';
import type { PictureSource } from '../shared/pictures.js';
import { NO_OBSERVER, type InteractionObserver } from '../shared/observe.js';
import { clip } from '../shared/text.js';
import { routineSuggestions } from './command.js';
import { createDiscordDelivery, discordMessageFor } from './deliver.js';
import { createInteractionsEndpoint, INTERACTIONS_PATH } from './interactions-endpoint.js';
import { formToModal } from './modal.js';
import { actionOf, channelMessageRef, commandOf, DISCORD_WORKSPACE_ID, formOf } from './parse.js';
import { discordPublicKey } from './signature.js';
import { isWellFormedInteraction } from './payload-guard.js';
import { cardToDiscordMessage, type DiscordMessage } from './render.js';
import { Responder, type Handled, type Posted } from './responder.js';

/**
 * Work still running this long after an interaction arrived is acknowledged with a deferral
 * first (deferReply / deferUpdate), well inside Discord's 3-second limit; the answer then
 * replaces the placeholder.
 */
export const DEFER_AFTER_MS = 1500;

/** discord.js's default REST base. */
const DISCORD_API = 'https://discord.com/api';

const APOLOGY = notice('Sorry, something went wrong', 'That did not work on my side. Please try again in a moment.', 'danger');

export interface DiscordAdapterOptions {
  config: NonNullable<Config['discord']>;
  coach: Coach;
  logger: Logger;
  /** For routine autocomplete (only offered when there are more than 25 routines). */
  catalogue?: Pick<Catalogue, 'routines'>;
  /** Override DEFER_AFTER_MS (tests). */
  deferAfterMs?: number;
  /** Counts and times what this adapter handles. */
  observe?: InteractionObserver;
  /** Where DM channel ids are kept (the app's database); in memory when not given. */
  dmChannels?: DmChannelStore;
  /** The bot's one HTTP server (PORT): HTTP mode receives interactions there. */
  http?: HttpServer;
  /** Exercise pictures, uploaded with the cards that show one. */
  pictures?: PictureSource;
}

export type DiscordAdapter = PlatformAdapter & { client: Client };

export function createDiscordAdapter(opts: DiscordAdapterOptions): DiscordAdapter {
  const { config, coach, logger: log } = opts;
  const deferAfterMs = opts.deferAfterMs ?? DEFER_AFTER_MS;
  const observe = opts.observe ?? NO_OBSERVER;

  const api = config.apiUrl ?? DISCORD_API;
  const endpoint =
    config.mode === 'http'
      ? createInteractionsEndpoint({ publicKey: discordPublicKey(config.publicKey ?? ''), apiUrl: api, applicationId: config.applicationId, logger: log })
      : undefined;
  if (endpoint && !opts.http) throw new Error('DISCORD_MODE=http needs PORT: Discord POSTs interactions to the HTTP server');

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Nothing the bot says should ever ping anyone (a routine name typed by a user is echoed back).
    allowedMentions: { parse: [] },
    // Gateway: as many shards as Discord recommends, so a bot in thousands of servers still connects.
    ...(endpoint ? {} : { shards: 'auto' as const }),
    rest: { api, ...(endpoint ? { makeRequest: endpoint.makeRequest as never } : {}) },
  });
  if (endpoint) {
    // No login in HTTP mode: REST calls (DMs, prompts, edits) still carry the bot token.
    client.token = config.token;
    client.rest.setToken(config.token);
    opts.http!.route('POST', INTERACTIONS_PATH, endpoint.handler(client));
  }

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

  const { notifier, sendToUser, toDeliveryError } = createDiscordDelivery(client, { dmChannels: opts.dmChannels, rateLimit: config.rateLimit, pictures: opts.pictures });
  const toMessage = (card: Reply['card']) => discordMessageFor(card, opts.pictures);

  // ── Interactions ─────────────────────────────────────────────────────────────────────────

  async function onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) return await autocomplete(interaction);
      if (interaction.isChatInputCommand() || interaction.isButton() || interaction.isModalSubmit()) return await handle(interaction);
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
    const arrived = performance.now();
    const kind = i.isChatInputCommand() ? 'command' : 'action';
    const responder = new Responder(
      i,
      deferAfterMs,
      (err) => log.warn({ ...errorFields(err), ...contextOf(i) }, 'discord deferral failed'),
      () => observe.acknowledged('discord', (performance.now() - arrived) / 1000),
    );
    try {
      const replies = i.isChatInputCommand() ? await coach.handleCommand(commandOf(i)) : i.isModalSubmit() ? await submitted(i) : await coach.handleAction(actionOf(i as ButtonInteraction));
      await deliver(i, responder, replies);
      await responder.finish();
      observe.handled('discord', kind, 'ok');
    } catch (err) {
      observe.handled('discord', kind, 'failed');
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

  /** A submitted form: its command's replies, or what to fix, privately (nothing was stored). */
  async function submitted(i: ModalSubmitInteraction): Promise<Reply[]> {
    const form = formOf(i);
    if (!form) return [ephemeral(notice('Unknown form', "I don't recognise that form, so nothing changed.", 'warning'))];
    const outcome = await coach.handleForm(form);
    return outcome.ok ? outcome.replies : [ephemeral(problemsCard(outcome.errors))];
  }

  async function deliver(i: Handled, responder: Responder, replies: Reply[]): Promise<void> {
    for (let k = 0; k < replies.length; k++) {
      const reply = replies[k]!;
      if (reply.target === 'form') {
        await (reply.form ? responder.showModal(formToModal(reply.form) as never, cardToDiscordMessage(reply.card)) : responder.send('ephemeral', cardToDiscordMessage(reply.card)));
        continue;
      }
      if (reply.target !== 'dm') {
        const posted = await responder.send(reply.target, toMessage(reply.card));
        if (reply.remember && posted) await remember(i, responder, reply.remember, posted);
        continue;
      }
      try {
        await sendToUser(i.user.id, toMessage(reply.card));
      } catch (err) {
        const failure = toDeliveryError(err, 'direct message');
        log.warn({ err: failure, permanent: failure.permanent, ...contextOf(i) }, 'could not DM the user');
        // Tell the user where the confirmation would have gone, and stop there.
        const next = replies[k + 1];
        const card = dmFailedCard(failure, 'Allow direct messages from server members (Privacy Settings), then try again.');
        await responder.send(next && next.target !== 'dm' && next.target !== 'form' ? next.target : 'ephemeral', cardToDiscordMessage(card));
        return;
      }
    }
  }

  /** Where a tagged reply was posted goes to the coach; a failure there only costs edits before the first click. */
  async function remember(i: Handled, responder: Responder, tag: PostedTag, posted: Exclude<Posted, undefined>): Promise<void> {
    try {
      const message = posted === 'original' ? await responder.original() : posted;
      await coach.messagePosted('discord', DISCORD_WORKSPACE_ID, tag, channelMessageRef(message.channelId, message.id));
    } catch (err) {
      log.warn({ ...errorFields(err), ...contextOf(i), [tag.kind]: tag.id }, 'could not remember where a message was posted');
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
      if (endpoint) {
        log.info({ path: INTERACTIONS_PATH }, 'discord interactions over HTTP');
        return;
      }
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await ready;
      log.info({ user: client.user?.id, guilds: client.guilds.cache.size }, 'discord connected');
    },
    async stop() {
      await client.destroy();
    },
  };
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
