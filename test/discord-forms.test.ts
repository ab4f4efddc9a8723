/**
 * Discord modals through the real discord.js client against the emulator: `/stretch schedule
 * add` without `when` opens a modal (response type 9: Labels with selects and text inputs),
 * a bad submission is answered privately with what to fix and stores nothing, a good one is
 * stored; the typed form keeps working.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from './emulators/discord-emulator.js';
import { body, title } from './support/discord.js';
import { DiscordDriver } from './support/drivers/discord.js';
import { peek } from './support/drivers/driver.js';

const EPHEMERAL = 64;
const d = new DiscordDriver();
const emu = d.emu;

describe('Discord: the schedule modal', () => {
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('opens on /stretch schedule add with no when: routine and days as selects, time and zone as text', async () => {
    const adam = emu.user('adam');
    const opened = await emu.slash({ user: adam, permissions: PERMISSIONS.administrator, group: 'schedule', sub: 'add', options: {} });
    expect(opened.type).toBe(9);
    expect(opened.data.title).toBe('Add a break time');
    const parts = opened.data.components.map((l: any) => [l.label, l.component.type, l.component.custom_id]);
    expect(parts).toEqual([
      ['Routine', 3, 'routine'],
      ['Days', 3, 'days'],
      ['Time', 4, 'time'],
      ['Time zone', 4, 'timezone'],
    ]);
    const days = opened.data.components[1].component;
    expect(days.options.filter((o: any) => o.default).map((o: any) => o.value)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(opened.data.components[2].component.value).toBe('10:30');
  });

  it('answers a bad submission privately with what to fix, and stores nothing', async () => {
    const adam = emu.user('adam');
    const opened = await emu.slash({ user: adam, permissions: PERMISSIONS.administrator, group: 'schedule', sub: 'add', options: {} });
    const r = await emu.sendInteraction(emu.submitModalPayload(opened.record, { routine: 'desk', days: ['mon'], time: '25:99', timezone: 'Mars/Olympus' }));
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toBe('Nothing saved yet: please fix this');
    expect(body(r.message)).toMatch(/Time: /);
    const zone = await emu.sendInteraction(emu.submitModalPayload(opened.record, { routine: 'desk', days: ['mon'], time: '10:30', timezone: 'Mars/Olympus' }));
    expect(body(zone.message)).toContain('Time zone: "Mars/Olympus" is not a time zone I know.');
    expect(await peek(d.app, 'SELECT id FROM schedules')).toEqual([]);
  });

  it('stores a good submission in the channel it came from and confirms it privately', async () => {
    const adam = emu.user('adam');
    const opened = await emu.slash({ user: adam, permissions: PERMISSIONS.administrator, group: 'schedule', sub: 'add', options: {} });
    const r = await emu.sendInteraction(emu.submitModalPayload(opened.record, { routine: 'neck', days: ['tue', 'thu'], time: '3:15pm', timezone: 'Europe/Berlin' }));
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(body(r.message)).toContain('Next:');
    expect(await peek(d.app, 'SELECT when_text, routine_id, timezone, channel_id FROM schedules')).toEqual([
      { when_text: 'tue,thu 3:15pm', routine_id: 'neck', timezone: 'Europe/Berlin', channel_id: opened.record.channelId },
    ]);
    // The typed form keeps working.
    const typed = await emu.slash({ user: adam, permissions: PERMISSIONS.administrator, group: 'schedule', sub: 'add', options: { when: 'daily 16:00' } });
    expect(title(typed.message)).toMatch(/^Schedule [a-z0-9]{6} added$/);
  });

  it('gives a member the admin refusal, not a form', async () => {
    const nell = emu.user('nell');
    const r = await emu.slash({ user: nell, permissions: PERMISSIONS.member, group: 'schedule', sub: 'add', options: {} });
    expect(r.type).toBe(4);
    expect(title(r.message)).toBe('Admins only');
  });
});
