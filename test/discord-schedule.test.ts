/**
 * Channel break schedules on Discord, end to end: the app as createApp builds it from
 * DISCORD_* variables (real discord.js Client, logged in to the local emulator), a FakeClock
 * and no timers. Time moves only when the test sets the clock and calls firing.sweep() and
 * outbox.drain(); assertions are on what the emulator received over the wire.
 *
 * The steps share one bot, one database and one emulator and run in order: each `it` builds
 * on the state the previous ones left.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../src/adapters/discord/transport.js';
import { DiscordEmulator, PERMISSIONS, type EmuUser, type RecordedRequest, type StoredMessage } from './emulators/discord-emulator.js';
import { body, buttonsOf, dmOpensFor, labels, press as pressButton, title } from './support/discord.js';
import { createTestCoach, FakeClock, rows as tableRows, type TestCoach } from './support/coach.js';

const EPHEMERAL = 64;
const at = (iso: string) => Date.parse(iso);
/** Tuesday. Europe/Berlin is UTC+1 in November, so 10:30 Berlin is 09:30 UTC. */
const START = at('2026-11-24T09:00:00Z');
const FIRE = at('2026-11-24T09:30:00Z');

const emu = new DiscordEmulator();
const clock = new FakeClock(START);
let tc: TestCoach;
let adapter: DiscordAdapter | undefined;

// ── people ────────────────────────────────────────────────────────────────────────────────
const manager = emu.user('mona'); // Manage Server
const administrator = emu.user('adam'); // Administrator only
const member = emu.user('nell'); // neither
const ann = emu.user('ann'); // opted in, no limits → DM
const ben = emu.user('ben'); // opted in, paused for 1d → skipped
const cai = emu.user('cai'); // opted in, Berlin 13:00-17:00 → skipped at 10:30 Berlin
const dee = emu.user('dee'); // opted in, 09:00-17:00 UTC → DM
const eve = emu.user('eve'); // never opts in

// ── helpers ───────────────────────────────────────────────────────────────────────────────
const press = (user: EmuUser, message: StoredMessage, label: string) => pressButton(emu, user, message, label);

const schedule = (user: EmuUser, sub: string, options: Record<string, string> = {}, permissions = PERMISSIONS.manager, command?: string) =>
  command ? emu.slash({ user, permissions, command, sub, options }) : emu.slash({ user, permissions, group: 'schedule', sub, options });
const stretch = (user: EmuUser, sub: string, options: Record<string, string> = {}) => emu.slash({ user, sub, options });

const rows = (query: string) => tableRows<any>(tc, query);
const scheduleCount = async () => (await rows('SELECT COUNT(*) n FROM schedules'))[0].n as number;

const opens = (user: EmuUser) => dmOpensFor(emu, user.id);
const channelPosts = (from = 0) => emu.requests.slice(from).filter((r) => r.method === 'POST' && r.path === `/channels/${emu.channelId}/messages`);
/** What the bot posted in the guild channel itself (not interaction replies, which the emulator also stores there). */
const posted = () => emu.messagesIn(emu.channelId).filter((m) => m.interactionId === undefined);
const dmsIn = (user: EmuUser): StoredMessage[] => {
  const id = emu.dmChannelOf(user.id);
  return id ? emu.messagesIn(id) : [];
};
const dmPosts = (user: EmuUser, from = 0): RecordedRequest[] => {
  const id = emu.dmChannelOf(user.id);
  return id ? emu.requests.slice(from).filter((r) => r.method === 'POST' && r.path === `/channels/${id}/messages`) : [];
};

/** The first exercise of the desk routine, as the session card titles it. */
let step1 = '';
let deskId = '';
let promptMsg: StoredMessage;

describe('Discord channel break schedules through the emulator', () => {
  beforeAll(async () => {
    await emu.start();
    tc = await createTestCoach({
      clock,
      env: { DISCORD_TOKEN: emu.token, DISCORD_APPLICATION_ID: emu.applicationId, DISCORD_API_URL: emu.apiUrl },
    });
    adapter = tc.app.adapters.find((a) => a.name === 'discord') as DiscordAdapter | undefined;
    if (!adapter) throw new Error('createApp did not build a Discord adapter from DISCORD_TOKEN + DISCORD_APPLICATION_ID');
    await tc.app.start();
    const desk = tc.catalogue.routines.find((r) => r.id === 'desk')!;
    const first = tc.catalogue.exercises.get(desk.exerciseIds[0]!)!;
    step1 = `${first.name}${first.kind === 'warm-up' ? ' (warm-up)' : ''}`;
  });

  afterEach(() => {
    // Nothing the bot sent may have been refused the way Discord refuses it.
    expect(emu.rejections.map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.response)}`)).toEqual([]);
  });

  afterAll(async () => {
    // app.stop() destroys the discord.js Client (adapter.stop) and closes the database.
    try {
      if (tc) await tc.app.stop();
    } finally {
      await emu.stop();
    }
    expect(adapter?.client.isReady() ?? false).toBe(false);
  });

  it('logs in with the real client built from DISCORD_* variables', () => {
    expect(adapter!.client.isReady()).toBe(true);
    expect(emu.identifies).toHaveLength(1);
    expect(step1).toBe('Neck Rolls (warm-up)');
  });

  it('refuses schedule changes to a member without Manage Server or Administrator; nothing is stored', async () => {
    for (const r of [
      await schedule(member, 'add', { when: 'weekdays 10:30', routine: 'desk', timezone: 'Europe/Berlin' }, PERMISSIONS.member),
      await schedule(member, 'add', { when: 'weekdays 10:30' }, PERMISSIONS.member, 'stretch-schedule'),
    ]) {
      expect(r.type).toBe(4);
      expect(r.data.flags).toBe(EPHEMERAL);
      expect(title(r.message)).toBe('Manage Server needed');
    }
    expect(await scheduleCount()).toBe(0);
    expect(channelPosts()).toEqual([]);
  });

  it('lets a Manage Server member add weekdays 10:30 desk in Europe/Berlin, answered privately with the next three times', async () => {
    const r = await schedule(manager, 'add', { when: 'weekdays 10:30', routine: 'desk', timezone: 'Europe/Berlin' });
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(r.message!.flags).toBe(EPHEMERAL);
    const id = /^Schedule (\w+) added$/.exec(title(r.message))?.[1];
    expect(id, title(r.message)).toBeDefined();
    deskId = id!;
    const text = body(r.message);
    expect(text).toContain('Break prompts weekdays (Mon–Fri) at 10:30 (Europe/Berlin) in this channel: Desk break (5 exercises');
    expect(text).toContain('Next: Tue 24 Nov, 10:30 (Europe/Berlin); Wed 25 Nov, 10:30 (Europe/Berlin); Thu 26 Nov, 10:30 (Europe/Berlin).');
    expect(await rows('SELECT id, platform, channel_id, user_id, when_text, crons, timezone, routine_id, paused FROM schedules')).toEqual([
      { id: deskId, platform: 'discord', channel_id: emu.channelId, user_id: manager.id, when_text: 'weekdays 10:30', crons: '["30 10 * * 1-5"]', timezone: 'Europe/Berlin', routine_id: 'desk', paused: 0 },
    ]);
    // Answered, not posted: the channel saw nothing.
    expect(channelPosts()).toEqual([]);
  });

  it('lets an Administrator add one too; list, pause, resume and remove work for admins only', async () => {
    const added = await schedule(administrator, 'add', { when: 'daily 16:00', routine: 'neck' }, PERMISSIONS.administrator, 'stretch-schedule');
    expect(added.data.flags).toBe(EPHEMERAL);
    const other = /^Schedule (\w+) added$/.exec(title(added.message))?.[1];
    expect(other, title(added.message)).toBeDefined();
    expect(body(added.message)).toContain('Next: Tue 24 Nov, 16:00 (UTC)');
    expect(await scheduleCount()).toBe(2);

    const list = await schedule(manager, 'list', {}, PERMISSIONS.manager, 'stretch-schedule');
    expect(list.data.flags).toBe(EPHEMERAL);
    expect(title(list.message)).toBe('Break schedules in this channel');
    expect(body(list.message).split('\n')).toEqual([
      `${deskId} · weekdays 10:30 · Europe/Berlin · desk · next Tue 24 Nov, 10:30 (Europe/Berlin)`,
      `${other} · daily 16:00 · UTC · neck · next Tue 24 Nov, 16:00 (UTC)`,
    ]);

    const refused = await schedule(member, 'remove', { id: other! }, PERMISSIONS.member);
    expect(title(refused.message)).toBe('Manage Server needed');

    const paused = await schedule(manager, 'pause', { id: other! });
    expect(paused.data.flags).toBe(EPHEMERAL);
    expect(title(paused.message)).toBe('Schedule paused');
    expect(body((await schedule(administrator, 'list', {}, PERMISSIONS.administrator)).message)).toContain(`${other} · daily 16:00 · UTC · neck · paused`);
    expect(await rows('SELECT id FROM schedules WHERE paused = 0')).toEqual([{ id: deskId }]);

    const resumed = await schedule(administrator, 'resume', { id: other! }, PERMISSIONS.administrator);
    expect(title(resumed.message)).toBe('Schedule resumed');
    expect(body(resumed.message)).toContain('Next: Tue 24 Nov, 16:00 (UTC)');

    const removed = await schedule(manager, 'remove', { id: other! });
    expect(title(removed.message)).toBe('Schedule removed');
    expect(body(removed.message)).toContain(`Schedule ${other} (daily 16:00) is gone`);
    const after = await schedule(manager, 'list', {}, PERMISSIONS.manager, 'stretch-schedule');
    expect(body(after.message).split('\n')).toEqual([`${deskId} · weekdays 10:30 · Europe/Berlin · desk · next Tue 24 Nov, 10:30 (Europe/Berlin)`]);
    expect(await rows('SELECT id FROM schedules WHERE removed_at IS NULL')).toEqual([{ id: deskId }]);
    expect(channelPosts()).toEqual([]);
  });

  it('takes opt-ins, a pause and working hours from members, privately', async () => {
    for (const u of [ann, ben, cai, dee]) {
      const r = await stretch(u, 'optin');
      expect(r.data.flags, u.username).toBe(EPHEMERAL);
      expect(title(r.message), u.username).toBe('Opted in');
    }
    expect(title((await stretch(ann, 'optin')).message)).toBe('Already opted in');

    const pause = await stretch(ben, 'pause', { for: '1d' });
    expect(pause.data.flags).toBe(EPHEMERAL);
    expect(title(pause.message)).toBe('DMs paused');
    expect(body(pause.message)).toContain('No break DMs until Wed 25 Nov, 09:00 (UTC)');

    // Both options in one command, as Discord's settings form allows: a bad one saves neither.
    const bad = await stretch(cai, 'settings', { timezone: 'Europe/Berlin', hours: '17:00-13:00' });
    expect(title(bad.message)).toBe('Could not read those hours');
    expect(await rows(`SELECT timezone, work_start_min FROM users WHERE user_id = '${cai.id}'`)).toEqual([{ timezone: null, work_start_min: null }]);
    const settings = await stretch(cai, 'settings', { timezone: 'Europe/Berlin', hours: '13:00-17:00' });
    expect(settings.data.flags).toBe(EPHEMERAL);
    expect(title(settings.message)).toBe('Settings saved');
    expect(body(settings.message)).toBe('Your time zone is now Europe/Berlin.\nBreak DMs only Monday to Friday, 13:00–17:00 (Europe/Berlin).');
    expect(title((await stretch(dee, 'settings', { hours: '09:00-17:00' })).message)).toBe('Working hours saved');

    expect(await rows("SELECT user_id, timezone, work_start_min, work_end_min, dm_paused_until FROM users WHERE platform = 'discord' ORDER BY user_id")).toEqual(
      expect.arrayContaining([
        { user_id: ben.id, timezone: null, work_start_min: null, work_end_min: null, dm_paused_until: at('2026-11-25T09:00:00Z') },
        { user_id: cai.id, timezone: 'Europe/Berlin', work_start_min: 13 * 60, work_end_min: 17 * 60, dm_paused_until: null },
        { user_id: dee.id, timezone: 'UTC', work_start_min: 9 * 60, work_end_min: 17 * 60, dm_paused_until: null },
      ]),
    );
    expect((await rows("SELECT user_id FROM optins WHERE platform = 'discord' ORDER BY created_at, user_id")).map((r: any) => r.user_id).sort()).toEqual(
      [ann.id, ben.id, cai.id, dee.id].sort(),
    );
    // Nobody has been DMed yet.
    expect(emu.requests.filter((r) => r.path === '/users/@me/channels')).toEqual([]);
  });

  it('sends nothing before 10:30 Berlin', async () => {
    clock.set(FIRE - 60_000);
    const before = emu.requests.length;
    expect((await tc.app.firing.sweep())).toMatchObject({ queued: 0, 'not-due': 1 });
    expect(await tc.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.requests.length).toBe(before);
  });

  it('at 10:30 Berlin posts one prompt with four buttons and DMs only opted-in, unpaused, in-hours members', async () => {
    clock.set(FIRE);
    const before = emu.requests.length;
    expect((await tc.app.firing.sweep())).toMatchObject({ queued: 1 });
    expect(await tc.app.outbox.drain()).toEqual({ sent: 3, failed: 0, skipped: 2, retried: 0 });
    const sent = emu.requests.slice(before);

    // Exactly one channel message, with the embed and the four buttons.
    const posts = channelPosts(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.status).toBe(200);
    const [prompt, ...more] = posted();
    expect(more).toEqual([]);
    promptMsg = prompt!;
    expect(promptMsg.flags).toBe(0);
    expect(promptMsg.embeds).toHaveLength(1);
    expect(title(promptMsg)).toBe('🧘 Stretch break');
    expect(body(promptMsg)).toContain('Time to stand up and stretch: Desk break');
    expect(promptMsg.embeds[0].footer?.text).toBeTruthy();
    expect(buttonsOf(promptMsg).map((b) => [b.label, b.style])).toEqual([
      ['Start in DM', 1],
      ['Join', 3],
      ['Snooze 10 min', 2],
      ['Not today', 2],
    ]);
    expect(posts[0]!.body).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });

    // DMs: one DM channel opened per recipient, then one message each.
    for (const u of [ann, dee]) {
      expect(opens(u).map((r) => r.status), u.username).toEqual([200]);
      const sentDm = dmPosts(u, before);
      expect(sentDm, u.username).toHaveLength(1);
      expect(sentDm[0]!.body.nonce, u.username).toMatch(/^[0-9a-f]{25}$/);
      expect(sentDm[0]!.body.enforce_nonce, u.username).toBe(true);
      const [dm, ...rest] = dmsIn(u);
      expect(rest).toEqual([]);
      expect(title(dm), u.username).toBe('🧘 Stretch break');
      expect(body(dm)).toContain('Time for a stretch break: Desk break');
      expect(labels(dm!)).toEqual(['Start', 'Snooze 10 min', 'Not today']);
    }
    expect(dmPosts(ann, before)[0]!.body.nonce).not.toBe(dmPosts(dee, before)[0]!.body.nonce);
    for (const u of [ben, cai, eve, manager, administrator, member]) {
      expect(opens(u), u.username).toEqual([]);
      expect(emu.dmChannelOf(u.id), u.username).toBeUndefined();
    }
    // Nothing else went over the wire: 1 channel post + 2 opens + 2 DMs.
    expect(sent.map((r) => `${r.method} ${r.path.replace(/\d{15,}/g, ':id')}`).sort()).toEqual([
      'POST /channels/:id/messages',
      'POST /channels/:id/messages',
      'POST /channels/:id/messages',
      'POST /users/@me/channels',
      'POST /users/@me/channels',
    ]);

    // The outbox says why each DM was or was not sent.
    expect(await rows('SELECT fire_at, status FROM fires')).toEqual([{ fire_at: FIRE, status: 'queued' }]);
    const outbox = (await rows("SELECT kind, target_id, reason, status, detail FROM outbox ORDER BY id")) as Array<{ kind: string; target_id: string }>;
    const byTarget = Object.fromEntries(outbox.map((r) => [r.target_id, r]));
    expect(outbox).toHaveLength(5);
    expect(byTarget[emu.channelId]).toEqual({ kind: 'channel', target_id: emu.channelId, reason: 'prompt', status: 'sent', detail: null });
    expect(byTarget[ann.id]).toEqual({ kind: 'dm', target_id: ann.id, reason: 'optin', status: 'sent', detail: null });
    expect(byTarget[ben.id]).toEqual({ kind: 'dm', target_id: ben.id, reason: 'optin', status: 'skipped', detail: 'paused' });
    expect(byTarget[cai.id]).toEqual({ kind: 'dm', target_id: cai.id, reason: 'optin', status: 'skipped', detail: 'outside working hours' });
    expect(byTarget[dee.id]).toEqual({ kind: 'dm', target_id: dee.id, reason: 'optin', status: 'sent', detail: null });
  });

  it('a second sweep and drain in the same minute send nothing more', async () => {
    clock.set(FIRE + 40_000);
    const before = emu.requests.length;
    expect((await tc.app.firing.sweep())).toMatchObject({ queued: 0, 'already-recorded': 1 });
    expect(await tc.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.requests.length).toBe(before);
    expect(await rows('SELECT COUNT(*) n FROM fires')).toEqual([{ n: 1 }]);
  });

  it('Start in DM sends step 1 of the desk routine by DM and confirms privately', async () => {
    const r = await press(eve, promptMsg, 'Start in DM');
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toBe('Check your DMs');
    expect(body(r.message)).toContain('Desk break');
    const [dm, ...rest] = dmsIn(eve);
    expect(rest).toEqual([]);
    expect(title(dm)).toBe(step1);
    expect(body(dm)).toContain('Step 1 of 5');
    expect(labels(dm!)).toContain('Next');
    expect(opens(eve)).toHaveLength(1);
    expect(promptMsg.history).toEqual([]);
  });

  it('Join answers step 1 privately and leaves the channel prompt alone', async () => {
    const r = await press(ann, promptMsg, 'Join');
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(r.message!.id).not.toBe(promptMsg.id);
    expect(title(r.message)).toBe(step1);
    expect(body(r.message)).toContain('Step 1 of 5');
    expect(promptMsg.history).toEqual([]);
    expect(promptMsg.edited_timestamp).toBeNull();
    expect(title(promptMsg)).toBe('🧘 Stretch break');
    expect(dmsIn(ann)).toHaveLength(1);
  });

  it("a DM prompt's Start button turns that DM into step 1 (update, no guild)", async () => {
    const dm = dmsIn(dee)[0]!;
    const r = await press(dee, dm, 'Start');
    expect(r.record.payload.guild_id).toBeUndefined();
    expect(r.record.payload.member).toBeUndefined();
    expect(r.record.payload.channel.type).toBe(1);
    expect(r.type).toBe(7);
    expect(r.message!.id).toBe(dm.id);
    expect(title(dm)).toBe(step1);
    expect(body(dm)).toContain('Step 1 of 5');
    expect(dm.history.map((h) => h.embeds[0].title)).toEqual(['🧘 Stretch break']);
    expect(dmsIn(dee)).toHaveLength(1);
  });

  it('Snooze confirms privately, sends nothing for 10 minutes, then one DM over the cached DM channel', async () => {
    clock.set(FIRE + 60_000); // 09:31 UTC
    const r = await press(ann, promptMsg, 'Snooze 10 min');
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toBe('Snoozed');
    expect(body(r.message)).toContain('again at Tue 24 Nov, 09:41 (UTC)');
    expect(promptMsg.history).toEqual([]);

    const before = emu.requests.length;
    clock.set(FIRE + 10 * 60_000 + 59_999); // 09:40:59.999
    expect((await tc.app.firing.sweep()).queued).toBe(0);
    expect(await tc.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.requests.length).toBe(before);
    expect(dmsIn(ann)).toHaveLength(1);

    clock.set(FIRE + 11 * 60_000); // 09:41
    expect(await tc.app.outbox.drain()).toEqual({ sent: 1, failed: 0, skipped: 0, retried: 0 });
    const sentDm = dmPosts(ann, before);
    expect(sentDm).toHaveLength(1);
    expect(sentDm[0]!.body).toMatchObject({ enforce_nonce: true });
    expect(sentDm[0]!.body.nonce).toMatch(/^[0-9a-f]{25}$/);
    const [, again] = dmsIn(ann);
    expect(title(again)).toBe('🧘 Stretch break');
    expect(labels(again!)).toEqual(['Start', 'Snooze 10 min', 'Not today']);
    expect(opens(ann)).toHaveLength(1);
    expect(await rows(`SELECT reason, status FROM outbox WHERE target_id = '${ann.id}' ORDER BY id`)).toEqual([
      { reason: 'optin', status: 'sent' },
      { reason: 'snooze', status: 'sent' },
    ]);
    // Nothing more later on.
    clock.set(FIRE + 30 * 60_000);
    expect(await tc.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
  });

  it("Not today confirms privately and drops that member's snoozed DM later that day", async () => {
    const snoozed = await press(dee, promptMsg, 'Snooze 10 min');
    expect(title(snoozed.message)).toBe('Snoozed');
    const r = await press(dee, promptMsg, 'Not today');
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toBe('Not today');
    expect(body(r.message)).toContain('No more break prompts from this channel for you today');
    expect(promptMsg.history).toEqual([]);

    const before = emu.requests.length;
    clock.set(FIRE + 45 * 60_000);
    expect(await tc.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 1, retried: 0 });
    expect(emu.requests.length).toBe(before);
    expect(dmsIn(dee)).toHaveLength(1);
    expect(await rows(`SELECT reason, status, detail FROM outbox WHERE target_id = '${dee.id}' ORDER BY id`)).toEqual([
      { reason: 'optin', status: 'sent', detail: null },
      { reason: 'snooze', status: 'skipped', detail: 'not today' },
    ]);
  });

  it('the next weekday fires again: the pause has ended and "Not today" is over', async () => {
    clock.set(at('2026-11-25T09:30:00Z'));
    const before = emu.requests.length;
    expect((await tc.app.firing.sweep())).toMatchObject({ queued: 1 });
    expect(await tc.app.outbox.drain()).toEqual({ sent: 4, failed: 0, skipped: 1, retried: 0 });
    expect(channelPosts(before)).toHaveLength(1);
    expect(posted()).toHaveLength(2);
    for (const u of [ann, ben, dee]) expect(dmPosts(u, before), u.username).toHaveLength(1);
    expect(opens(ben)).toHaveLength(1);
    expect(opens(ann)).toHaveLength(1);
    expect(opens(cai)).toEqual([]);
    expect(await rows(`SELECT status, detail FROM outbox WHERE target_id = '${cai.id}' ORDER BY id`)).toEqual([
      { status: 'skipped', detail: 'outside working hours' },
      { status: 'skipped', detail: 'outside working hours' },
    ]);
  });

  it('acknowledged every interaction once, within 3 s', () => {
    const all = [...emu.interactions.values()];
    expect(all).toHaveLength(26);
    for (const rec of all) {
      expect(rec.callback, `interaction ${rec.id}`).toBeDefined();
      expect(rec.ackMs!).toBeLessThan(3000);
    }
  });
});
