import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import type { IncomingCommand, UserProfile } from '../src/core/incoming.js';
import { createTestCoach, row, rows } from './support/coach.js';

const admin: UserProfile = { isAdmin: true, timezone: 'Europe/Berlin' };
const member: UserProfile = { isAdmin: false, timezone: 'America/New_York' };
const ctx = (profile: UserProfile, userId = 'U1', extra: Partial<IncomingCommand> = {}) => ({
  platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1', isDm: false, userId, profile: async () => profile, ...extra,
});
const run = async (t: Awaited<ReturnType<typeof createTestCoach>>, text: string, profile = admin, userId = 'U1', extra: Partial<IncomingCommand> = {}) => {
  const replies = await t.coach.handleCommand({ ...ctx(profile, userId, extra), command: parseCommandText(text) });
  expect(replies.length).toBeGreaterThan(0);
  return replies[0]!;
};
const text = (r: Reply) => [r.card.title, ...r.card.sections, ...(r.card.fields ?? []).map((f) => `${f.label}: ${f.value}`)].join('\n');
const count = async (t: Awaited<ReturnType<typeof createTestCoach>>, table: string) => (await row<{ n: number }>(t, `SELECT COUNT(*) n FROM ${table}`))!.n;

describe('schedule commands', () => {
  it('adds a schedule, repeating it in words with its id and the next three times in its zone', async () => {
    const t = await createTestCoach(); // Tue 24 Nov 2026 09:00 UTC = 10:00 Berlin
    const r = await run(t, 'schedule add weekdays 10:30,15:00 full');
    const id = /Schedule (\w+) added/.exec(r.card.title)?.[1];
    expect(id).toBeDefined();
    expect(text(r)).toContain('(Europe/Berlin)');
    expect(text(r)).toContain('Full routine (12 exercises');
    expect(text(r)).toContain('Next: Tue 24 Nov, 10:30 (Europe/Berlin); Tue 24 Nov, 15:00 (Europe/Berlin); Wed 25 Nov, 10:30 (Europe/Berlin)');
    const stored = await row(t, 'SELECT kind, channel_id, crons, timezone, routine_id, paused FROM schedules');
    expect(stored).toEqual({ kind: 'channel', channel_id: 'C1', crons: '["30 10 * * 1-5","0 15 * * 1-5"]', timezone: 'Europe/Berlin', routine_id: 'full', paused: 0 });
  });

  it('takes an explicit zone, a cron line, and Discord-style typed options', async () => {
    const t = await createTestCoach();
    expect(text(await run(t, 'schedule add 30 10 * * 1-5 desk Asia/Kolkata'))).toContain('(Asia/Kolkata)');
    const typed = await t.coach.handleCommand({ ...ctx(admin), platform: 'discord', workspaceId: 'discord', command: { name: 'schedule add', options: { when: 'daily 15:00', routine: 'neck', timezone: 'UTC' } } });
    expect(text(typed[0]!)).toContain('Next: Tue 24 Nov, 15:00 (UTC)');
    expect(await count(t, 'schedules')).toBe(2);
  });

  it('falls back to DEFAULT_TIMEZONE when the platform gives no zone', async () => {
    const t = await createTestCoach({ env: { DEFAULT_TIMEZONE: 'Asia/Tokyo' } });
    expect(text(await run(t, 'schedule add daily 09:00', { isAdmin: true }))).toContain('(Asia/Tokyo)');
  });

  it.each([
    ['schedule add', /Tell me when/],
    ['schedule add at teatime', /daily 15:00/],
    ['schedule add daily 25:00', /daily 15:00/],
    ['schedule add daily 15:00 yoga', /I didn't understand "yoga".*full, desk, neck, floor/],
    ['schedule add daily 15:00 Mars/Base', /I didn't understand "Mars\/Base"/],
    ['schedule add */10 * * * *', /15 minutes/],
    ['schedule add daily 10:00,10:05', /15 minutes/],
  ])('refuses %j with an example and stores nothing', async (input, message) => {
    const t = await createTestCoach();
    const r = await run(t, input);
    expect(r.target).toBe('ephemeral');
    expect(text(r)).toMatch(message);
    expect(await count(t, 'schedules')).toBe(0);
  });

  it("refuses a non-admin's changes and stores nothing", async () => {
    const t = await createTestCoach();
    const r = await run(t, 'schedule add daily 15:00', member, 'U2');
    expect(r.card.title).toBe('Admins only');
    expect(await count(t, 'schedules')).toBe(0);
    await run(t, 'schedule add daily 15:00');
    const id = (await row<{ id: string }>(t, 'SELECT id FROM schedules'))!.id;
    expect((await run(t, `schedule remove ${id}`, member, 'U2')).card.title).toBe('Admins only');
    expect((await run(t, `schedule pause ${id}`, member, 'U2')).card.title).toBe('Admins only');
    expect(await count(t, 'schedules')).toBe(1);
  });

  it('lists, pauses, resumes and removes by id; unknown ids are explained', async () => {
    const t = await createTestCoach();
    await run(t, 'schedule add weekdays 10:30 neck');
    const id = (await row<{ id: string }>(t, 'SELECT id FROM schedules'))!.id;
    expect(text(await run(t, 'schedule list', member, 'U2'))).toContain(`${id} · weekdays 10:30 · Europe/Berlin · neck · next Tue 24 Nov, 10:30 (Europe/Berlin)`);
    expect((await run(t, `schedule pause ${id}`)).card.title).toBe('Schedule paused');
    expect(text(await run(t, 'schedule list'))).toContain(`${id} · weekdays 10:30 · Europe/Berlin · neck · paused`);
    expect((await run(t, `schedule pause ${id}`)).card.title).toBe('Nothing to change');
    expect((await run(t, `schedule resume ${id}`)).card.title).toBe('Schedule resumed');
    expect((await run(t, 'schedule remove nope42')).card.title).toBe('Unknown schedule');
    expect((await run(t, `schedule remove ${id}`)).card.title).toBe('Schedule removed');
    expect((await run(t, 'schedule list')).card.title).toBe('No schedules here');
  });

  it('schedules from another workspace or channel cannot be touched', async () => {
    const t = await createTestCoach();
    await run(t, 'schedule add daily 15:00');
    const id = (await row<{ id: string }>(t, 'SELECT id FROM schedules'))!.id;
    expect((await run(t, `schedule remove ${id}`, admin, 'U1', { workspaceId: 'T2' })).card.title).toBe('Unknown schedule');
    // On Discord every server shares one workspace id: the channel is what scopes a schedule.
    expect((await run(t, `schedule pause ${id}`, admin, 'U1', { channelId: 'C-other-server' })).card.title).toBe('Unknown schedule');
    expect(await row(t, 'SELECT paused, removed_at FROM schedules')).toEqual({ paused: 0, removed_at: null });
  });

  it('refuses a schedule that never happens', async () => {
    const t = await createTestCoach();
    const r = await run(t, 'schedule add 0 9 30 2 *');
    expect(text(r)).toMatch(/"0 9 30 2 \*" never happens/);
    expect(await count(t, 'schedules')).toBe(0);
  });
});

describe('opt-ins, pause, settings, reminders', () => {
  it('opt in and out of a channel', async () => {
    const t = await createTestCoach();
    expect((await run(t, 'optin', member, 'U2')).card.title).toBe('Opted in');
    expect((await run(t, 'optin', member, 'U2')).card.title).toBe('Already opted in');
    expect(await rows(t, 'SELECT channel_id, user_id FROM optins')).toEqual([{ channel_id: 'C1', user_id: 'U2' }]);
    expect((await run(t, 'optin', member, 'U2', { isDm: true, channelId: 'D1' })).card.title).toBe('Use a channel');
    expect((await run(t, 'optout', member, 'U2')).card.title).toBe('Opted out');
    expect((await run(t, 'optout', member, 'U2')).card.title).toBe('Not opted in');
    expect(await count(t, 'optins')).toBe(0);
  });

  it('pause for a duration, until the end of today, and resume early', async () => {
    const t = await createTestCoach();
    const r = await run(t, 'pause 2h', member, 'U2');
    expect(text(r)).toContain('Tue 24 Nov, 06:00 (America/New_York)');
    const pausedUntil = async () => (await row<{ p: number | null }>(t, "SELECT dm_paused_until p FROM users WHERE user_id = 'U2'"))!.p;
    expect(await pausedUntil()).toBe(t.clock.now() + 2 * 3_600_000);
    await run(t, 'pause today', member, 'U2');
    expect(await pausedUntil()).toBe(Date.UTC(2026, 10, 25, 5, 0)); // midnight in New York
    expect((await run(t, 'pause forever', member, 'U2')).card.title).toBe('Could not pause');
    expect((await run(t, 'pause', member, 'U2')).card.title).toBe('Pause for how long?');
    expect((await run(t, 'resume', member, 'U2')).card.title).toBe('DMs back on');
    expect(await pausedUntil()).toBeNull();
    expect((await run(t, 'resume', member, 'U2')).card.title).toBe('Not paused');
  });

  it('settings: show, timezone, hours and hours off; bad values change nothing', async () => {
    const t = await createTestCoach();
    expect(text(await run(t, 'settings', member, 'U2'))).toContain('Time zone: America/New_York (your profile)');
    expect((await run(t, 'settings timezone Mars/Base', member, 'U2')).card.title).toBe('Unknown time zone');
    expect((await run(t, 'settings timezone europe/paris', member, 'U2')).card.title).toBe('Time zone saved');
    expect((await run(t, 'settings hours 17:00-09:00', member, 'U2')).card.title).toBe('Could not read those hours');
    expect(text(await run(t, 'settings hours 09:00-17:30', member, 'U2'))).toContain('Monday to Friday, 09:00–17:30 (Europe/Paris)');
    const shown = text(await run(t, 'settings', member, 'U2'));
    expect(shown).toContain('Time zone: Europe/Paris (your setting)');
    expect(shown).toContain('Working hours: Mon–Fri 09:00–17:30');
    expect((await run(t, 'settings hours off', member, 'U2')).card.title).toBe('Working hours cleared');
    expect(await row(t, "SELECT timezone, work_start_min, work_end_min FROM users WHERE user_id = 'U2'")).toEqual({ timezone: 'Europe/Paris', work_start_min: null, work_end_min: null });
  });

  it('personal reminders: add, list, remove only your own', async () => {
    const t = await createTestCoach();
    const r = await run(t, 'remind weekdays 11:00 desk', member, 'U2');
    const id = /Reminder (\w+) set/.exec(r.card.title)?.[1];
    expect(text(r)).toContain('Next: Tue 24 Nov, 11:00 (America/New_York)');
    expect(text(await run(t, 'remind list', member, 'U2'))).toContain(`${id} · weekdays 11:00 · America/New_York · desk`);
    expect((await run(t, `remind remove ${id}`, member, 'U3')).card.title).toBe('Unknown reminder');
    expect((await run(t, `remind remove ${id}`, member, 'U2')).card.title).toBe('Reminder removed');
    expect((await run(t, 'remind list', member, 'U2')).card.title).toBe('No reminders');
    expect((await run(t, 'remind every now and then', member, 'U2')).card.title).toBe('Could not set that reminder');
  });

  it('the terminal explains that delivery features need a platform', async () => {
    const t = await createTestCoach();
    const r = await t.coach.handleCommand({
      platform: 'terminal', workspaceId: 'local', userId: 'me', channelId: 'terminal', isDm: false,
      caps: { messaging: false, admins: 'nobody' }, profile: async () => ({ isAdmin: true }), command: parseCommandText('schedule add daily 15:00'),
    });
    expect(r[0]!.card.title).toBe('Not available here');
    expect(r[0]!.card.sections.join(' ')).toContain('try /stretch start');
    expect(await count(t, 'schedules')).toBe(0);
  });

  it('group posts one live group session message in the channel (see group-commands.test.ts)', async () => {
    const t = await createTestCoach();
    const replies = await t.coach.handleCommand({ ...ctx(member, 'U2'), command: parseCommandText('group neck') });
    expect(replies.map((r) => r.target)).toEqual(['channel']);
    expect(replies[0]!.card.buttons?.map((b) => b.label)).toEqual(['Join', 'Leave', 'Next', 'Skip', 'Stop']);
    expect(replies[0]!.card.sections[0]).toContain('Neck and shoulders, together');
  });
});
