/**
 * The three forms (a channel's break time, a personal reminder, your settings), prefilled
 * from what is known about the person. Commands open them when given no arguments on a
 * platform that can show forms.
 */
import { formReply, notice, type Reply } from '../card.js';
import type { Catalogue } from '../catalogue.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingAction, IncomingCommand } from '../incoming.js';
import { formatMinuteOfDay } from '../schedule/when.js';
import { defaultRoutine } from '../team/defaults.js';
import { userZone } from '../team/zone.js';
import type { Choice, Form, FormField, FormName } from './form.js';

export const DAYS: readonly Choice[] = [
  { value: 'mon', label: 'Monday' },
  { value: 'tue', label: 'Tuesday' },
  { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' },
  { value: 'fri', label: 'Friday' },
  { value: 'sat', label: 'Saturday' },
  { value: 'sun', label: 'Sunday' },
];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Zones offered in a list, after the person's own; anything else can be typed with the command. */
export const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Europe/Kyiv',
  'Africa/Lagos',
  'Africa/Cairo',
  'Africa/Johannesburg',
  'Africa/Nairobi',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Dhaka',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Manila',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Australia/Perth',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Vancouver',
  'America/Denver',
  'America/Phoenix',
  'America/Chicago',
  'America/Mexico_City',
  'America/Toronto',
  'America/New_York',
  'America/Bogota',
  'America/Lima',
  'America/Santiago',
  'America/Argentina/Buenos_Aires',
  'America/Sao_Paulo',
];

export const zoneChoices = (own: string): Choice[] => [own, ...COMMON_ZONES.filter((z) => z !== own)].map((z) => ({ value: z, label: z }));
const routineChoices = (c: Catalogue): Choice[] => c.routines.map((r) => ({ value: r.id, label: r.name.slice(0, 75) }));

/** The fields a channel schedule and a reminder share: routine, days, time, zone. */
function whenFields(deps: CoreDeps, zone: string, time: string): FormField[] {
  return [
    { id: 'routine', label: 'Routine', kind: 'select', choices: routineChoices(deps.catalogue), initial: defaultRoutine(deps.catalogue).id },
    { id: 'days', label: 'Days', kind: 'multi', choices: [...DAYS], initial: WEEKDAYS },
    { id: 'time', label: 'Time', kind: 'time', initial: time },
    { id: 'timezone', label: 'Time zone', kind: 'select', choices: zoneChoices(zone), initial: zone },
  ];
}

export async function buildForm(deps: CoreDeps, who: IncomingCommand | IncomingAction, name: FormName): Promise<Form> {
  const { zone } = await userZone(deps, who);
  switch (name) {
    case 'schedule': {
      // Opened where no channel is at hand (the home view): ask which channel gets the prompts.
      const where: FormField[] = who.channelId ? [] : [{ id: 'channel', label: 'Channel', kind: 'channel' }];
      return { name, title: 'Add a break time', submit: 'Add', fields: [...where, ...whenFields(deps, zone, '10:30')] };
    }
    case 'remind':
      return { name, title: 'Add a reminder', submit: 'Add', fields: whenFields(deps, zone, '11:00') };
    case 'settings': {
      const u = await deps.users.get(who);
      const hour = (m: number | undefined) => (m === undefined ? undefined : formatMinuteOfDay(m));
      return {
        name,
        title: 'Your settings',
        submit: 'Save',
        fields: [
          { id: 'timezone', label: 'Time zone', kind: 'select', choices: zoneChoices(zone), initial: zone },
          { id: 'start', label: 'Working hours start (empty: any time)', kind: 'time', optional: true, initial: hour(u?.workStartMin) },
          { id: 'end', label: 'Working hours end', kind: 'time', optional: true, initial: hour(u?.workEndMin) },
        ],
      };
    }
  }
}

/**
 * The form for a command run without arguments, where the platform can show it; undefined
 * elsewhere, and the command answers as it always has.
 */
export async function openForm(deps: CoreDeps, cmd: IncomingCommand, name: FormName, instead: string): Promise<Reply[] | undefined> {
  if (!cmd.caps?.forms?.includes(name)) return undefined;
  return [formReply(await buildForm(deps, cmd, name), notice('Fill in the form', instead))];
}
