/**
 * What the scheduler needs from a platform to deliver prompts: post in a channel, DM a user.
 * Implemented by each platform adapter; the core and scheduler never see a client library.
 */
import type { Busy } from './busy.js';
import type { Card } from './card.js';
import type { Platform, UserKey } from './incoming.js';

/**
 * Identifies one outbox delivery. `maybeSent` is set when an earlier attempt was cut off
 * (the process died mid-send): the notifier must then make sure the message is not sent
 * twice, by the platform's own idempotency (a message nonce) or by looking for it first
 * (message metadata carrying the key).
 */
export interface DeliveryKey {
  key: string;
  maybeSent: boolean;
}

export interface Notifier {
  readonly platform: Platform;
  /**
   * How many sends may be in flight at once: enough to keep the platform's request pace busy,
   * few enough that a claimed row waits at most about a second for its turn.
   */
  readonly lanes?: number;
  /** Opens (and stores) the DM channel with a person, so their first DM costs one request. */
  openDm?(workspaceId: string, userId: string): Promise<void>;
  postToChannel(workspaceId: string, channelId: string, card: Card, delivery?: DeliveryKey): Promise<void>;
  sendDm(workspaceId: string, userId: string, card: Card, delivery?: DeliveryKey): Promise<void>;
  /** Replaces a message the adapter gave an address for (IncomingAction.messageRef), without a click. */
  edit?(workspaceId: string, messageRef: string, card: Card): Promise<void>;
  /**
   * Whether each person is busy by what the platform tells only when asked (a do-not-disturb
   * window), for platforms that can tell; others leave it out. One call covers many people, so a
   * fan-out asks once per batch instead of once per DM. A person missing from the answer is one
   * the platform could not say about.
   */
  busyOf?(workspaceId: string, userIds: readonly string[], now: number): Promise<Map<string, Busy | undefined>>;
}

/**
 * Each person's DM channel id, kept in the database so a DM is one request even after a
 * restart or on another replica.
 */
export interface DmChannelStore {
  get(key: UserKey): Promise<string | undefined>;
  put(key: UserKey, channelId: string, now: number): Promise<void>;
  /** Forgets `channelId` for this person, unless someone already stored another one. */
  drop(key: UserKey, channelId: string): Promise<void>;
}

/**
 * A delivery that failed. `permanent` means trying again cannot help (DMs closed, unknown
 * user or channel); the outbox marks such rows failed instead of retrying them forever.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** A running platform connection, started and stopped by the composition root. */
export interface PlatformAdapter {
  readonly name: Platform;
  readonly notifier: Notifier;
  start(): Promise<void>;
  stop(): Promise<void>;
}
