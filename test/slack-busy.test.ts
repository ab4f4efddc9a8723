/**
 * Break prompts that wait for a meeting to end, through the real Bolt app against the Slack
 * emulator: Do Not Disturb (dnd.teamInfo) and a busy status (kept from users.info and Slack's
 * user_change events) hold a prompt DM in the outbox until they end, if that is inside the person's working day; otherwise it is skipped
 * for the day, with the reason recorded. Checked again each time the DM comes due.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackUserFixture } from './emulators/slack-emulator.js';
import { until } from './support/bot-process.js';
import { readManifest } from './support/slack.js';
import { peek, tick, type User } from './support/drivers/driver.js';
import { SlackDriver } from './support/drivers/slack.js';

const at = (iso: string) => Date.parse(iso);
const sec = (iso: string) => at(iso) / 1000;
const d = new SlackDriver();
const emu = d.emu;

function person(f: Omit<SlackUserFixture, 'name'> & { id: string }): User {
  const name = f.id.slice(2).toLowerCase();
  emu.users.set(f.id, { name, tz: 'Europe/Berlin', ...f });
  return { id: f.id, name };
}
const statusTextOf = async (u: User) => (await peek<{ t: string | null }>(d.app, 'SELECT status_text AS t FROM users WHERE user_id = ?', u.id))[0]?.t;
const outboxOf = (u: User) => peek<{ status: string; detail: string | null; attempts: number }>(d.app, 'SELECT status, detail, attempts FROM outbox WHERE target_id = ?', u.id);

describe('Slack: prompt DMs wait for Do Not Disturb and meetings to end', () => {
  let ada: User, meg: User, ned: User, ola: User, pia: User, rae: User;

  beforeAll(async () => {
    await d.start();
    ada = person({ id: 'U0ADA', is_admin: true });
    // A Do Not Disturb window until 11:00 Berlin.
    meg = person({ id: 'U0MEG', dnd: { start: sec('2026-11-24T09:00:00Z'), end: sec('2026-11-24T10:00:00Z') } });
    // "In a meeting" (Slack's calendar status) until 11:15 Berlin, set before he opted in.
    ned = person({ id: 'U0NED', status: { emoji: ':spiral_calendar_pad:', text: 'In a meeting', expiration: sec('2026-11-24T10:15:00Z') } });
    // A scheduled DND window running past the end of her working day (17:00 Berlin).
    ola = person({ id: 'U0OLA', dnd: { start: sec('2026-11-24T08:00:00Z'), end: sec('2026-11-24T17:30:00Z') } });
    // Free, with a status that is not "busy".
    pia = person({ id: 'U0PIA', status: { emoji: ':coffee:', text: 'Working from a café', expiration: 0 } });
    // Free when she opts in; her meeting starts later (Slack tells the bot with user_change).
    rae = person({ id: 'U0RAE' });
    expect((await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin')).title).toMatch(/added$/);
    for (const u of [meg, ned, ola, pia, rae]) {
      expect((await d.command(u, 'optin')).title).toBe('Opted in');
      expect((await d.command(u, 'settings timezone Europe/Berlin')).title).toBe('Time zone saved');
      expect((await d.command(u, 'settings hours 09:00-17:00')).title).toBe('Working hours saved');
    }
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it("keeps each person's status: looked up when they opt in, then as Slack reports changes", async () => {
    const manifest = readManifest() as unknown as { settings: { event_subscriptions: { bot_events: string[] } }; oauth_config: { scopes: { bot: string[] } } };
    expect(manifest.settings.event_subscriptions.bot_events).toContain('user_change');
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['users:read', 'dnd:read']));
    const statusOf = (u: User) => peek<{ status_emoji: string | null; status_text: string | null; status_expires_at: number | null }>(d.app, 'SELECT status_emoji, status_text, status_expires_at FROM users WHERE user_id = ?', u.id);
    expect(await statusOf(ned)).toEqual([{ status_emoji: ':spiral_calendar_pad:', status_text: 'In a meeting', status_expires_at: at('2026-11-24T10:15:00Z') }]);
    expect(await statusOf(rae)).toEqual([{ status_emoji: null, status_text: null, status_expires_at: null }]);
    await emu.changeStatus(rae.id, { emoji: ':spiral_calendar_pad:', text: 'In a meeting', expiration: sec('2026-11-24T10:20:00Z') });
    await until(async () => ((await statusOf(rae))[0]?.status_text === 'In a meeting' ? true : undefined), 5_000, "Rae's status stored");
    // Someone the bot never met changes status: nothing is stored about them.
    person({ id: 'U0ZED' });
    await emu.changeStatus('U0ZED', { emoji: ':palm_tree:', text: 'Vacationing', expiration: 0 });
    expect(await peek(d.app, 'SELECT user_id FROM users WHERE user_id = ?', 'U0ZED')).toEqual([]);
  });

  it('at 10:30 Berlin DMs only the free person; DND and meetings wait, DND past working hours is skipped', async () => {
    const since = emu.seq;
    d.clock.set(at('2026-11-24T09:30:02Z'));
    expect((await tick(d)).drained).toEqual({ sent: 2, failed: 0, skipped: 1, retried: 0, waiting: 3 });
    expect(d.dms(pia)).toHaveLength(1);
    for (const u of [meg, ned, ola, rae]) expect(d.dms(u), u.name).toEqual([]);
    expect(await outboxOf(meg)).toEqual([{ status: 'pending', detail: 'waiting: do not disturb until 2026-11-24T10:00:00.000Z', attempts: 0 }]);
    expect(await outboxOf(ned)).toEqual([{ status: 'pending', detail: 'waiting: in a meeting until 2026-11-24T10:15:00.000Z', attempts: 0 }]);
    expect(await outboxOf(rae)).toEqual([{ status: 'pending', detail: 'waiting: in a meeting until 2026-11-24T10:20:00.000Z', attempts: 0 }]);
    expect(await outboxOf(ola)).toEqual([{ status: 'skipped', detail: 'busy (do not disturb) until after the working day; skipped for today', attempts: 1 }]);
    // One dnd.teamInfo for everyone due, and no look-up per person: statuses are already known.
    const asked = emu.calls(undefined, since).filter((c) => c.method !== 'chat.postMessage');
    expect(asked.map((c) => c.method)).toEqual(['dnd.teamInfo']);
    expect(String(asked[0]!.body.users).split(',').sort()).toEqual([meg.id, ned.id, ola.id, pia.id, rae.id].sort());
  });

  it('sends nothing while they are still busy', async () => {
    d.clock.set(at('2026-11-24T09:59:30Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 0, waiting: 0 });
    expect(d.dms(meg)).toEqual([]);
  });

  it('DMs Meg once her DND window ends', async () => {
    d.clock.set(at('2026-11-24T10:00:05Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 1, waiting: 0 });
    expect(d.dms(meg).map((m) => m.buttons[0])).toEqual(['Start']);
    expect(d.dms(ned)).toEqual([]);
  });

  it('re-checks Ned when due: his meeting ran over, so he waits again, then gets it', async () => {
    await emu.changeStatus(ned.id, { emoji: ':calendar:', text: 'Meeting', expiration: sec('2026-11-24T11:00:00Z') });
    await until(async () => ((await statusTextOf(ned)) === 'Meeting' ? true : undefined), 5_000, "Ned's new status stored");
    d.clock.set(at('2026-11-24T10:15:05Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 0, waiting: 1 });
    expect(await outboxOf(ned)).toEqual([{ status: 'pending', detail: 'waiting: in a meeting until 2026-11-24T11:00:00.000Z', attempts: 0 }]);
    // Rae cleared her status early: her DM goes out when due, without waiting for 10:20.
    await emu.changeStatus(rae.id, undefined);
    await until(async () => ((await statusTextOf(rae)) === null ? true : undefined), 5_000, "Rae's status cleared");
    d.clock.set(at('2026-11-24T10:20:05Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 1, waiting: 0 });
    expect(d.dms(rae)).toHaveLength(1);
    d.clock.set(at('2026-11-24T11:00:05Z'));
    // The status has expired by now (Slack clears it; an expired one says nothing anyway).
    expect((await tick(d)).drained).toMatchObject({ sent: 1, waiting: 0 });
    expect(d.dms(ned)).toHaveLength(1);
    expect(await outboxOf(ned)).toEqual([{ status: 'sent', detail: null, attempts: 1 }]);
    expect(d.dms(ola)).toEqual([]);
  });
});
