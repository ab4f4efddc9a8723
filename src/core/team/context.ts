/** What the team commands share: their dependencies and small helpers. */
import { ephemeral, notice, type Reply } from '../card.js';
import { findRoutine, type Catalogue, type Routine } from '../catalogue.js';
import type { IncomingAction, IncomingCommand } from '../incoming.js';
import type { Clock, UserRepo } from '../ports.js';
import { isValidTimeZone } from '../schedule/zoned-time.js';
import type { DeliveryRepo, ScheduleRepo, SettingsRepo } from './ports.js';

export interface TeamDeps {
  catalogue: Catalogue;
  clock: Clock;
  users: UserRepo & SettingsRepo;
  schedules: ScheduleRepo;
  delivery: DeliveryRepo;
  defaultTimezone: string;
  newId: () => string;
}

export const SNOOZE_MS = 10 * 60_000;

/** Break prompts suit a short routine; fall back to the first one the content offers. */
export function defaultRoutine(catalogue: Catalogue): Routine {
  return findRoutine(catalogue, 'desk') ?? catalogue.routines[0]!;
}

export const warn = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'warning'))];
export const ok = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'success'))];
export const info = (title: string, text: string): Reply[] => [ephemeral(notice(title, text, 'info'))];

export interface Zone {
  zone: string;
  source: 'your setting' | 'your profile' | 'the bot default';
}

/** The user's zone: their own setting, else the platform profile (Slack), else DEFAULT_TIMEZONE. */
export async function userZone(deps: TeamDeps, who: IncomingCommand | IncomingAction): Promise<Zone> {
  const stored = (await deps.users.get(who))?.timezone;
  if (stored) return { zone: stored, source: 'your setting' };
  const profile = who.profile ? await who.profile().catch(() => undefined) : undefined;
  if (profile?.timezone && isValidTimeZone(profile.timezone)) return { zone: profile.timezone, source: 'your profile' };
  return { zone: deps.defaultTimezone, source: 'the bot default' };
}

export async function isAdmin(who: IncomingCommand): Promise<boolean> {
  if (!who.profile) return false;
  return (await who.profile()).isAdmin;
}

export type Handler = (cmd: IncomingCommand) => Promise<Reply[]>;
/** `chatOnly`: the command delivers messages, which the terminal coach has nowhere to send. */
export type Register = (name: string, handler: Handler, options?: { chatOnly?: boolean }) => void;

export const PLATFORM_ONLY = info(
  'Slack and Discord only',
  'Schedules, opt-ins and reminders deliver messages on Slack or Discord. The terminal coach runs routines: try /stretch start.',
);

export const WHEN_EXAMPLES = 'daily 15:00, weekdays 10:30,15:00, mon,wed,fri 09:45 or a cron like 30 10 * * 1-5';

/**
 * Reads the words after a `when`: an optional routine and an optional time zone, in any order.
 * Typed options (Discord) come in as `routine` and `timezone` and must be exactly that.
 */
export function routineAndZone(
  catalogue: Catalogue,
  words: string[],
  typed: { routine?: string; timezone?: string },
): { ok: true; routine?: Routine; timezone?: string } | { ok: false; error: string } {
  let routine: Routine | undefined;
  let timezone: string | undefined;
  const routineIds = catalogue.routines.map((r) => r.id).join(', ');
  if (typed.routine) {
    routine = findRoutine(catalogue, typed.routine);
    if (!routine) return { ok: false, error: `I don't have a routine called "${typed.routine}". Try one of: ${routineIds}.` };
  }
  if (typed.timezone) {
    if (!isValidTimeZone(typed.timezone)) return { ok: false, error: `"${typed.timezone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.` };
    timezone = canonicalZone(typed.timezone);
  }
  for (const word of words) {
    const asRoutine = findRoutine(catalogue, word);
    if (asRoutine && !routine) routine = asRoutine;
    else if (isValidTimeZone(word) && !timezone && /[/]|^utc$/i.test(word)) timezone = canonicalZone(word);
    else {
      return {
        ok: false,
        error: `I didn't understand "${word}". After the time, give a routine (${routineIds}) and/or a time zone such as Europe/Berlin.`,
      };
    }
  }
  return { ok: true, routine, timezone };
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
