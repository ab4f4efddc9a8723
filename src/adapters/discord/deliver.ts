/**
 * Discord delivery: channel posts and DMs for the scheduler's outbox, and DMs for sessions.
 * DM channel ids are stored so a DM costs one request; every request here is paced at the
 * global limit, and a 429 that still happens is waited out by discord.js.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DiscordAPIError, Routes, type AttachmentPayload, type Client, type RawFile } from 'discord.js';
import type { Card } from '../../core/card.js';
import { DeliveryError, type DeliveryKey, type Notifier } from '../../core/notifier.js';
import type { DmChannelStore } from '../../core/notifier.js';
import { DmChannels, memoryDmChannelStore } from '../shared/dm-channels.js';
import { Pacer } from '../shared/pacer.js';
import type { DiscordMessageRef } from './parse.js';
import { cardPicture, contentTypeOf, type PictureSource } from '../shared/pictures.js';
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

/** A card as a Discord message, with its picture looked up in `pictures`. */
export function discordMessageFor(card: Card, pictures: PictureSource | undefined): DiscordMessage {
  return cardToDiscordMessage(card, cardPicture(card, pictures));
}

/**
 * What discord.js does for `files` when it sends a message itself, done by hand for the raw
 * REST post below: the bytes become `files[n]` parts and each gets an `attachments` entry
 * (id n) carrying its description.
 */
async function uploads(files: readonly AttachmentPayload[]): Promise<{ files: RawFile[]; attachments: { id: string; description?: string }[] }> {
  const raw = await Promise.all(
    files.map(async (f, i) => {
      const data = typeof f.attachment === 'string' ? await readFile(f.attachment) : (f.attachment as Buffer);
      return { name: f.name ?? `file-${i}`, data, contentType: contentTypeOf(f.name ?? '') };
    }),
  );
  return { files: raw, attachments: files.map((f, i) => ({ id: String(i), ...(f.description ? { description: f.description } : {}) })) };
}

/** Discord's global limit for a bot, requests per second (interaction callbacks are exempt). */
export const DISCORD_GLOBAL_LIMIT = 50;

export interface DiscordDeliveryOptions {
  dmChannels?: DmChannelStore;
  /** Exercise pictures, uploaded with the cards that show one. */
  pictures?: PictureSource;
  /** Requests per second; DISCORD_GLOBAL_LIMIT unless configured. */
  rateLimit?: number;
}

export function createDiscordDelivery(client: Client, opts: DiscordDeliveryOptions = {}) {
  const { pictures } = opts;
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
    const { files, attachments: _none, ...rest } = message;
    const upload = await uploads(files);
    const body = {
      ...rest,
      attachments: upload.attachments,
      allowed_mentions: { parse: [] },
      ...(delivery ? { nonce: nonceFor(delivery.key), enforce_nonce: true } : {}),
    };
    await pacer.take();
    return (await client.rest.post(Routes.channelMessages(channelId), { body, ...(upload.files.length ? { files: upload.files } : {}) })) as { id: string; channel_id: string };
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
        await postMessage(channelId, discordMessageFor(card, pictures), delivery);
      } catch (err) {
        throw toDeliveryError(err, 'channel message');
      }
    },
    async sendDm(_workspaceId, userId, card, delivery) {
      try {
        await sendToUser(userId, discordMessageFor(card, pictures), delivery);
      } catch (err) {
        throw toDeliveryError(err, 'direct message');
      }
    },
    async edit(_workspaceId, messageRef, card) {
      const ref = JSON.parse(messageRef) as DiscordMessageRef;
      // Without `attachments` Discord keeps the message's picture, which the embed still names.
      const { files: _files, attachments: _kept, ...message } = discordMessageFor(card, pictures);
      const body = { ...message, allowed_mentions: { parse: [] } };
      try {
        if ('token' in ref) await client.rest.patch(Routes.webhookMessage(ref.app, ref.token, '@original'), { body, auth: false });
        else await client.rest.patch(Routes.channelMessage(ref.channel, ref.message), { body });
      } catch (err) {
        throw toDeliveryError(err, 'message update');
      }
    },
  };

  return { notifier, sendToUser, toDeliveryError };
}
