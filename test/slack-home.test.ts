/**
 * The Slack Home tab through the real Bolt app against the emulator: app_home_opened publishes
 * the person's view (views.publish, within 100 blocks), its buttons work from Home (a routine
 * starts in the DM, settings change, forms open) and the view is published again after each.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buttonLabels, headerOf, MAX_VIEW_BLOCKS, textOf } from './emulators/slack-emulator.js';
import { readManifest } from './support/slack.js';
import { peek, type User } from './support/drivers/driver.js';
import { SlackDriver } from './support/drivers/slack.js';

const d = new SlackDriver();
const emu = d.emu;
type Json = Record<string, any>;
type View = Json & { blocks: Json[] };

async function publishedAfter(since: number, user: User): Promise<View> {
  const call = await emu.waitForEntry<Extract<(typeof emu.log)[number], { kind: 'api' }>>(since, (e) => e.kind === 'api' && e.method === 'views.publish' && e.body.user_id === user.id, 'views.publish');
  expect(call.response.ok, JSON.stringify(call.response)).toBe(true);
  return emu.homes.get(user.id)!;
}
async function openHome(user: User): Promise<View> {
  const since = emu.seq;
  await emu.sendAppHomeOpened(user.id);
  return publishedAfter(since, user);
}
async function clickHome(user: User, label: string): Promise<View> {
  const since = emu.seq;
  await emu.sendEnvelope('interactive', emu.homeActionPayload(user.id, label));
  return publishedAfter(since, user);
}
const headers = (view: View) => view.blocks.filter((b: Json) => b.type === 'header').map((b: Json) => b.text.text);

describe('Slack Home tab', () => {
  let hal: User;
  let reminderId: string;
  beforeAll(async () => {
    await d.start();
    hal = d.user('hal');
    expect((await d.command(hal, 'optin')).title).toBe('Opted in');
    reminderId = /^Reminder (\S+) set$/.exec((await d.command(hal, 'remind add weekdays 11:00 desk')).title)![1]!;
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('the manifest enables the Home tab and subscribes to app_home_opened', () => {
    const m = readManifest() as unknown as Json;
    expect(m.features.app_home.home_tab_enabled).toBe(true);
    expect(m.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(m.oauth_config.scopes.bot).toContain('dnd:read');
  });

  it('publishes the week, routines, settings, reminders and channel prompts on app_home_opened', async () => {
    const home = await openHome(hal);
    expect(home.type).toBe('home');
    expect(home.blocks.length).toBeLessThanOrEqual(MAX_VIEW_BLOCKS);
    expect(headers(home)).toEqual(['Your stretching', 'Start a routine in your DMs', 'Your settings', 'Your reminders', 'Channel prompts you get by DM', 'Exercises you skip']);
    expect(buttonLabels(home)).toContain('Turn shout-outs on');
    const text = textOf(home);
    expect(text).toContain('No sessions in the last 7 days yet');
    expect(text).toContain(`${reminderId} · weekdays 11:00`);
    expect(text).toContain(`#${d.channelId}`);
    expect(buttonLabels(home)).toEqual(expect.arrayContaining(['Change settings', 'Pause DMs for today', 'Add a reminder', `Remove ${reminderId}`, `Stop #${d.channelId}`]));
  });

  it('a routine button starts the session in the DM, and the view refreshes', async () => {
    const home = emu.homes.get(hal.id)!;
    const desk = buttonLabels(home).find((l: string) => /desk/i.test(l))!;
    await clickHome(hal, desk);
    const [step] = d.dms(hal);
    expect(step!.title).toMatch(/^1\/|Step|/);
    expect(step!.buttons).toContain('Next');
    expect(await peek(d.app, 'SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?', hal.id)).toEqual([{ n: 1 }]);
  });

  it('pauses and resumes DMs from Home, and the view says so', async () => {
    const paused = await clickHome(hal, 'Pause DMs for today');
    expect(textOf(paused)).toContain('paused until');
    expect(buttonLabels(paused)).toContain('Resume DMs');
    expect((await peek<{ dm_paused_until: number | null }>(d.app, 'SELECT dm_paused_until FROM users WHERE user_id = ?', hal.id))[0]!.dm_paused_until).toBeGreaterThan(d.clock.now());
    const resumed = await clickHome(hal, 'Resume DMs');
    expect(buttonLabels(resumed)).toContain('Pause DMs for today');
  });

  it('opens the settings form from Home; a submission saves and refreshes the view', async () => {
    const since = emu.seq;
    await emu.sendEnvelope('interactive', emu.homeActionPayload(hal.id, 'Change settings'));
    const open = await emu.waitForEntry<Extract<(typeof emu.log)[number], { kind: 'api' }>>(since, (e) => e.kind === 'api' && e.method === 'views.open', 'the settings modal');
    expect(open.response.ok).toBe(true);
    await publishedAfter(since, hal);
    const view = open.response.view;
    const pick = (value: string) => ({ selected_option: { value, text: { type: 'plain_text', text: value } } });
    const at = emu.seq;
    expect(await emu.submitView(view.id, { timezone: pick('Asia/Tokyo'), start: { selected_time: '08:00' }, end: { selected_time: '16:00' } })).toEqual({});
    const home = await publishedAfter(at, hal);
    expect(textOf(home)).toContain('Asia/Tokyo');
    expect(textOf(home)).toContain('Mon–Fri 08:00–16:00');
  });

  it('shows the streak and this week after a routine, the skipped exercises with Restore, and toggles shout-outs', async () => {
    const msg = await d.command(hal, 'start neck');
    await d.click(hal, msg, 'It hurts');
    await d.click(hal, msg, 'Skip it from now on');
    while (msg.buttons.includes('Next')) await d.click(hal, msg, 'Next');
    await d.click(hal, msg, 'Done');
    const home = await openHome(hal);
    expect(textOf(home)).toMatch(/Streak: 1 day \(best 1 day\)/);
    expect(textOf(home)).toContain('This week: M');
    expect(textOf(home)).toContain('Neck Rolls');
    const restored = await clickHome(hal, 'Restore Neck Rolls');
    expect(textOf(restored)).toContain('None. "It hurts"');
    expect(await peek(d.app, 'SELECT * FROM exercise_skips WHERE user_id = ?', hal.id)).toEqual([]);
    const on = await clickHome(hal, 'Turn shout-outs on');
    expect(textOf(on)).toContain('on: team summaries may name you');
    expect(await peek(d.app, 'SELECT shoutouts FROM users WHERE user_id = ?', hal.id)).toEqual([{ shoutouts: 1 }]);
    expect(buttonLabels(await clickHome(hal, 'Turn shout-outs off'))).toContain('Turn shout-outs on');
  });

  it('removes a reminder and stops a channel from Home', async () => {
    const afterRemove = await clickHome(hal, `Remove ${reminderId}`);
    expect(textOf(afterRemove)).toContain('No reminders yet.');
    const afterStop = await clickHome(hal, `Stop #${d.channelId}`);
    expect(textOf(afterStop)).toContain('None. Run /stretch optin');
    expect(await peek(d.app, 'SELECT * FROM optins WHERE user_id = ?', hal.id)).toEqual([]);
    expect(headerOf(afterStop)).toBe('Your stretching');
  });

  it('admins get "Add a break time" on Home: the form asks for the channel, refuses none, adds to the one picked', async () => {
    const ada = d.user('ada', { admin: true });
    const home = await openHome(ada);
    expect(headers(home).at(-1)).toBe('Team break times');
    const since = emu.seq;
    await emu.sendEnvelope('interactive', emu.homeActionPayload(ada.id, 'Add a break time'));
    const open = await emu.waitForEntry<Extract<(typeof emu.log)[number], { kind: 'api' }>>(since, (e) => e.kind === 'api' && e.method === 'views.open', 'the break-time modal');
    expect(open.response.ok, JSON.stringify(open.response)).toBe(true);
    const view = open.response.view;
    expect(view.blocks[0]).toMatchObject({ block_id: 'channel', element: { type: 'conversations_select' } });
    await publishedAfter(since, ada);
    const pick = (value: string) => ({ selected_option: { value, text: { type: 'plain_text', text: value } } });
    const answers = { routine: pick('desk'), days: { selected_options: [{ value: 'mon', text: { type: 'plain_text', text: 'Monday' } }] }, time: { selected_time: '14:00' }, timezone: pick('UTC') };
    expect(await emu.submitView(view.id, { ...answers, channel: {} })).toEqual({ response_action: 'errors', errors: { channel: 'Pick the channel that should get the prompts.' } });
    const at = emu.seq;
    expect(await emu.submitView(view.id, { ...answers, channel: { selected_conversation: d.channelId } })).toEqual({});
    await publishedAfter(at, ada);
    expect(await peek(d.app, 'SELECT channel_id, when_text FROM schedules WHERE kind = ?', 'channel')).toEqual([{ channel_id: d.channelId, when_text: 'mon 14:00' }]);
    // The confirmation is private: in the admin's DM, since Home has no conversation.
    expect(d.dms(ada).map((m) => m.title)).toEqual([expect.stringMatching(/^Schedule [a-z0-9]{6} added$/)]);
  });
});
