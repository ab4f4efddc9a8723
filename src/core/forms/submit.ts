/**
 * A submitted form becomes the command it stands for, judged by the same rules as typed text
 * (parseScheduleInput, parseHours): problems come back by field, so the form shows each one
 * next to its field and nothing is stored; a valid form runs the command and its replies.
 */
import type { Card, Reply } from '../card.js';
import { runCommand } from '../commands/dispatch.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingCommand, IncomingForm } from '../incoming.js';
import { parseHours, parseTimeOfDay } from '../schedule/when.js';
import { isValidTimeZone } from '../schedule/zoned-time.js';
import { parseScheduleInput, type ScheduleInputError } from '../team/schedule-input.js';
import { DAYS, WEEKDAYS } from './build.js';
import { first, FORM_COMMAND, type FormValues } from './form.js';

export type FormOutcome = { ok: true; replies: Reply[] } | { ok: false; errors: Record<string, string> };

const problems = (errors: Record<string, string>): FormOutcome => ({ ok: false, errors });

/** Checked days → the `when` words: `weekdays`, `daily`, `weekends` or `mon,wed`. */
export function daysText(days: readonly string[]): string {
  const picked = DAYS.map((d) => d.value).filter((d) => days.includes(d));
  const is = (set: string[]) => picked.length === set.length && set.every((d) => picked.includes(d));
  if (picked.length === 7) return 'daily';
  if (is(WEEKDAYS)) return 'weekdays';
  if (is(['sat', 'sun'])) return 'weekends';
  return picked.join(',');
}

const FIELD_OF: Record<ScheduleInputError, string> = {
  missing: 'time',
  unreadable: 'time',
  'unknown-routine': 'routine',
  'unknown-zone': 'timezone',
  'too-often': 'time',
  never: 'days',
};

async function whenForm(deps: CoreDeps, sub: IncomingForm, values: FormValues): Promise<FormOutcome> {
  const days = (values.days ?? []).filter((d) => DAYS.some((x) => x.value === d));
  const time = first(values, 'time');
  const errors: Record<string, string> = {};
  if (!days.length) errors.days = 'Pick at least one day.';
  const parsedTime = parseTimeOfDay(time);
  if (!parsedTime.ok) errors.time = time ? parsedTime.message : 'Pick a time.';
  // A form from the home view names its channel; one opened in a channel adds to that channel.
  const channelId = sub.channelId || first(values, 'channel');
  if (sub.form === 'schedule' && !channelId) errors.channel = 'Pick the channel that should get the prompts.';
  if (Object.keys(errors).length) return problems(errors);
  const cmd = asCommand({ ...sub, channelId, isDm: sub.isDm && channelId === sub.channelId }, { when: `${daysText(days)} ${time}`, routine: first(values, 'routine') || undefined, timezone: first(values, 'timezone') || undefined });
  const input = await parseScheduleInput(deps, cmd);
  if (!input.ok) return problems({ [FIELD_OF[input.kind]]: input.message });
  return { ok: true, replies: await runCommand(cmd, deps) };
}

async function settingsForm(deps: CoreDeps, sub: IncomingForm, values: FormValues): Promise<FormOutcome> {
  const timezone = first(values, 'timezone');
  const start = first(values, 'start');
  const end = first(values, 'end');
  if (!timezone || !isValidTimeZone(timezone)) return problems({ timezone: 'Pick a time zone.' });
  if (Boolean(start) !== Boolean(end)) return problems({ [start ? 'end' : 'start']: 'Give both times, or leave both empty for any time.' });
  const hours = start ? `${start}-${end}` : 'off';
  const parsed = parseHours(hours);
  if (!parsed.ok) return problems({ [parsed.kind === 'backwards' ? 'end' : 'start']: parsed.message });
  return { ok: true, replies: await runCommand(asCommand(sub, { timezone, hours }), deps) };
}

function asCommand(sub: IncomingForm, options: Record<string, string | undefined>): IncomingCommand {
  const { form, values: _values, ...context } = sub;
  return { ...context, command: { name: FORM_COMMAND[form], options } };
}

export function submitForm(deps: CoreDeps, sub: IncomingForm): Promise<FormOutcome> {
  return sub.form === 'settings' ? settingsForm(deps, sub, sub.values) : whenForm(deps, sub, sub.values);
}

const FIELD_LABELS: Record<string, string> = { channel: 'Channel', routine: 'Routine', days: 'Days', time: 'Time', timezone: 'Time zone', start: 'Working hours start', end: 'Working hours end' };

/** The problems as one private card, for platforms that cannot show them next to the fields. */
export function problemsCard(errors: Record<string, string>): Card {
  return {
    title: 'Nothing saved yet: please fix this',
    sections: [Object.entries(errors).map(([id, message]) => `${FIELD_LABELS[id] ?? id}: ${message}`).join('\n')],
    footer: 'Run the command again to open the form.',
    tone: 'warning',
  };
}
