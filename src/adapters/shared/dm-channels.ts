/**
 * DM channel ids per person, kept in the database (DmChannelStore) so a DM costs one request
 * instead of two, after restarts and on every replica. Concurrent first DMs to one person
 * share a single open request; a stored channel the platform forgot is re-opened once and
 * replaced.
 */
import type { Platform } from '../../core/incoming.js';
import type { DmChannelStore } from '../../core/notifier.js';

export type OpenDm = (workspaceId: string, userId: string) => Promise<string>;

/** For adapters built without the app's storage (tests, tools): ids live as long as the process. */
export function memoryDmChannelStore(): DmChannelStore {
  const ids = new Map<string, string>();
  const key = (k: { platform: string; workspaceId: string; userId: string }) => `${k.platform}:${k.workspaceId}:${k.userId}`;
  return {
    get: async (k) => ids.get(key(k)),
    put: async (k, id) => void ids.set(key(k), id),
    drop: async (k, id) => void (ids.get(key(k)) === id && ids.delete(key(k))),
  };
}

export class DmChannels {
  private readonly opening = new Map<string, Promise<string>>();

  constructor(
    private readonly platform: Platform,
    private readonly store: DmChannelStore,
    private readonly openChannel: OpenDm,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Opens the channel with the platform and stores its id (one request, shared by concurrent callers). */
  open(workspaceId: string, userId: string): Promise<string> {
    const key = `${workspaceId}:${userId}`;
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.openChannel(workspaceId, userId)
        .then(async (id) => {
          await this.store.put({ platform: this.platform, workspaceId, userId }, id, this.now());
          return id;
        })
        .finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  /** The stored channel id, or a newly opened (and stored) one. */
  async ensure(workspaceId: string, userId: string): Promise<string> {
    return (await this.store.get({ platform: this.platform, workspaceId, userId })) ?? this.open(workspaceId, userId);
  }

  /**
   * Runs `send` with the person's DM channel: the stored one, else a newly opened one. When a
   * stored id turns out `gone`, it is dropped, re-opened once and the send tried again.
   */
  async send<T>(workspaceId: string, userId: string, send: (channelId: string) => Promise<T>, gone: (err: unknown) => boolean): Promise<T> {
    const key = { platform: this.platform, workspaceId, userId };
    const stored = await this.store.get(key);
    if (!stored) return send(await this.open(workspaceId, userId));
    try {
      return await send(stored);
    } catch (err) {
      if (!gone(err)) throw err;
      await this.store.drop(key, stored);
      return send(await this.open(workspaceId, userId));
    }
  }
}
