/**
 * Forms instead of syntax on Slack, through the real Bolt app against the emulator: the bare
 * commands open modals (views.open with the interaction's trigger_id), a bad submission is
 * refused next to its fields (response_action: errors) and stores nothing, a good one is
 * stored and confirmed privately in the channel the form came from.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID, headerOf, textOf, type EmulatedMessage } from './emulators/slack-emulator.js';
import { peek, type User } from './support/drivers/driver.js';
import { SlackDriver } from './support/drivers/slack.js';

const d = new SlackDriver();
const emu = d.emu;
type Json = Record<string, any>;

/** `/stretch <text>` that should open a modal: the view Slack opened, with its id. */
async function opensModal(as: User, text: string): Promise<Json> {
  const since = emu.seq;
  await emu.sendSlashCommand({ text, user: as.id });
  const call = await emu.waitForEntry<Extract<(typeof emu.log)[number], { kind: 'api' }>>(since, (e) => e.kind === 'api' && e.method === 'views.open', `a modal for /stretch ${text}`);
  expect(call.response).toMatchObject({ ok: true });
  return call.response.view;
}
const pick = (value: string) => ({ selected_option: { value, text: { type: 'plain_text', text: value } } });
const checks = (...values: string[]) => ({ selected_options: values.map((value) => ({ value, text: { type: 'plain_text', text: value } })) });

/** The private confirmation a submission posts (chat.postEphemeral to the form's channel). */
async function confirmation(since: number, user: User): Promise<EmulatedMessage> {
  const e = await emu.waitForEntry<Extract<(typeof emu.log)[number], { kind: 'api' }>>(since, (x) => x.kind === 'api' && x.method === 'chat.postEphemeral', 'a private confirmation');
  expect(e.response.ok).toBe(true);
  expect(e.body).toMatchObject({ channel: CHANNEL_ID, user: user.id });
  return e.message!;
}

describe('Slack forms: break time, reminder and settings without syntax', () => {
  let ada: User;
  let bea: User;
  beforeAll(async () => {
    await d.start();
    ada = d.user('ada', { admin: true });
    bea = d.user('bea');
    emu.users.set(ada.id, { ...emu.users.get(ada.id)!, tz: 'Europe/Berlin' });
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('opens the break-time modal on a bare /stretch schedule add: routine, weekdays preselected, a time, the admin\'s own zone', async () => {
    const view = await opensModal(ada, 'schedule add');
    expect(view.title.text).toBe('Add a break time');
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: CHANNEL_ID, isDm: false });
    const byId = Object.fromEntries(view.blocks.map((b: Json) => [b.block_id, b.element]));
    expect(byId.routine).toMatchObject({ type: 'static_select', initial_option: { value: 'desk' } });
    expect(byId.days.type).toBe('checkboxes');
    expect(byId.days.initial_options.map((o: Json) => o.value)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(byId.time).toMatchObject({ type: 'timepicker', initial_time: '10:30' });
    expect(byId.timezone).toMatchObject({ type: 'static_select', initial_option: { value: 'Europe/Berlin' } });
  });

  it('refuses an invalid submission next to its fields and stores nothing', async () => {
    const view = await opensModal(ada, 'schedule add');
    const noDays = await emu.submitView(view.id, { routine: pick('desk'), days: { selected_options: [] }, time: {}, timezone: pick('Europe/Berlin') });
    expect(noDays).toEqual({ response_action: 'errors', errors: { days: 'Pick at least one day.', time: 'Pick a time.' } });
    const badZone = await emu.submitView(view.id, { routine: pick('desk'), days: checks('mon'), time: { selected_time: '10:30' }, timezone: pick('Mars/Olympus') });
    expect(badZone.response_action).toBe('errors');
    expect(Object.keys(badZone.errors)).toEqual(['timezone']);
    const badRoutine = await emu.submitView(view.id, { routine: pick('nope'), days: checks('mon'), time: { selected_time: '10:30' }, timezone: pick('UTC') });
    expect(Object.keys(badRoutine.errors)).toEqual(['routine']);
    expect(await peek(d.app, 'SELECT * FROM schedules')).toEqual([]);
  });

  it('stores a valid one, confirms privately with the next three times, and schedule list shows it', async () => {
    const view = await opensModal(ada, 'schedule add');
    const since = emu.seq;
    const ack = await emu.submitView(view.id, { routine: pick('desk'), days: checks('mon', 'wed', 'fri'), time: { selected_time: '09:45' }, timezone: pick('Europe/Berlin') });
    expect(ack).toEqual({});
    const msg = await confirmation(since, ada);
    expect(headerOf(msg)).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(textOf(msg)).toMatch(/Next: [^;]+; [^;]+; [^;.]+\./);
    expect(await peek(d.app, 'SELECT when_text, timezone, routine_id, channel_id FROM schedules')).toEqual([
      { when_text: 'mon,wed,fri 09:45', timezone: 'Europe/Berlin', routine_id: 'desk', channel_id: CHANNEL_ID },
    ]);
    const list = await d.command(ada, 'schedule list');
    expect(list.text).toContain('mon,wed,fri 09:45 · Europe/Berlin · desk');
    expect(list.buttons).toEqual(['Add a break time']);
    // The list's button opens the same modal.
    const before = emu.calls('views.open').length;
    const clicked = emu.sendBlockAction((list as unknown as { raw: never }).raw, 'Add a break time', { user: ada.id });
    await clicked;
    await emu.waitFor(() => (emu.calls('views.open').length > before ? true : undefined), 5_000, 'views.open from the list button');
    expect(emu.calls('views.open').at(-1)!.response.ok).toBe(true);
  });

  it('gives members no form: the admin gate answers first, and their list has no add button', async () => {
    const before = emu.calls('views.open').length;
    expect((await d.command(bea, 'schedule add')).title).toBe('Admins only');
    expect((await d.command(bea, 'schedule list')).buttons).toEqual([]);
    expect(emu.calls('views.open')).toHaveLength(before);
  });

  it('settings modal: prefilled, refuses backwards hours, saves good ones', async () => {
    const view = await opensModal(bea, 'settings');
    expect(view.title.text).toBe('Your settings');
    const wrong = await emu.submitView(view.id, { timezone: pick('Europe/Berlin'), start: { selected_time: '17:00' }, end: { selected_time: '09:00' } });
    expect(wrong.response_action).toBe('errors');
    expect(Object.keys(wrong.errors)).toEqual(['end']);
    const half = await emu.submitView(view.id, { timezone: pick('Europe/Berlin'), start: { selected_time: '09:00' }, end: {} });
    expect(half.errors).toEqual({ end: 'Give both times, or leave both empty for any time.' });
    expect(await peek(d.app, 'SELECT work_start_min FROM users WHERE user_id = ?', bea.id)).toEqual([]);
    const since = emu.seq;
    expect(await emu.submitView(view.id, { timezone: pick('Europe/Berlin'), start: { selected_time: '09:00' }, end: { selected_time: '17:30' } })).toEqual({});
    expect(headerOf(await confirmation(since, bea))).toBe('Settings saved');
    expect(await peek(d.app, 'SELECT timezone, work_start_min, work_end_min FROM users WHERE user_id = ?', bea.id)).toEqual([{ timezone: 'Europe/Berlin', work_start_min: 540, work_end_min: 1050 }]);
    const again = await opensModal(bea, 'settings');
    const byId = Object.fromEntries(again.blocks.map((b: Json) => [b.block_id, b.element]));
    expect([byId.start.initial_time, byId.end.initial_time, byId.timezone.initial_option.value]).toEqual(['09:00', '17:30', 'Europe/Berlin']);
  });

  it('reminder modal on a bare /stretch remind: refuses a missing time, sets a good one', async () => {
    const view = await opensModal(bea, 'remind');
    expect(view.title.text).toBe('Add a reminder');
    expect((await emu.submitView(view.id, { routine: pick('desk'), days: checks('tue'), time: {}, timezone: pick('UTC') })).errors).toEqual({ time: 'Pick a time.' });
    const since = emu.seq;
    expect(await emu.submitView(view.id, { routine: pick('desk'), days: checks('sat', 'sun'), time: { selected_time: '11:00' }, timezone: pick('UTC') })).toEqual({});
    expect(headerOf(await confirmation(since, bea))).toMatch(/^Reminder [a-z0-9]{6} set$/);
    expect(await peek(d.app, "SELECT when_text, kind FROM schedules WHERE user_id = ? AND kind = 'personal'", bea.id)).toEqual([{ when_text: 'weekends 11:00', kind: 'personal' }]);
    // The typed form keeps working.
    expect((await d.command(bea, 'remind add daily 15:00')).title).toMatch(/^Reminder [a-z0-9]{6} set$/);
  });
});
