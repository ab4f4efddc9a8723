/** Reads `when [routine] [timezone]`, shared by channel schedules and personal reminders. */
import { findRoutine, type Catalogue, type Routine } from '../catalogue.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingCommand } from '../incoming.js';
import { fail, succeed, type Result } from '../result.js';
import { checkFrequency, nextFiresOf, parseWhen } from '../schedule/when.js';
import { isValidTimeZone } from '../schedule/zoned-time.js';
import { defaultRoutine } from './defaults.js';
import { canonicalZone, userZone } from './zone.js';

export const WHEN_EXAMPLES = 'daily 15:00, weekdays 10:30,15:00, mon,wed,fri 09:45 or a cron like 30 10 * * 1-5';

export type ScheduleInputError = 'missing' | 'unreadable' | 'unknown-routine' | 'unknown-zone' | 'too-often' | 'never';

/**
 * Reads the words after a `when`: an optional routine and an optional time zone, in any order.
 * Options given separately (typed platform options) must be exactly a routine and a zone.
 */
export function routineAndZone(
  catalogue: Catalogue,
  words: string[],
  typed: { routine?: string; timezone?: string },
): Result<{ routine?: Routine; timezone?: string }, ScheduleInputError> {
  let routine: Routine | undefined;
  let timezone: string | undefined;
  const routineIds = catalogue.routines.map((r) => r.id).join(', ');
  if (typed.routine) {
    routine = findRoutine(catalogue, typed.routine);
    if (!routine) return fail('unknown-routine', `I don't have a routine called "${typed.routine}". Try one of: ${routineIds}.`);
  }
  if (typed.timezone) {
    if (!isValidTimeZone(typed.timezone)) {
      return fail('unknown-zone', `"${typed.timezone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.`);
    }
    timezone = canonicalZone(typed.timezone);
  }
  for (const word of words) {
    const asRoutine = findRoutine(catalogue, word);
    if (asRoutine && !routine) routine = asRoutine;
    else if (isValidTimeZone(word) && !timezone && /[/]|^utc$/i.test(word)) timezone = canonicalZone(word);
    else {
      return fail('unreadable', `I didn't understand "${word}". After the time, give a routine (${routineIds}) and/or a time zone such as Europe/Berlin.`);
    }
  }
  return succeed({ routine, timezone });
}

export interface ScheduleInput {
  crons: string[];
  description: string;
  /** The `when` words as typed, without the routine and zone that followed them. */
  whenText: string;
  routine: Routine;
  timezone: string;
}

/** Parses `when [routine] [timezone]` for schedules and reminders alike. */
export async function parseScheduleInput(deps: CoreDeps, cmd: IncomingCommand): Promise<Result<ScheduleInput, ScheduleInputError>> {
  const o = cmd.command.options;
  const whenText = (o.when ?? '').trim();
  if (!whenText) return fail('missing', `Tell me when, for example: ${WHEN_EXAMPLES}.`);
  const when = parseWhen(whenText);
  if (!when.ok) return fail('unreadable', when.message);
  const extra = routineAndZone(deps.catalogue, when.rest, { routine: o.routine, timezone: o.timezone });
  if (!extra.ok) return extra;
  const tooOften = checkFrequency(when.crons);
  if (tooOften) return fail('too-often', tooOften);
  const zone = extra.timezone ?? (await userZone(deps, cmd)).zone;
  if (!nextFiresOf(when.crons, zone, deps.clock.now(), 1).length) {
    return fail('never', `"${whenText}" never happens (no such date in the next five years). Try: ${WHEN_EXAMPLES}.`);
  }
  const consumed = whenText.split(/\s+/).length - when.rest.length;
  return succeed({
    crons: when.crons,
    description: when.description,
    whenText: whenText.split(/\s+/).slice(0, consumed).join(' '),
    routine: extra.routine ?? defaultRoutine(deps.catalogue),
    timezone: zone,
  });
}
