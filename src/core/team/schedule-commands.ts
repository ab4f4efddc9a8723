/** `/stretch schedule add|list|remove|pause|resume`: channel break prompts, admins only for changes. */
import { ephemeral, type Reply } from '../card.js';
import type { IncomingCommand } from '../incoming.js';
import { checkFrequency, formatInZone, nextFiresOf, parseWhen } from '../schedule/when.js';
import { defaultRoutine, info, isAdmin, ok, routineAndZone, userZone, warn, WHEN_EXAMPLES, type Register, type TeamDeps } from './context.js';
import type { Schedule } from './ports.js';
import { routineSummary } from './prompt-views.js';

const NOT_ADMIN = warn(
  'Admins only',
  'Only workspace admins (Slack) or members with Manage Server (Discord) can change break schedules. Nothing was changed.',
);

export function scheduleLine(deps: TeamDeps, s: Schedule, now: number): string {
  const next = s.paused ? 'paused' : nextFiresOf(s.crons, s.timezone, now, 1).map((t) => `next ${formatInZone(t, s.timezone)}`)[0] ?? 'no upcoming time';
  const routine = deps.catalogue.routines.find((r) => r.id === s.routineId);
  return `${s.id} · ${s.whenText} · ${s.timezone} · ${routine?.id ?? s.routineId} · ${next}`;
}

/** Parses `when [routine] [timezone]` for schedules and reminders alike. */
export async function parseScheduleInput(deps: TeamDeps, cmd: IncomingCommand) {
  const o = cmd.command.options;
  const whenText = (o.when ?? o.text ?? '').trim();
  if (!whenText) return { ok: false as const, error: `Tell me when, for example: ${WHEN_EXAMPLES}.` };
  const when = parseWhen(whenText);
  if (!when.ok) return { ok: false as const, error: when.error };
  const extra = routineAndZone(deps.catalogue, when.rest, { routine: o.routine, timezone: o.timezone });
  if (!extra.ok) return { ok: false as const, error: extra.error };
  const tooOften = checkFrequency(when.crons);
  if (tooOften) return { ok: false as const, error: tooOften };
  const zone = extra.timezone ?? (await userZone(deps, cmd)).zone;
  if (!nextFiresOf(when.crons, zone, deps.clock.now(), 1).length) {
    return { ok: false as const, error: `"${whenText}" never happens (no such date in the next five years). Try: ${WHEN_EXAMPLES}.` };
  }
  const consumed = whenText.split(/\s+/).length - when.rest.length;
  return {
    ok: true as const,
    crons: when.crons,
    description: when.description,
    whenText: whenText.split(/\s+/).slice(0, consumed).join(' '),
    routine: extra.routine ?? defaultRoutine(deps.catalogue),
    timezone: zone,
  };
}

type ScheduleInput = Extract<Awaited<ReturnType<typeof parseScheduleInput>>, { ok: true }>;

async function newScheduleId(deps: TeamDeps): Promise<string> {
  for (;;) {
    const id = deps.newId().slice(0, 6);
    if (!(await deps.schedules.idTaken(id))) return id;
  }
}

/** Stores a channel schedule or personal reminder, with its first due time for the sweep. */
export async function saveSchedule(deps: TeamDeps, cmd: IncomingCommand, input: ScheduleInput, kind: Schedule['kind']): Promise<Schedule> {
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
    // The first slot at or after now (slots from updatedAt on fire): the sweep's first due time.
    nextFireAt: nextFiresOf(input.crons, input.timezone, now - 1, 1)[0],
  };
  await deps.users.ensure(cmd, now);
  await deps.schedules.insert(schedule);
  return schedule;
}

export function upcoming(crons: string[], zone: string, now: number): string {
  return nextFiresOf(crons, zone, now, 3).map((t) => formatInZone(t, zone)).join('; ');
}

export function registerScheduleCommands(deps: TeamDeps, register: Register) {
  const { schedules, clock } = deps;

  /**
   * Finds a schedule of this channel by the id a person typed. Scoped to the channel, not the
   * workspace: on Discord every server shares one workspace id.
   */
  const byId = async (cmd: IncomingCommand): Promise<Schedule | Reply[]> => {
    const id = (cmd.command.options.id ?? cmd.command.options.text ?? '').trim().toLowerCase();
    if (!id) return warn('Which schedule?', 'Give the schedule id, for example /stretch schedule remove k3f9a1. /stretch schedule list shows the ids.');
    const s = await schedules.get(id);
    if (!s || s.kind !== 'channel' || s.platform !== cmd.platform || s.workspaceId !== cmd.workspaceId || s.channelId !== cmd.channelId) {
      return warn('Unknown schedule', `There is no schedule "${id}" here. /stretch schedule list shows the ids in this channel.`);
    }
    return s;
  };

  register('schedule add', async (cmd) => {
    if (cmd.isDm) return warn('Use a channel', 'Add break schedules in the channel where the prompts should appear.');
    if (!(await isAdmin(cmd))) return NOT_ADMIN;
    const input = await parseScheduleInput(deps, cmd);
    if (!input.ok) return warn('Could not add that schedule', input.error);
    const schedule = await saveSchedule(deps, cmd, input, 'channel');
    return ok(
      `Schedule ${schedule.id} added`,
      `Break prompts ${input.description} (${schedule.timezone}) in this channel: ${routineSummary(input.routine)}.\n` +
        `Next: ${upcoming(schedule.crons, schedule.timezone, schedule.createdAt)}.\n` +
        'People can /stretch optin to get them by DM as well.',
    );
  }, { chatOnly: true });

  register('schedule list', async (cmd) => {
    const list = await schedules.listForChannel(cmd.platform, cmd.workspaceId, cmd.channelId);
    if (!list.length) return info('No schedules here', 'This channel has no break schedule. An admin can add one: /stretch schedule add weekdays 10:30,15:00');
    const now = clock.now();
    return [ephemeral({ title: 'Break schedules in this channel', sections: [list.map((s) => scheduleLine(deps, s, now)).join('\n')], tone: 'info' })];
  }, { chatOnly: true });

  register('schedule remove', async (cmd) => {
    if (!(await isAdmin(cmd))) return NOT_ADMIN;
    const s = await byId(cmd);
    if (Array.isArray(s)) return s;
    await schedules.remove(s.id, clock.now());
    return ok('Schedule removed', `Schedule ${s.id} (${s.whenText}) is gone; no more prompts from it.`);
  }, { chatOnly: true });

  for (const paused of [true, false]) {
    register(paused ? 'schedule pause' : 'schedule resume', async (cmd) => {
      if (!(await isAdmin(cmd))) return NOT_ADMIN;
      const s = await byId(cmd);
      if (Array.isArray(s)) return s;
      if (s.paused === paused) return info('Nothing to change', `Schedule ${s.id} is already ${paused ? 'paused' : 'running'}.`);
      const now = clock.now();
      await schedules.setPaused(s.id, paused, now, paused ? undefined : nextFiresOf(s.crons, s.timezone, now - 1, 1)[0]);
      return paused
        ? ok('Schedule paused', `Schedule ${s.id} will not post until you /stretch schedule resume ${s.id}.`)
        : ok('Schedule resumed', `Schedule ${s.id} is back on. Next: ${upcoming(s.crons, s.timezone, clock.now())}.`);
    }, { chatOnly: true });
  }
}
