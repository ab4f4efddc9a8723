/**
 * Discord delivery: channel posts and DMs for the scheduler's outbox, and DMs for sessions.
 * DM channel ids are stored so a DM costs one request; every request here is paced at the
 * global limit, and a 429 that still happens is waited out by discord.js.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type Client } from 'discord.js';
import { DeliveryError, type DeliveryKey, type Notifier } from '../../core/notifier.js';
import type { DmChannelStore } from '../../core/notifier.js';
import { DmChannels, memoryDmChannelStore } from '../shared/dm-channels.js';
import { Pacer } from '../shared/pacer.js';
import { cardToDiscordMessage, type DiscordMessage } from './render.js';

/** Discord user ids are global, so one DM channel serves a person in every server. */
const DM_SCOPE = 'discord';

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

/** Discord's global limit for a bot, requests per second (interaction callbacks are exempt). */
export const DISCORD_GLOBAL_LIMIT = 50;

export interface DiscordDeliveryOptions {
  dmChannels?: DmChannelStore;
  /** Requests per second; DISCORD_GLOBAL_LIMIT unless configured. */
  rateLimit?: number;
}

export function createDiscordDelivery(client: Client, opts: DiscordDeliveryOptions = {}) {
  const pacer = new Pacer(opts.rateLimit ?? DISCORD_GLOBAL_LIMIT);
  // A global 429 holds every later request; a per-route one only concerns its own channel.
  client.rest.on('rateLimited', (info) => {
    if (info.global) pacer.holdFor(info.retryAfter);
  });
  // `force`: the store is the cache; discord.js's own would hand back a channel Discord forgot.
  const dmChannels = new DmChannels('discord', opts.dmChannels ?? memoryDmChannelStore(), async (_workspaceId, userId) => {
    await pacer.take();
    return (await client.users.createDM(userId, { force: true })).id;
  });

  /**
   * With a delivery key the message carries a nonce derived from it and `enforce_nonce`, so if
   * an earlier attempt did reach Discord (a crash or timeout after sending), Discord returns
   * that message instead of posting a second one.
   */
  async function postMessage(channelId: string, message: DiscordMessage, delivery?: DeliveryKey): Promise<{ id: string; channel_id: string }> {
    const body = { ...message, allowed_mentions: { parse: [] }, ...(delivery ? { nonce: nonceFor(delivery.key), enforce_nonce: true } : {}) };
    await pacer.take();
    return (await client.rest.post(Routes.channelMessages(channelId), { body })) as { id: string; channel_id: string };
  }

  async function sendToUser(userId: string, message: DiscordMessage, delivery?: DeliveryKey): Promise<{ id: string; channel_id: string }> {
    return dmChannels.send(
      DM_SCOPE,
      userId,
      (channelId) => postMessage(channelId, message, delivery),
      (err) => err instanceof DiscordAPIError && err.code === UNKNOWN_CHANNEL,
    );
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
    lanes: pacer.lanes,
    async openDm(_workspaceId, userId) {
      try {
        await dmChannels.ensure(DM_SCOPE, userId);
      } catch (err) {
        throw toDeliveryError(err, 'direct message channel');
      }
    },
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

  return { notifier, sendToUser, toDeliveryError };
}
