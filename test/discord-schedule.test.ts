/**
 * What only Discord does with channel break schedules: the Administrator permission and the
 * `/stretch-schedule` command, a settings command carrying both options at once, and how
 * prompts go over the wire (nonces, no mentions, button styles). The app is built by
 * createApp from DISCORD_* variables and driven through the Discord driver; the schedule
 * behaviour both platforms share is tested in test/adapters-schedules.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../src/adapters/discord/transport.js';
import { PERMISSIONS, type EmuUser, type RecordedRequest } from './emulators/discord-emulator.js';
import { body, buttonsOf, title } from './support/discord.js';
import { DiscordDriver } from './support/drivers/discord.js';
import { peek, tick } from './support/drivers/driver.js';

const EPHEMERAL = 64;
const at = (iso: string) => Date.parse(iso);
/** 10:30 Berlin on Tuesday 24 Nov 2026. */
const FIRE = at('2026-11-24T09:30:00Z');

const d = new DiscordDriver();
const emu = d.emu;
const adapter = () => d.app.adapters.find((a) => a.name === 'discord') as DiscordAdapter;

const schedule = (user: EmuUser, sub: string, options: Record<string, string>, permissions: string, command?: string) =>
  command ? emu.slash({ user, permissions, command, sub, options }) : emu.slash({ user, permissions, group: 'schedule', sub, options });
const postsTo = (channelId: string | undefined, from: number): RecordedRequest[] =>
  emu.requests.slice(from).filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);

describe('Discord-only schedule behaviour through the emulator', () => {
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(async () => {
    const client = adapter().client;
    // app.stop() destroys the discord.js Client and closes the database.
    await d.stop();
    expect(client.isReady()).toBe(false);
  });

  it('logs in with the real client built from DISCORD_* variables', () => {
    expect(adapter().client.isReady()).toBe(true);
    expect(emu.identifies).toHaveLength(1);
  });

  it('an Administrator without Manage Server may manage schedules through /stretch schedule and /stretch-schedule; a member through neither', async () => {
    const member = emu.user('nell');
    for (const r of [
      await schedule(member, 'add', { when: 'weekdays 10:30', routine: 'desk', timezone: 'Europe/Berlin' }, PERMISSIONS.member),
      await schedule(member, 'add', { when: 'weekdays 10:30' }, PERMISSIONS.member, 'stretch-schedule'),
    ]) {
      expect(r.type).toBe(4);
      expect(r.data.flags).toBe(EPHEMERAL);
      expect(title(r.message)).toBe('Admins only');
      expect(body(r.message)).toContain('Manage Server');
    }
    expect(await peek(d.app, 'SELECT id FROM schedules')).toEqual([]);

    const adam = emu.user('adam');
    const added = await schedule(adam, 'add', { when: 'daily 16:00', routine: 'neck' }, PERMISSIONS.administrator, 'stretch-schedule');
    expect(added.data.flags).toBe(EPHEMERAL);
    const id = /^Schedule (\w+) added$/.exec(title(added.message))?.[1];
    expect(id, title(added.message)).toBeDefined();
    expect(body(added.message)).toContain('Next: Tue 24 Nov, 16:00 (UTC)');
    const list = await schedule(adam, 'list', {}, PERMISSIONS.administrator, 'stretch-schedule');
    expect(body(list.message)).toBe(`${id} · daily 16:00 · UTC · neck · next Tue 24 Nov, 16:00 (UTC)`);
    expect(title((await schedule(adam, 'pause', { id: id! }, PERMISSIONS.administrator)).message)).toBe('Schedule paused');
    expect(title((await schedule(adam, 'resume', { id: id! }, PERMISSIONS.administrator, 'stretch-schedule')).message)).toBe('Schedule resumed');
    expect(title((await schedule(adam, 'remove', { id: id! }, PERMISSIONS.administrator)).message)).toBe('Schedule removed');
    expect(await peek(d.app, 'SELECT id FROM schedules WHERE removed_at IS NULL')).toEqual([]);
  });

  it('settings takes a time zone and working hours in one command; a bad one saves neither', async () => {
    const cai = emu.user('cai');
    expect(title((await emu.slash({ user: cai, sub: 'optin' })).message)).toBe('Opted in');
    const bad = await emu.slash({ user: cai, sub: 'settings', options: { timezone: 'Europe/Berlin', hours: '17:00-13:00' } });
    expect(title(bad.message)).toBe('Could not read those hours');
    const caiRow = () => peek(d.app, 'SELECT timezone, work_start_min, work_end_min FROM users WHERE user_id = ?', cai.id);
    expect(await caiRow()).toEqual([{ timezone: null, work_start_min: null, work_end_min: null }]);
    const ok = await emu.slash({ user: cai, sub: 'settings', options: { timezone: 'Europe/Berlin', hours: '13:00-17:00' } });
    expect(ok.data.flags).toBe(EPHEMERAL);
    expect(title(ok.message)).toBe('Settings saved');
    expect(body(ok.message)).toBe('Your time zone is now Europe/Berlin.\nBreak DMs only Monday to Friday, 13:00–17:00 (Europe/Berlin).');
    expect(await caiRow()).toEqual([{ timezone: 'Europe/Berlin', work_start_min: 13 * 60, work_end_min: 17 * 60 }]);
  });

  it('posts a prompt with one embed, no mentions, a nonce and Discord button styles; DMs carry their own nonces', async () => {
    const mona = d.user('mona', { admin: true });
    const [ann, dee] = [d.user('ann'), d.user('dee')];
    expect((await d.command(mona, 'schedule add weekdays 10:30 desk Europe/Berlin')).title).toMatch(/^Schedule \w+ added$/);
    for (const u of [ann, dee]) expect((await d.command(u, 'optin')).title).toBe('Opted in');

    d.clock.set(FIRE);
    const before = emu.requests.length;
    expect((await tick(d)).drained).toEqual({ sent: 3, failed: 0, skipped: 1, retried: 0, waiting: 0 });
    const [post, ...more] = postsTo(emu.channelId, before);
    expect(more).toEqual([]);
    expect(post!.status).toBe(200);
    expect(post!.body).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(post!.body.nonce).toMatch(/^[0-9a-f]{25}$/);
    const prompt = emu.messagesIn(emu.channelId).find((m) => m.interactionId === undefined)!;
    expect(prompt.flags).toBe(0);
    expect(prompt.embeds).toHaveLength(1);
    expect(prompt.embeds[0].footer?.text).toBeTruthy();
    expect(buttonsOf(prompt).map((b) => [b.label, b.style])).toEqual([
      ['Start in DM', 1],
      ['Join', 3],
      ['Snooze 10 min', 2],
      ['Not today', 2],
    ]);

    const nonces = [ann, dee].map((u) => {
      const [dm, ...rest] = postsTo(emu.dmChannelOf(u.id), before);
      expect(rest, u.name).toEqual([]);
      expect(dm!.body.enforce_nonce, u.name).toBe(true);
      expect(dm!.body.nonce, u.name).toMatch(/^[0-9a-f]{25}$/);
      return dm!.body.nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);

    // A snoozed DM is sent the same way.
    d.clock.set(FIRE + 60_000);
    expect((await d.click(ann, d.channelPosts().at(-1)!, 'Snooze 10 min')).reply!.title).toBe('Snoozed');
    d.clock.set(FIRE + 11 * 60_000);
    const later = emu.requests.length;
    expect((await tick(d)).drained).toEqual({ sent: 1, failed: 0, skipped: 0, retried: 0, waiting: 0 });
    const [snoozed] = postsTo(emu.dmChannelOf(ann.id), later);
    expect(snoozed!.body).toMatchObject({ enforce_nonce: true });
    expect(snoozed!.body.nonce).toMatch(/^[0-9a-f]{25}$/);
    expect(snoozed!.body.nonce).not.toBe(nonces[0]);
  });
});
