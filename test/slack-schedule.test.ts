/**
 * Scheduled break prompts end to end on Slack: the real app (createApp, real Bolt App over
 * Socket Mode) against the Slack emulator, with a fake clock. Time moves by setting the clock
 * and running the minute sweep and the outbox drain by hand, as the timers would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../src/core/action-id.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonLabels,
  buttonsOf,
  CHANNEL_ID,
  headerOf,
  SlackEmulator,
  TEAM_ID,
  textOf,
  type EmulatedMessage,
  type SlackUserFixture,
} from './emulators/slack-emulator.js';
import { createTestCoach, FakeClock, rows as tableRows, sql, type TestCoach } from './support/coach.js';
import { readManifest, slackFlows } from './support/slack.js';

const USERS: SlackUserFixture[] = [
  { id: 'U0ADA', name: 'ada', tz: 'Europe/Berlin', is_admin: true }, // Slack admin
  { id: 'U0BOB', name: 'bob', tz: 'America/New_York' }, // not a Slack admin, but in SLACK_ADMIN_USER_IDS
  { id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin' }, // opts in
  { id: 'U0CARL', name: 'carl', tz: 'Europe/Berlin' }, // opts in, then "Not today"
  { id: 'U0DORA', name: 'dora', tz: 'Europe/Berlin' }, // opts in, pauses DMs for a day
  { id: 'U0EVE', name: 'eve', tz: 'Europe/Berlin' }, // opts in, working hours 13:00-17:00
  { id: 'U0NOEL', name: 'noel', tz: 'Asia/Tokyo' }, // never opts in
];
const dmChannel = (userId: string) => `D${userId.slice(1)}`;
const at = (iso: string) => Date.parse(iso);
const DESK_STEP_1 = 'Neck Rolls (warm-up)';

const dir = mkdtempSync(join(tmpdir(), 'stretch-slack-schedule-'));
const dbPath = join(dir, 'bot.db');
// Tuesday 24 Nov 2026, 09:00 UTC = 10:00 in Berlin (CET, UTC+1).
const clock = new FakeClock(at('2026-11-24T09:00:00Z'));
let emu: SlackEmulator;
let tc: TestCoach;
const { ephemeralReply, clickResponded, clickUpdated } = slackFlows(() => emu);

const env = () => ({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: emu.apiUrl, SLACK_ADMIN_USER_IDS: 'U0BOB' });

async function startApp(): Promise<TestCoach> {
  const t = await createTestCoach({ dbPath, clock, env: env() });
  await t.app.start();
  return t;
}

const rows = (query: Parameters<typeof tableRows>[1]) => tableRows<any>(tc, query);
const posts = (since: number) => emu.calls('chat.postMessage', since);
/** Runs what the timers would at the current fake time: the minute sweep, then the outbox. */
async function tick() {
  const swept = (await tc.app.firing.sweep());
  const drained = await tc.app.outbox.drain();
  return { swept, drained };
}

beforeAll(async () => {
  emu = new SlackEmulator({ users: USERS, botScopes: readManifest().oauth_config.scopes.bot });
  await emu.start();
  tc = await startApp();
  await emu.waitForConnection();
});

afterAll(async () => {
  await tc?.app.stop().catch(() => undefined);
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Slack: channel break schedules through the real Bolt app', () => {
  let scheduleId: string;
  let prompt: EmulatedMessage;
  let fireId: string;
  const optinDms = new Map<string, EmulatedMessage>();

  it('only admins add schedules: a Slack admin (answered in their zone) and a SLACK_ADMIN_USER_IDS member', async () => {
    const refused = await ephemeralReply('schedule add weekdays 10:30 desk', { user: 'U0ALICE' });
    expect(headerOf(refused)).toBe('Admins only');
    expect(textOf(refused)).toContain('Nothing was changed.');
    expect(await rows('SELECT * FROM schedules')).toEqual([]);

    const added = await ephemeralReply('schedule add weekdays 10:30 desk', { user: 'U0ADA' });
    expect(added).toMatchObject({ channel: CHANNEL_ID, ephemeral: true, user: 'U0ADA' });
    scheduleId = /^Schedule ([a-z0-9]{6}) added$/.exec(headerOf(added) ?? '')?.[1] ?? '';
    expect(scheduleId, headerOf(added)).not.toBe('');
    const text = textOf(added);
    expect(text).toContain('Break prompts weekdays (Mon–Fri) at 10:30 (Europe/Berlin) in this channel: Desk break (5 exercises');
    // 10:30 Berlin is still ahead on Tuesday morning (it is 10:00 there).
    expect(text).toContain(
      'Next: Tue 24 Nov, 10:30 (Europe/Berlin); Wed 25 Nov, 10:30 (Europe/Berlin); Thu 26 Nov, 10:30 (Europe/Berlin).',
    );
    expect(await rows('SELECT id, platform, workspace_id, kind, channel_id, user_id, crons, timezone, routine_id FROM schedules')).toEqual([
      { id: scheduleId, platform: 'slack', workspace_id: TEAM_ID, kind: 'channel', channel_id: CHANNEL_ID, user_id: 'U0ADA', crons: '["30 10 * * 1-5"]', timezone: 'Europe/Berlin', routine_id: 'desk' },
    ]);

    // Bob is no Slack admin (users.info says so) but SLACK_ADMIN_USER_IDS lists him.
    expect(emu.calls('users.info').find((c) => c.body.user === 'U0BOB')).toBeUndefined();
    const bobs = await ephemeralReply('schedule add weekdays 15:00 Europe/Berlin', { user: 'U0BOB' });
    expect(headerOf(bobs)).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(textOf(bobs)).toContain('Next: Tue 24 Nov, 15:00 (Europe/Berlin);');
    expect(emu.calls('users.info').find((c) => c.body.user === 'U0BOB')?.response.user).toMatchObject({ is_admin: false, is_owner: false });
    expect(await rows('SELECT COUNT(*) n FROM schedules')).toEqual([{ n: 2 }]);
  });

  it('people opt in, pause and set working hours in the channel', async () => {
    for (const user of ['U0ALICE', 'U0CARL', 'U0DORA', 'U0EVE']) {
      const r = await ephemeralReply('optin', { user });
      expect(headerOf(r)).toBe('Opted in');
      expect(textOf(r)).not.toContain('no break schedule yet');
    }
    expect(headerOf(await ephemeralReply('optin', { user: 'U0ALICE' }))).toBe('Already opted in');

    const paused = await ephemeralReply('pause 1d', { user: 'U0DORA' });
    expect(headerOf(paused)).toBe('DMs paused');
    expect(textOf(paused)).toContain('No break DMs until Wed 25 Nov, 10:00 (Europe/Berlin).');

    const hours = await ephemeralReply('settings hours 13:00-17:00', { user: 'U0EVE' });
    expect(headerOf(hours)).toBe('Working hours saved');
    expect(textOf(hours)).toContain('Monday to Friday, 13:00–17:00 (Europe/Berlin)');

    expect(await rows(sql`SELECT user_id FROM optins WHERE channel_id = ${CHANNEL_ID} ORDER BY user_id`)).toEqual(
      ['U0ALICE', 'U0CARL', 'U0DORA', 'U0EVE'].map((user_id) => ({ user_id })),
    );
  });

  it('at 10:30 Berlin: one channel prompt with four buttons, DMs only to opted-in, unpaused, in-hours users', async () => {
    // Nothing is due before the slot.
    clock.set(at('2026-11-24T09:29:59Z'));
    let since = emu.seq;
    expect((await tick()).drained).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.calls(undefined, since)).toEqual([]);

    clock.set(at('2026-11-24T09:30:02Z'));
    since = emu.seq;
    const { swept, drained } = await tick();
    expect(swept).toEqual({ queued: 1, missed: 0, 'already-recorded': 0, 'not-due': 1 });
    expect(drained).toEqual({ sent: 3, failed: 0, skipped: 2, retried: 0 });

    const fires = (await rows('SELECT id, schedule_id, channel_id, routine_id, fire_at, status FROM fires')) as { id: string }[];
    expect(fires).toEqual([{ id: expect.any(String), schedule_id: scheduleId, channel_id: CHANNEL_ID, routine_id: 'desk', fire_at: at('2026-11-24T09:30:00Z'), status: 'queued' }]);
    fireId = fires[0]!.id;

    const toChannel = posts(since).filter((c) => c.body.channel === CHANNEL_ID);
    expect(toChannel).toHaveLength(1);
    expect(toChannel[0]!.response.ok).toBe(true);
    prompt = toChannel[0]!.message!;
    expect(prompt).toMatchObject({ channel: CHANNEL_ID, ephemeral: false, version: 0 });
    expect(headerOf(prompt)).toBe('🧘 Stretch break');
    expect(textOf(prompt)).toContain('Time to stand up and stretch: Desk break (5 exercises');
    expect(buttonLabels(prompt)).toEqual(['Start in DM', 'Join', 'Snooze 10 min', 'Not today']);
    expect(buttonsOf(prompt).map((b) => decodeAction(b.action_id))).toEqual(
      (['dm', 'join', 'snooze', 'skipday'] as const).map((verb) => ({ kind: 'prompt', promptId: fireId, verb })),
    );
    const channelRow = (await rows("SELECT id FROM outbox WHERE kind = 'channel'"))[0] as { id: number };
    expect(prompt.metadata).toEqual({ event_type: 'stretch_coach_delivery', event_payload: { key: `ob${channelRow.id}` } });

    // DMs: conversations.open + chat.postMessage for Alice and Carl only.
    expect(emu.calls('conversations.open', since).map((c) => c.body.users).sort()).toEqual(['U0ALICE', 'U0CARL']);
    const dms = posts(since).filter((c) => c.body.channel !== CHANNEL_ID);
    expect(dms.map((c) => c.body.channel).sort()).toEqual([dmChannel('U0ALICE'), dmChannel('U0CARL')]);
    for (const c of dms) {
      const m = c.message!;
      expect(c.response.ok).toBe(true);
      expect(headerOf(m)).toBe('🧘 Stretch break');
      expect(textOf(m)).toContain('Time for a stretch break: Desk break');
      expect(buttonLabels(m)).toEqual(['Start', 'Snooze 10 min', 'Not today']);
      expect(buttonsOf(m).map((b) => decodeAction(b.action_id))).toEqual(
        (['join', 'snooze', 'skipday'] as const).map((verb) => ({ kind: 'prompt', promptId: fireId, verb })),
      );
      optinDms.set(c.body.channel as string, m);
    }
    for (const user of ['U0DORA', 'U0EVE', 'U0NOEL', 'U0ADA', 'U0BOB']) {
      expect(emu.calls(undefined, since).filter((c) => c.body.channel === dmChannel(user) || c.body.users === user)).toEqual([]);
    }

    // The outbox says what happened to each, and why.
    expect(await rows('SELECT kind, target_id, reason, status, detail FROM outbox ORDER BY id')).toEqual([
      { kind: 'channel', target_id: CHANNEL_ID, reason: 'prompt', status: 'sent', detail: null },
      { kind: 'dm', target_id: 'U0ALICE', reason: 'optin', status: 'sent', detail: null },
      { kind: 'dm', target_id: 'U0CARL', reason: 'optin', status: 'sent', detail: null },
      { kind: 'dm', target_id: 'U0DORA', reason: 'optin', status: 'skipped', detail: 'paused' },
      { kind: 'dm', target_id: 'U0EVE', reason: 'optin', status: 'skipped', detail: 'outside working hours' },
    ]);
  });

  it('a second sweep in the same minute posts nothing more', async () => {
    clock.set(at('2026-11-24T09:30:40Z'));
    const since = emu.seq;
    const { swept, drained } = await tick();
    expect(swept).toEqual({ queued: 0, missed: 0, 'already-recorded': 1, 'not-due': 1 });
    expect(drained).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.calls(undefined, since)).toEqual([]);
    expect(await rows('SELECT COUNT(*) n FROM outbox')).toEqual([{ n: 5 }]);
  });

  it('a restart in the same minute (same database, new Socket Mode connection) posts nothing more', async () => {
    await tc.app.stop();
    await emu.waitFor(() => (emu.openSockets === 0 ? true : undefined), 5_000, 'the old connection to close');
    clock.set(at('2026-11-24T09:30:55Z'));
    tc = await startApp();
    await emu.waitFor(() => (emu.connections === 2 && emu.openSockets === 1 ? true : undefined), 5_000, 'a new connection');
    const since = emu.seq;
    const { swept, drained } = await tick();
    expect(swept).toEqual({ queued: 0, missed: 0, 'already-recorded': 1, 'not-due': 1 });
    expect(drained).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.calls(undefined, since)).toEqual([]);
    expect(await rows('SELECT COUNT(*) n FROM fires')).toEqual([{ n: 1 }]);
  });

  it('Start in DM sends step 1 of the routine as a DM and tells the clicker so, leaving the prompt alone', async () => {
    clock.set(at('2026-11-24T09:31:00Z'));
    const since = emu.seq;
    const note = await clickResponded(prompt, 'Start in DM', { user: 'U0NOEL' });
    expect(note.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(note.message).toMatchObject({ channel: CHANNEL_ID, ephemeral: true, user: 'U0NOEL' });
    expect(headerOf(note.message!)).toBe('Check your DMs');
    expect(emu.calls('conversations.open', since).map((c) => c.body.users)).toEqual(['U0NOEL']);
    const dm = posts(since);
    expect(dm.map((c) => c.body.channel)).toEqual([dmChannel('U0NOEL')]);
    expect(headerOf(dm[0]!.message!)).toBe(DESK_STEP_1);
    expect(textOf(dm[0]!.message!)).toContain('Step 1 of 5');
    expect(prompt.version).toBe(0);
  });

  it('Join starts the routine for the clicker only, as an ephemeral step 1 via response_url', async () => {
    const since = emu.seq;
    const join = await clickResponded(prompt, 'Join', { user: 'U0BOB' });
    expect(join.status).toBe(200);
    expect(join.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(join.message).toMatchObject({ channel: CHANNEL_ID, ephemeral: true, user: 'U0BOB' });
    expect(headerOf(join.message!)).toBe(DESK_STEP_1);
    expect(textOf(join.message!)).toContain('Step 1 of 5');
    // The channel prompt stays for everyone else.
    expect(prompt.version).toBe(0);
    expect(headerOf(prompt)).toBe('🧘 Stretch break');
    expect(emu.calls('chat.update', since)).toEqual([]);
    expect(posts(since)).toEqual([]);
  });

  it('Snooze confirms, sends nothing for 10 minutes, then one DM; Not today drops a later DM that day', async () => {
    const since = emu.seq;
    const snoozed = await clickResponded(prompt, 'Snooze 10 min', { user: 'U0BOB' });
    expect(snoozed.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerOf(snoozed.message!)).toBe('Snoozed');
    expect(textOf(snoozed.message!)).toContain("I'll DM you this prompt again at Tue 24 Nov, 04:41 (America/New_York).");

    // Carl snoozes too, then says "Not today": his snoozed copy must not arrive.
    expect(headerOf((await clickResponded(prompt, 'Snooze 10 min', { user: 'U0CARL' })).message!)).toBe('Snoozed');
    const notToday = await clickResponded(prompt, 'Not today', { user: 'U0CARL' });
    expect(notToday.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerOf(notToday.message!)).toBe('Not today');
    expect(textOf(notToday.message!)).toContain('No more break prompts from this channel for you today.');
    expect(prompt.version).toBe(0);
    expect(posts(since)).toEqual([]);

    clock.set(at('2026-11-24T09:40:59Z'));
    let before = emu.seq;
    expect((await tick()).drained).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.calls(undefined, before)).toEqual([]);

    clock.set(at('2026-11-24T09:41:00Z'));
    before = emu.seq;
    expect((await tick()).drained).toEqual({ sent: 1, failed: 0, skipped: 1, retried: 0 });
    const dm = posts(before);
    expect(dm.map((c) => c.body.channel)).toEqual([dmChannel('U0BOB')]);
    expect(headerOf(dm[0]!.message!)).toBe('🧘 Stretch break');
    expect(buttonLabels(dm[0]!.message!)).toEqual(['Start', 'Snooze 10 min', 'Not today']);
    expect(await rows("SELECT target_id, status, detail, not_before FROM outbox WHERE reason = 'snooze' ORDER BY target_id")).toEqual([
      { target_id: 'U0BOB', status: 'sent', detail: null, not_before: at('2026-11-24T09:41:00Z') },
      { target_id: 'U0CARL', status: 'skipped', detail: 'not today', not_before: at('2026-11-24T09:41:00Z') },
    ]);
    // A snooze is one DM, not a repeating one.
    clock.set(at('2026-11-24T09:52:00Z'));
    before = emu.seq;
    expect((await tick()).drained).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0 });
    expect(emu.calls(undefined, before)).toEqual([]);
  });

  it("a DM prompt's Start button turns that DM into step 1 with chat.update (even one sent before the restart)", async () => {
    const aliceDm = optinDms.get(dmChannel('U0ALICE'))!;
    const since = emu.seq;
    const update = await clickUpdated(aliceDm, 'Start', { user: 'U0ALICE' });
    expect(update.response.ok).toBe(true);
    expect(update.body).toMatchObject({ channel: dmChannel('U0ALICE'), ts: aliceDm.ts });
    expect(update.message).toBe(aliceDm);
    expect(aliceDm.version).toBe(1);
    expect(headerOf(aliceDm)).toBe(DESK_STEP_1);
    expect(textOf(aliceDm)).toContain('Step 1 of 5');
    expect(buttonLabels(aliceDm)).toContain('Next');
    expect(posts(since)).toEqual([]);
  });

  it("later that day, the 15:00 schedule's opt-in DM skips Carl (Not today) but reaches Eve (in her hours)", async () => {
    clock.set(at('2026-11-24T14:00:01Z'));
    const since = emu.seq;
    const { swept, drained } = await tick();
    expect(swept).toEqual({ queued: 1, missed: 0, 'already-recorded': 1, 'not-due': 0 });
    expect(drained).toEqual({ sent: 3, failed: 0, skipped: 2, retried: 0 });
    expect(posts(since).map((c) => c.body.channel).sort()).toEqual([CHANNEL_ID, dmChannel('U0ALICE'), dmChannel('U0EVE')].sort());
    expect(
      (await rows(sql`SELECT o.target_id, o.status, o.detail FROM outbox o JOIN fires f ON f.id = o.fire_id WHERE f.fire_at = ${at('2026-11-24T14:00:00Z')} AND o.kind = 'dm' ORDER BY o.id`)),
    ).toEqual([
      { target_id: 'U0ALICE', status: 'sent', detail: null },
      { target_id: 'U0CARL', status: 'skipped', detail: 'not today' },
      { target_id: 'U0DORA', status: 'skipped', detail: 'paused' },
      { target_id: 'U0EVE', status: 'sent', detail: null },
    ]);
  });
});
