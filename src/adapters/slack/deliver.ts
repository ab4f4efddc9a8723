/**
 * Core replies → Slack calls. Decides, per reply target, between the interaction's
 * response_url (ephemeral messages, in-place updates of ephemeral messages) and the Web API
 * (DMs, updates of normal messages), and maps Slack errors to DeliveryError.
 */
import { WebClientEvent, type WebClient } from '@slack/web-api';
import { notice, type Card, type PostedTag, type Reply } from '../../core/card.js';
import { imageUrl } from '../../http/images.js';
import { DeliveryError, type DeliveryKey, type DmChannelStore, type Notifier } from '../../core/notifier.js';
import { slackDndOf } from './busy.js';
import { channelMessageRef, type ClickedMessage, type SlackMessageRef } from './parse.js';
import { DmChannels, memoryDmChannelStore } from '../shared/dm-channels.js';
import { Pacer } from '../shared/pacer.js';
import { dmFailedCard } from '../shared/dm-failure.js';
import { formToModal } from './modal.js';
import { cardPicture, type PictureSource } from '../shared/pictures.js';
import { cardToBlockKit, type BlockKitMessage } from './render.js';

/** A card as the Slack message to send: Block Kit, with its picture where Slack can load it. */
export type RenderCard = (card: Card) => BlockKitMessage;

/**
 * Slack loads a picture from a public URL, which the bot serves at PUBLIC_URL/images/. Without
 * PUBLIC_URL (Socket Mode on a laptop) Slack could not reach it, so cards carry no picture.
 */
export function slackRenderer(pictures: PictureSource | undefined, publicUrl: string | undefined): RenderCard {
  return (card) => {
    const picture = publicUrl ? cardPicture(card, pictures) : undefined;
    return cardToBlockKit(card, picture && publicUrl ? { url: imageUrl(publicUrl, picture.file), alt: picture.alt } : undefined);
  };
}

/** Slack message metadata marking an outbox delivery, so a resend after a crash can find it. */
export interface DeliveryMetadata {
  event_type: typeof DELIVERY_EVENT_TYPE;
  event_payload: { key: string };
}
export const DELIVERY_EVENT_TYPE = 'stretch_coach_delivery';
/** How far back a resend looks for its earlier attempt. */
export const DELIVERY_LOOKBACK = 100;

export interface ResponseMessage extends BlockKitMessage {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}
export type Respond = (message: ResponseMessage) => Promise<unknown>;

/** Errors after which sending the same thing again cannot succeed. */
export const PERMANENT_SLACK_ERRORS = new Set([
  'cannot_dm_bot',
  'user_not_found',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_disabled',
  'messages_tab_disabled',
  'invalid_blocks',
  'msg_too_long',
]);

/** The `error` code of a Web API platform error (`{ ok: false, error }`), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = slackErrorCode(err);
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return new DeliveryError(`Slack ${what} failed: ${reason}`, code !== undefined && PERMANENT_SLACK_ERRORS.has(code));
}

/**
 * The Web API client for a workspace: one client in single-workspace mode, the workspace's
 * own installation token with OAuth.
 */
export type SlackApiFor = (workspaceId: string) => Promise<WebClient>;

/**
 * What Slack allows a workspace for chat.postMessage beyond 1 message/s per channel:
 * "several hundred messages per minute" (each DM is its own channel); SLACK_RATE_LIMIT
 * raises or lowers it.
 */
export const SLACK_WORKSPACE_LIMIT = 5;

/** DM channels (stored, opened when missing) and the request pace, which Slack counts per workspace. */
export interface SlackDms {
  channels: DmChannels;
  /** The workspace's pace; its client's 429s hold back everything else to that workspace. */
  paceFor(workspaceId: string, api: WebClient): Pacer;
  /** Outbox lanes: one per request a second that a workspace may make. */
  lanes: number;
}

export function slackDms(apiFor: SlackApiFor, store: DmChannelStore = memoryDmChannelStore(), rateLimit = SLACK_WORKSPACE_LIMIT): SlackDms {
  const pacers = new Map<string, Pacer>();
  const listening = new WeakSet<WebClient>();
  // Takes the client the caller already holds: a workspace's client may be a database look-up.
  function paceFor(workspaceId: string, api: WebClient): Pacer {
    let pacer = pacers.get(workspaceId);
    if (!pacer) pacers.set(workspaceId, (pacer = new Pacer(rateLimit)));
    if (!listening.has(api)) {
      listening.add(api);
      // The WebClient waits out a 429 and retries; meanwhile nothing else goes out either.
      api.on(WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number) => pacer.holdFor(retryAfterSeconds * 1000));
    }
    return pacer;
  }
  const channels = new DmChannels('slack', store, async (workspaceId, userId) => {
    let id: string | undefined;
    try {
      const api = await apiFor(workspaceId);
      await paceFor(workspaceId, api).take();
      id = (await api.conversations.open({ users: userId })).channel?.id;
    } catch (err) {
      throw toDeliveryError(err, 'conversations.open');
    }
    if (!id) throw new DeliveryError('Slack conversations.open returned no channel', false);
    return id;
  });
  return { channels, paceFor, lanes: Pacer.lanesFor(rateLimit) };
}

async function postDm(api: WebClient, dms: SlackDms, workspaceId: string, userId: string, msg: BlockKitMessage, delivery?: Outbox): Promise<void> {
  const pacer = dms.paceFor(workspaceId, api);
  try {
    await dms.channels.send(
      workspaceId,
      userId,
      async (channel) => {
        // The manifest's im:history lets this check work; if it can't, a possible duplicate DM
        // beats a lost one.
        if (delivery && (await earlierAttempt(api, pacer, channel, delivery)) === 'found') return;
        await pacer.take();
        await api.chat.postMessage({ channel, ...msg, ...metadataFor(delivery) });
      },
      (err) => slackErrorCode(err) === 'channel_not_found',
    );
  } catch (err) {
    throw toDeliveryError(err, 'chat.postMessage (DM)');
  }
}

interface Outbox extends DeliveryKey {
  onLookupFailed?: (err: unknown) => void;
}

const metadataFor = (delivery: DeliveryKey | undefined): { metadata?: DeliveryMetadata } =>
  delivery ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: delivery.key } } } : {};

/**
 * After a crash mid-send, looks for the earlier attempt among the conversation's recent
 * messages (by its metadata key). 'unknown' when history can't be read (no *:history scope
 * for that conversation, or the bot is not a member).
 */
async function earlierAttempt(api: WebClient, pacer: Pacer, channel: string, delivery: Outbox): Promise<'none' | 'found' | 'unknown'> {
  if (!delivery.maybeSent) return 'none';
  try {
    await pacer.take();
    const { messages = [] } = await api.conversations.history({ channel, limit: DELIVERY_LOOKBACK, include_all_metadata: true });
    const found = messages.some((m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === delivery.key);
    return found ? 'found' : 'none';
  } catch (err) {
    delivery.onLookupFailed?.(err);
    return 'unknown';
  }
}

export function createSlackNotifier(
  apiFor: SlackApiFor,
  dms: SlackDms,
  render: RenderCard,
  onLookupFailed?: (err: unknown) => void,
  /** Looks the person up (their status, kept from then on by Slack's events) when they opt in. */
  lookUp?: (workspaceId: string, userId: string) => Promise<unknown>,
): Notifier {
  return {
    platform: 'slack',
    lanes: dms.lanes,
    async openDm(workspaceId, userId) {
      await Promise.all([dms.channels.ensure(workspaceId, userId), lookUp?.(workspaceId, userId)]);
    },
    async postToChannel(workspaceId, channelId, card, delivery) {
      try {
        const api = await apiFor(workspaceId);
        const pacer = dms.paceFor(workspaceId, api);
        const earlier = delivery ? await earlierAttempt(api, pacer, channelId, { ...delivery, onLookupFailed }) : 'none';
        if (earlier === 'found') return;
        // A channel prompt is posted at most once: if an interrupted attempt can't be ruled
        // out (no channels:history), it is not posted again.
        if (earlier === 'unknown') throw new DeliveryError('an interrupted earlier attempt may have posted it; not re-posted', true);
        await pacer.take();
        await api.chat.postMessage({ channel: channelId, ...render(card), ...metadataFor(delivery) });
      } catch (err) {
        throw toDeliveryError(err, 'chat.postMessage');
      }
    },
    async sendDm(workspaceId, userId, card, delivery) {
      let api: WebClient;
      try {
        api = await apiFor(workspaceId);
      } catch (err) {
        throw toDeliveryError(err, 'DM');
      }
      await postDm(api, dms, workspaceId, userId, render(card), delivery && { ...delivery, onLookupFailed });
    },
    async edit(workspaceId, messageRef, card) {
      const ref = JSON.parse(messageRef) as SlackMessageRef;
      const msg = render(card);
      try {
        if ('ts' in ref) {
          await (await apiFor(workspaceId)).chat.update({ channel: ref.channel, ts: ref.ts, ...msg });
          return;
        }
        const res = await fetch(ref.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: true, ...msg }) });
        // Never the URL in the error: it is a credential for that message.
        if (!res.ok) throw new DeliveryError(`Slack refused the message update through response_url (HTTP ${res.status})`, res.status === 404);
      } catch (err) {
        throw toDeliveryError(err, 'message update');
      }
    },
    async busyOf(workspaceId, userIds, now) {
      const api = await apiFor(workspaceId);
      const pacer = dms.paceFor(workspaceId, api);
      return slackDndOf(api, userIds, now, () => pacer.take());
    },
  };
}

/** Everything a delivery needs to know about the command or click being answered. */
export interface Interaction {
  api: WebClient;
  dms: SlackDms;
  render: RenderCard;
  respond?: Respond;
  workspaceId: string;
  userId: string;
  channelId: string;
  isDm: boolean;
  /** Present for a button click: the message that holds the button. */
  clicked?: ClickedMessage;
  /** The interaction's trigger_id, which opens a modal (for 3 seconds). */
  triggerId?: string;
  /** Told where a reply tagged `remember` was posted (see Coach.messagePosted). */
  posted?: (tag: PostedTag, messageRef: string) => Promise<unknown>;
}

/** Codes meaning "that channel is not one the bot can post in" (e.g. a DM between two people). */
const NOT_POSTABLE = new Set(['channel_not_found', 'not_in_channel']);

async function ephemeralTo(ix: Interaction, msg: BlockKitMessage): Promise<void> {
  // From the Home tab (or a form opened there) there is no conversation: the bot's DM is the private place.
  if (!ix.channelId) return postDm(ix.api, ix.dms, ix.workspaceId, ix.userId, msg);
  if (ix.respond) {
    await ix.respond({ response_type: 'ephemeral', ...(ix.clicked ? { replace_original: false } : {}), ...msg });
  } else {
    await ix.api.chat.postEphemeral({ channel: ix.channelId, user: ix.userId, ...msg });
  }
}

async function replaceClicked(ix: Interaction, msg: BlockKitMessage): Promise<void> {
  const clicked = ix.clicked;
  if (!clicked) return ephemeralTo(ix, msg);
  // Ephemeral messages can only be changed through the response_url.
  if (clicked.isEphemeral || !clicked.ts) {
    if (ix.respond) await ix.respond({ replace_original: true, ...msg });
    else await ephemeralTo(ix, msg);
    return;
  }
  try {
    await ix.api.chat.update({ channel: clicked.channelId, ts: clicked.ts, ...msg });
  } catch (err) {
    // A message the bot cannot edit (posted through a response_url, say) can still be replaced there.
    if (!ix.respond || slackErrorCode(err) === undefined) throw err;
    await ix.respond({ replace_original: true, ...msg });
  }
}

/**
 * Posts for the whole conversation; the posted message's address when it is known (a Web API
 * post), which a message the bot must find again (`track`) needs.
 */
async function postVisible(ix: Interaction, msg: BlockKitMessage, track: boolean): Promise<string | undefined> {
  // A slash command may answer in its channel through response_url without the bot being a
  // member, but that answer has no ts: a tracked message tries the Web API first.
  const inChannel = !ix.isDm && !ix.clicked ? ix.respond : undefined;
  if (inChannel && !track) {
    await inChannel({ response_type: 'in_channel', ...msg });
    return undefined;
  }
  try {
    const posted = await ix.api.chat.postMessage({ channel: ix.channelId, ...msg });
    return posted.ts ? channelMessageRef(posted.channel ?? ix.channelId, posted.ts) : undefined;
  } catch (err) {
    if (!NOT_POSTABLE.has(slackErrorCode(err) ?? '')) throw err;
    // A channel the bot is not in: answer there anyway, untracked (its edits then wait for a click).
    if (inChannel) await inChannel({ response_type: 'in_channel', ...msg });
    // A DM between two people: show it to the user instead.
    else await ephemeralTo(ix, msg);
    return undefined;
  }
}

/** Delivers the replies in order. A failed DM is explained to the user and ends the delivery. */
export async function deliverReplies(replies: readonly Reply[], ix: Interaction): Promise<void> {
  for (const reply of replies) {
    const msg = ix.render(reply.card);
    switch (reply.target) {
      case 'ephemeral':
        await ephemeralTo(ix, msg);
        break;
      case 'update':
        await replaceClicked(ix, msg);
        break;
      case 'channel': {
        const at = await postVisible(ix, msg, reply.remember !== undefined);
        if (at && reply.remember) await ix.posted?.(reply.remember, at);
        break;
      }
      case 'form':
        if (reply.form && ix.triggerId) await ix.api.views.open({ trigger_id: ix.triggerId, view: formToModal(reply.form, { channelId: ix.channelId, isDm: ix.isDm }) as never });
        else await ephemeralTo(ix, msg);
        break;
      case 'dm':
        try {
          await postDm(ix.api, ix.dms, ix.workspaceId, ix.userId, msg);
        } catch (err) {
          const e = toDeliveryError(err, 'DM');
          await ephemeralTo(ix, cardToBlockKit(dmFailedCard(e, 'Check that direct messages with apps are allowed in your Slack preferences.')));
          return;
        }
        break;
    }
  }
}

export const APOLOGY = cardToBlockKit(notice('Sorry', 'Something went wrong on my side, so nothing changed. Please try again in a moment.', 'warning'));
