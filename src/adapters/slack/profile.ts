/**
 * The user facts only Slack knows (time zone, admin), from `users.info`, cached per user so a
 * busy user costs one API call an hour. Fetched lazily: only when the core asks, and when
 * someone opts in. Each look-up also hands on the person's status (see busy.ts).
 */
import { isValidTimeZone } from '../../core/schedule/zoned-time.js';
import type { Status } from '../../core/busy.js';
import type { UserProfile } from '../../core/incoming.js';
import type { Logger } from '../../logger.js';
import { statusOf } from './busy.js';

/** The slice of the Web API client this needs (Bolt's WebClient satisfies it). */
export interface UsersInfoApi {
  users: {
    info(args: { user: string }): Promise<{
      user?: {
        tz?: string;
        is_admin?: boolean;
        is_owner?: boolean;
        is_primary_owner?: boolean;
        profile?: { status_emoji?: string; status_text?: string; status_expiration?: number };
      };
    }>;
  };
}

export const PROFILE_TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export interface ProfileCache {
  get(workspaceId: string, userId: string): Promise<UserProfile>;
  /** Looks the person up again now, whatever the cache holds. */
  refresh(workspaceId: string, userId: string): Promise<UserProfile>;
}

export function createProfileCache(opts: {
  /** The client for a workspace (each workspace has its own token with OAuth). */
  apiFor: (workspaceId: string) => Promise<UsersInfoApi>;
  adminUserIds: readonly string[];
  logger: Logger;
  /** Told the person's current status after each look-up. */
  onStatus?: (workspaceId: string, userId: string, status: Status | undefined) => Promise<unknown>;
  ttlMs?: number;
  now?: () => number;
}): ProfileCache {
  const ttl = opts.ttlMs ?? PROFILE_TTL_MS;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; profile: Promise<UserProfile> }>();

  async function fetchProfile(workspaceId: string, userId: string): Promise<{ profile: UserProfile; ok: boolean }> {
    const configuredAdmin = opts.adminUserIds.includes(userId);
    try {
      const api = await opts.apiFor(workspaceId);
      const { user } = await api.users.info({ user: userId });
      const tz = user?.tz && isValidTimeZone(user.tz) ? user.tz : undefined;
      await opts.onStatus?.(workspaceId, userId, statusOf(user?.profile)).catch((err: unknown) => opts.logger.warn({ err, userId }, 'could not store a slack status'));
      return { ok: true, profile: { timezone: tz, isAdmin: configuredAdmin || Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner) } };
    } catch (err) {
      opts.logger.warn({ err, userId }, 'slack users.info failed; using defaults for this user');
      return { ok: false, profile: { isAdmin: configuredAdmin } };
    }
  }

  const cached: ProfileCache = {
    refresh(workspaceId, userId) {
      cache.delete(`${workspaceId}:${userId}`);
      return cached.get(workspaceId, userId);
    },
    get(workspaceId, userId) {
      const key = `${workspaceId}:${userId}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttl) return hit.profile;
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      const entry = { at: now(), profile: Promise.resolve<UserProfile>({ isAdmin: false }) };
      entry.profile = fetchProfile(workspaceId, userId).then(({ profile, ok }) => {
        // A failure is not cached: the next request tries again. The core falls back to its defaults.
        if (!ok && cache.get(key) === entry) cache.delete(key);
        return profile;
      });
      cache.set(key, entry);
      return entry.profile;
    },
  };
  return cached;
}
