/** Everyone's team commands: opt-ins, DM pause, settings and personal reminders. */
import { ephemeral, type Card, type Reply } from '../card.js';
import type { CoreDeps } from '../deps.js';
import { restoreButtons, restoreSkip, skipsLine } from '../skip-list.js';
import { command, type CommandSpec, type GroupSpec } from '../commands/spec.js';
import { openForm } from '../forms/build.js';
import type { IncomingAction, IncomingCommand } from '../incoming.js';
import { info, ok, warn } from '../replies.js';
import { formatInZone, formatMinuteOfDay, parseDuration, parseHours } from '../schedule/when.js';
import { isValidTimeZone } from '../schedule/zoned-time.js';
import { routineSummary } from './prompt-views.js';
import { idOption, saveSchedule, scheduleLine, upcoming, whenOptions } from './schedule-commands.js';
import { parseScheduleInput } from './schedule-input.js';
import { canonicalZone, userZone } from './zone.js';

export const REMIND_GROUP: GroupSpec = { name: 'remind', description: 'Your own stretch reminders by DM', bare: 'add', shorthand: 'add' };

const channelOf = (cmd: IncomingCommand) => ({ platform: cmd.platform, workspaceId: cmd.workspaceId, channelId: cmd.channelId });

export const OPT_IN_COMMANDS: CommandSpec[] = [
  command({
    path: 'optin',
    description: "Get this channel's stretch break prompts by DM",
    where: 'chat',
    async run(cmd, { users, delivery, schedules, clock, directMessages }) {
      if (cmd.isDm) return warn('Use a channel', 'Run /stretch optin in the channel whose break prompts you want by DM.');
      await users.ensure(cmd, clock.now());
      const added = await delivery.optIn(channelOf(cmd), cmd.userId, clock.now());
      await directMessages?.prepare(cmd);
      const scheduled = (await schedules.listForChannel(cmd.platform, cmd.workspaceId, cmd.channelId)).length > 0;
      const tail = scheduled ? '' : '\nThis channel has no break schedule yet; an admin can add one with /stretch schedule add.';
      return added
        ? ok('Opted in', `I'll DM you this channel's break prompts, with a Start button. /stretch optout stops them.${tail}`)
        : info('Already opted in', `You already get this channel's break prompts by DM.${tail}`);
    },
  }),
  command({
    path: 'optout',
    description: "Stop getting this channel's stretch break prompts by DM",
    where: 'chat',
    async run(cmd, { delivery }) {
      const removed = await delivery.optOut(channelOf(cmd), cmd.userId);
      return removed
        ? ok('Opted out', "No more DMs for this channel's break prompts. You'll still see them in the channel.")
        : info('Not opted in', "You weren't getting this channel's prompts by DM, so nothing changed.");
    },
  }),
  command({
    path: 'pause',
    description: 'Pause all stretch DMs for a while',
    options: [{ name: 'for', kind: 'text', description: 'How long, e.g. 2h, 1d, today, tomorrow or 1w', required: true, maxLength: 32, hint: '2h|1d|today|1w' }],
    async run(cmd, deps) {
      const text = cmd.command.options.for?.trim();
      const { zone } = await userZone(deps, cmd);
      if (!text) return warn('Pause for how long?', 'For example: /stretch pause 2h, /stretch pause 1d, /stretch pause today or /stretch pause 1w.');
      const parsed = parseDuration(text, deps.clock.now(), zone);
      if (!parsed.ok) return warn('Could not pause', parsed.message);
      await deps.users.setDmPause(cmd, parsed.untilMs, deps.clock.now());
      return ok('DMs paused', `No break DMs until ${formatInZone(parsed.untilMs, zone)}. They start again by themselves; /stretch resume ends the pause early.`);
    },
  }),
  command({
    path: 'resume',
    description: 'Resume stretch DMs after a pause',
    async run(cmd, { users, clock }) {
      const until = (await users.get(cmd))?.dmPausedUntil;
      if (!until || until <= clock.now()) return info('Not paused', 'Your break DMs are already on.');
      await users.setDmPause(cmd, undefined, clock.now());
      return ok('DMs back on', 'Break DMs are on again.');
    },
  }),
];

/** Shout-outs alone: a typo or a mix with other settings changes nothing. */
async function setShoutouts(deps: CoreDeps, cmd: IncomingCommand, value: string, withOthers: boolean): Promise<Reply[]> {
  const word = value.trim().toLowerCase();
  if (word !== 'on' && word !== 'off') return warn('On or off?', `Shout-outs are "on" or "off", not "${value}". For example: /stretch settings shoutouts on`);
  if (withOthers) return warn('One at a time', 'Change shout-outs on their own: /stretch settings shoutouts on. Nothing was changed.');
  await deps.habits.setShoutouts(cmd, word === 'on', deps.clock.now());
  return word === 'on'
    ? ok('Shout-outs on', 'Team summaries (/stretch team and weekly posts) may now name you next to your streak.')
    : ok('Shout-outs off', 'Team summaries count you but never name you.');
}

/** What `/stretch settings` shows: zone, hours, DM pause and the exercises the person skips. */
export async function settingsCard(deps: CoreDeps, key: IncomingCommand | IncomingAction): Promise<Card> {
  const now = deps.clock.now();
  const [u, zone, skipped] = await Promise.all([deps.users.get(key), userZone(deps, key), deps.users.skippedExercises(key)]);
  const pausedUntil = u?.dmPausedUntil && u.dmPausedUntil > now ? u.dmPausedUntil : undefined;
  return {
    title: 'Your settings',
    sections: ['Change them with /stretch settings timezone <zone>, /stretch settings hours 09:00-17:30 (or off) or /stretch settings shoutouts on (or off).'],
    fields: [
      { label: 'Time zone', value: `${zone.zone} (${zone.source})` },
      { label: 'Working hours', value: u?.workStartMin !== undefined && u.workEndMin !== undefined ? `Mon–Fri ${formatMinuteOfDay(u.workStartMin)}–${formatMinuteOfDay(u.workEndMin)}` : 'not set: DMs at any time' },
      { label: 'DMs', value: pausedUntil ? `paused until ${formatInZone(pausedUntil, zone.zone)}` : 'on' },
      { label: 'Shout-outs', value: u?.shoutouts ? 'on: team summaries may name you' : 'off: team summaries count you without naming you' },
      { label: 'Exercises you skip', value: skipsLine(deps.catalogue, skipped) },
    ],
    buttons: restoreButtons(deps.catalogue, skipped),
    tone: 'info',
  };
}

export const SETTINGS_COMMAND: CommandSpec = command({
  path: 'settings',
  description: 'Your time zone, working hours and the exercises you skip',
  options: [
    { name: 'timezone', kind: 'text', description: 'IANA time zone, e.g. Europe/Berlin or America/New_York', maxLength: 64, hint: 'zone' },
    { name: 'hours', kind: 'text', description: 'Working hours, e.g. 09:00-17:30, or off', maxLength: 32, hint: '09:00-17:30|off' },
    { name: 'shoutouts', kind: 'text', description: 'on: team summaries may name you; off (the default): only count you', maxLength: 8, hint: 'on|off' },
    { name: 'restore', kind: 'text', description: 'An exercise you skip, to bring back into your sessions', maxLength: 64, hint: 'exercise' },
  ],
  text: 'keyed',
  async run(cmd, deps) {
    const { users } = deps;
    const { timezone, hours, restore, shoutouts } = cmd.command.options;
    if (timezone === undefined && hours === undefined && restore === undefined && shoutouts === undefined) {
      const form = await openForm(deps, cmd, 'settings', 'Or type it: /stretch settings timezone Europe/Berlin, /stretch settings hours 09:00-17:30');
      // The form changes settings; the card beside it shows them, with a Restore button per skipped exercise.
      if (form) return [...form, ephemeral(await settingsCard(deps, cmd))];
    }
    const now = deps.clock.now();
    if (shoutouts !== undefined) return setShoutouts(deps, cmd, shoutouts, timezone !== undefined || hours !== undefined || restore !== undefined);
    if (restore !== undefined) {
      const restored = await restoreSkip(deps, cmd, restore);
      if (!restored.ok) return restored.kind === 'unknown' ? warn('Unknown exercise', restored.message) : info('Not skipped', restored.message);
      return ok('Exercise restored', `${restored.name} is back in your sessions from the next one on.`);
    }
    // Both options can come at once: check both before saving either.
    const parsed = hours !== undefined ? parseHours(hours) : undefined;
    let zoneSaved = '';
    if (timezone !== undefined) {
      if (!timezone || !isValidTimeZone(timezone)) {
        return warn('Unknown time zone', `"${timezone}" is not a time zone I know. Use an IANA name, for example /stretch settings timezone Europe/Berlin.`);
      }
      if (parsed && !parsed.ok) return warn('Could not read those hours', parsed.message);
      await users.setTimezone(cmd, canonicalZone(timezone), now);
      zoneSaved = `Your time zone is now ${canonicalZone(timezone)}.`;
      if (!parsed) return ok('Time zone saved', zoneSaved);
    }
    if (parsed) {
      if (!parsed.ok) return warn('Could not read those hours', parsed.message);
      const both = (title: string, text: string) => (zoneSaved ? ok('Settings saved', `${zoneSaved}\n${text}`) : ok(title, text));
      if ('off' in parsed) {
        await users.setWorkHours(cmd, undefined, now);
        return both('Working hours cleared', 'Break DMs may come at any time.');
      }
      // Pin the zone the hours were meant in, so a later profile change can't shift them silently.
      const zone = await userZone(deps, cmd);
      if (zone.source !== 'your setting') await users.setTimezone(cmd, zone.zone, now);
      await users.setWorkHours(cmd, { startMin: parsed.startMin, endMin: parsed.endMin }, now);
      return both('Working hours saved', `Break DMs only Monday to Friday, ${formatMinuteOfDay(parsed.startMin)}–${formatMinuteOfDay(parsed.endMin)} (${zone.zone}).`);
    }
    return [ephemeral(await settingsCard(deps, cmd))];
  },
});

export const REMIND_COMMANDS: CommandSpec[] = [
  command({
    path: 'remind add',
    description: 'Get a stretch reminder by DM',
    options: whenOptions('weekdays 11:00', 'yours'),
    where: 'chat',
    async run(cmd, deps) {
      if (!cmd.command.options.when) {
        const form = await openForm(deps, cmd, 'remind', 'Or type it: /stretch remind weekdays 11:00 desk');
        if (form) return form;
      }
      const input = await parseScheduleInput(deps, cmd);
      if (!input.ok) return warn('Could not set that reminder', input.message);
      const reminder = await saveSchedule(deps, cmd, input, 'personal');
      return ok(
        `Reminder ${reminder.id} set`,
        `I'll DM you ${input.description} (${reminder.timezone}): ${routineSummary(input.routine)}.\nNext: ${upcoming(reminder.crons, reminder.timezone, reminder.createdAt)}.`,
      );
    },
  }),
  command({
    path: 'remind list',
    description: 'List your stretch reminders',
    where: 'chat',
    async run(cmd, deps) {
      const list = await deps.schedules.listPersonal(cmd);
      if (!list.length) return info('No reminders', 'You have no personal reminders. Add one: /stretch remind weekdays 11:00 desk');
      const now = deps.clock.now();
      return [ephemeral({ title: 'Your reminders', sections: [list.map((s) => scheduleLine(deps, s, now)).join('\n')], tone: 'info' })];
    },
  }),
  command({
    path: 'remind remove',
    description: 'Remove one of your stretch reminders',
    options: [idOption('reminder', '/stretch remind list')],
    where: 'chat',
    async run(cmd, { schedules, clock }) {
      const id = (cmd.command.options.id ?? '').trim().toLowerCase();
      const s = id ? await schedules.get(id) : undefined;
      if (!s || s.kind !== 'personal' || s.platform !== cmd.platform || s.workspaceId !== cmd.workspaceId || s.userId !== cmd.userId) {
        return warn('Unknown reminder', `${id ? `You have no reminder "${id}".` : 'Give the reminder id.'} /stretch remind list shows yours.`);
      }
      await schedules.remove(s.id, clock.now());
      return ok('Reminder removed', `Reminder ${s.id} (${s.whenText}) is gone.`);
    },
  }),
];
