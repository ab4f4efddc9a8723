/** `/stretch schedule add|list|remove|pause|resume`: channel break prompts; admins change them. */
import { ephemeral, type Reply } from '../card.js';
import { command, routineOption, type CommandSpec, type GroupSpec, type OptionSpec } from '../commands/spec.js';
import type { CoreDeps } from '../deps.js';
import { openForm } from '../forms/build.js';
import { encodeAction } from '../action-id.js';
import type { IncomingCommand } from '../incoming.js';
import { info, ok, warn } from '../replies.js';
import { formatInZone, nextFiresOf } from '../schedule/when.js';
import type { Schedule } from './ports.js';
import { routineSummary } from './prompt-views.js';
import { parseScheduleInput, type ScheduleInput } from './schedule-input.js';

export const SCHEDULE_GROUP: GroupSpec = { name: 'schedule', description: 'Stretch break prompts for this channel (admins)', bare: 'list' };

export function scheduleLine(deps: CoreDeps, s: Schedule, now: number): string {
  const next = s.paused ? 'paused' : nextFiresOf(s.crons, s.timezone, now, 1).map((t) => `next ${formatInZone(t, s.timezone)}`)[0] ?? 'no upcoming time';
  const routine = deps.catalogue.routines.find((r) => r.id === s.routineId);
  return `${s.id} · ${s.whenText} · ${s.timezone} · ${routine?.id ?? s.routineId} · ${next}`;
}

async function newScheduleId(deps: CoreDeps): Promise<string> {
  for (;;) {
    const id = deps.newId().slice(0, 6);
    if (!(await deps.schedules.idTaken(id))) return id;
  }
}

/** Stores a channel schedule or a personal reminder, with its first due time for the sweep. */
export async function saveSchedule(deps: CoreDeps, cmd: IncomingCommand, input: ScheduleInput, kind: Schedule['kind']): Promise<Schedule> {
  const now = deps.clock.now();
  const schedule: Schedule = {
    id: await newScheduleId(deps),
    platform: cmd.platform,
    workspaceId: cmd.workspaceId,
    kind,
    channelId: cmd.channelId,
    userId: cmd.userId,
    whenText: input.whenText,
    crons: input.crons,
    timezone: input.timezone,
    routineId: input.routine.id,
    paused: false,
    createdAt: now,
    updatedAt: now,
    nextFireAt: firstSlotFrom(input.crons, input.timezone, now),
  };
  await deps.users.ensure(cmd, now);
  await deps.schedules.insert(schedule);
  return schedule;
}

/** The first slot at or after `now` (a slot exactly at `now` still fires): the sweep's next due time. */
const firstSlotFrom = (crons: string[], zone: string, now: number): number | undefined => nextFiresOf(crons, zone, now - 1, 1)[0];

export function upcoming(crons: string[], zone: string, now: number): string {
  return nextFiresOf(crons, zone, now, 3).map((t) => formatInZone(t, zone)).join('; ');
}

/** The `when [routine] [timezone]` options shared by schedules and reminders. */
export const whenOptions = (example: string, zoneDefault: string): OptionSpec[] => [
  // Optional: without it, platforms that can show forms open one instead.
  { name: 'when', kind: 'text', description: `When, e.g. ${example} (leave out for a form)`, maxLength: 100 },
  routineOption('Which routine (default: desk)'),
  { name: 'timezone', kind: 'text', description: `IANA time zone, e.g. Europe/Berlin (default: ${zoneDefault})`, maxLength: 64 },
];

export const idOption = (what: string, list: string): OptionSpec => ({
  name: 'id',
  kind: 'text',
  description: `The ${what} id (see ${list})`,
  required: true,
  maxLength: 64,
});

/**
 * Finds a schedule of this channel by the id a person typed. Scoped to the channel, not the
 * workspace: a platform may give every server one workspace id.
 */
async function channelSchedule(deps: CoreDeps, cmd: IncomingCommand): Promise<Schedule | Reply[]> {
  const id = (cmd.command.options.id ?? '').trim().toLowerCase();
  if (!id) return warn('Which schedule?', 'Give the schedule id, for example /stretch schedule remove k3f9a1. /stretch schedule list shows the ids.');
  const s = await deps.schedules.get(id);
  if (!s || s.kind !== 'channel' || s.platform !== cmd.platform || s.workspaceId !== cmd.workspaceId || s.channelId !== cmd.channelId) {
    return warn('Unknown schedule', `There is no schedule "${id}" here. /stretch schedule list shows the ids in this channel.`);
  }
  return s;
}

/** An admin's change to one schedule of this channel, named by the id they typed. */
const scheduleChange = (path: string, description: string, change: (s: Schedule, deps: CoreDeps) => Promise<Reply[]>): CommandSpec =>
  command({
    path,
    description,
    options: [idOption('schedule', '/stretch schedule list')],
    access: 'admins',
    where: 'chat',
    async run(cmd, deps) {
      const s = await channelSchedule(deps, cmd);
      return Array.isArray(s) ? s : change(s, deps);
    },
  });

const pauseOrResume = (paused: boolean): CommandSpec =>
  scheduleChange(
    paused ? 'schedule pause' : 'schedule resume',
    paused ? 'Pause a stretch break prompt' : 'Resume a paused stretch break prompt',
    async (s, deps) => {
      if (s.paused === paused) return info('Nothing to change', `Schedule ${s.id} is already ${paused ? 'paused' : 'running'}.`);
      const now = deps.clock.now();
      await deps.schedules.setPaused(s.id, paused, now, paused ? undefined : firstSlotFrom(s.crons, s.timezone, now));
      return paused
        ? ok('Schedule paused', `Schedule ${s.id} will not post until you /stretch schedule resume ${s.id}.`)
        : ok('Schedule resumed', `Schedule ${s.id} is back on. Next: ${upcoming(s.crons, s.timezone, now)}.`);
    },
  );

export const SCHEDULE_COMMANDS: CommandSpec[] = [
  command({
    path: 'schedule add',
    description: 'Add a stretch break prompt to this channel',
    options: whenOptions('weekdays 10:30', 'yours, else the bot default'),
    access: 'admins',
    where: 'chat',
    async run(cmd, deps) {
      if (cmd.isDm) return warn('Use a channel', 'Add break schedules in the channel where the prompts should appear.');
      if (!cmd.command.options.when) {
        const form = await openForm(deps, cmd, 'schedule', 'Or type it: /stretch schedule add weekdays 10:30 desk');
        if (form) return form;
      }
      const input = await parseScheduleInput(deps, cmd);
      if (!input.ok) return warn('Could not add that schedule', input.message);
      const schedule = await saveSchedule(deps, cmd, input, 'channel');
      return ok(
        `Schedule ${schedule.id} added`,
        `Break prompts ${input.description} (${schedule.timezone}) in this channel: ${routineSummary(input.routine)}.\n` +
          `Next: ${upcoming(schedule.crons, schedule.timezone, schedule.createdAt)}.\n` +
          'People can /stretch optin to get them by DM as well.',
      );
    },
  }),
  command({
    path: 'schedule list',
    description: "List this channel's stretch break prompts",
    where: 'chat',
    async run(cmd, deps) {
      const list = await deps.schedules.listForChannel(cmd.platform, cmd.workspaceId, cmd.channelId);
      const canAdd = cmd.caps?.forms?.includes('schedule') && (await cmd.profile?.())?.isAdmin;
      const buttons = canAdd ? [{ id: encodeAction({ kind: 'form', form: 'schedule' }), label: 'Add a break time', style: 'primary' as const }] : undefined;
      if (!list.length) {
        return [ephemeral({ title: 'No schedules here', sections: ['This channel has no break schedule. An admin can add one: /stretch schedule add weekdays 10:30,15:00'], tone: 'info', buttons })];
      }
      const now = deps.clock.now();
      return [ephemeral({ title: 'Break schedules in this channel', sections: [list.map((s) => scheduleLine(deps, s, now)).join('\n')], tone: 'info', buttons })];
    },
  }),
  scheduleChange('schedule remove', 'Remove a stretch break prompt', async (s, deps) => {
    await deps.schedules.remove(s.id, deps.clock.now());
    return ok('Schedule removed', `Schedule ${s.id} (${s.whenText}) is gone; no more prompts from it.`);
  }),
  pauseOrResume(true),
  pauseOrResume(false),
];
