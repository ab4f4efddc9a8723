/** Which time zone a person is in, and the canonical spelling of a zone name. */
import type { CoreDeps } from '../deps.js';
import type { IncomingAction, IncomingCommand } from '../incoming.js';
import { isValidTimeZone } from '../schedule/zoned-time.js';

export interface Zone {
  zone: string;
  source: 'your setting' | 'your profile' | 'the bot default';
}

/** The user's zone: their own setting, else the platform profile, else DEFAULT_TIMEZONE. */
export async function userZone(deps: Pick<CoreDeps, 'users' | 'defaultTimezone'>, who: IncomingCommand | IncomingAction): Promise<Zone> {
  const stored = (await deps.users.get(who))?.timezone;
  if (stored) return { zone: stored, source: 'your setting' };
  const profile = who.profile ? await who.profile().catch(() => undefined) : undefined;
  if (profile?.timezone && isValidTimeZone(profile.timezone)) return { zone: profile.timezone, source: 'your profile' };
  return { zone: deps.defaultTimezone, source: 'the bot default' };
}

/**
 * "europe/berlin" → "Europe/Berlin". Only the spelling is fixed: resolvedOptions() would
 * also swap in legacy names (Asia/Kolkata → Asia/Calcutta), which surprises people.
 */
export function canonicalZone(zone: string): string {
  const wanted = zone.toLowerCase();
  if (wanted === 'utc') return 'UTC';
  return Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === wanted) ?? zone;
}
