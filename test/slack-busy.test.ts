/**
 * Break prompts that wait for a meeting to end, through the real Bolt app against the Slack
 * emulator: Do Not Disturb (dnd.info) and a busy status (users.info) hold a prompt DM in the
 * outbox until they end, if that is inside the person's working day; otherwise it is skipped
 * for the day, with the reason recorded. Checked again each time the DM comes due.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackUserFixture } from './emulators/slack-emulator.js';
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
const outboxOf = (u: User) => peek<{ status: string; detail: string | null; attempts: number }>(d.app, 'SELECT status, detail, attempts FROM outbox WHERE target_id = ?', u.id);

describe('Slack: prompt DMs wait for Do Not Disturb and meetings to end', () => {
  let ada: User, meg: User, ned: User, ola: User, pia: User;

  beforeAll(async () => {
    await d.start();
    ada = person({ id: 'U0ADA', is_admin: true });
    // In DND (a manual snooze) until 11:00 Berlin.
    meg = person({ id: 'U0MEG', dnd: { snoozeEnd: sec('2026-11-24T10:00:00Z') } });
    // "In a meeting" (Slack's calendar status) until 11:15 Berlin.
    ned = person({ id: 'U0NED', status: { emoji: ':spiral_calendar_pad:', text: 'In a meeting', expiration: sec('2026-11-24T10:15:00Z') } });
    // A scheduled DND window running past the end of her working day (17:00 Berlin).
    ola = person({ id: 'U0OLA', dnd: { start: sec('2026-11-24T08:00:00Z'), end: sec('2026-11-24T17:30:00Z') } });
    // Free, with a status that is not "busy".
    pia = person({ id: 'U0PIA', status: { emoji: ':coffee:', text: 'Working from a café', expiration: 0 } });
    expect((await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin')).title).toMatch(/added$/);
    for (const u of [meg, ned, ola, pia]) {
      expect((await d.command(u, 'optin')).title).toBe('Opted in');
      expect((await d.command(u, 'settings timezone Europe/Berlin')).title).toBe('Time zone saved');
      expect((await d.command(u, 'settings hours 09:00-17:00')).title).toBe('Working hours saved');
    }
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('at 10:30 Berlin DMs only the free person; DND and a meeting wait, DND past working hours is skipped', async () => {
    d.clock.set(at('2026-11-24T09:30:02Z'));
    expect((await tick(d)).drained).toEqual({ sent: 2, failed: 0, skipped: 1, retried: 0, waiting: 2 });
    expect(d.dms(pia)).toHaveLength(1);
    for (const u of [meg, ned, ola]) expect(d.dms(u), u.name).toEqual([]);
    expect(await outboxOf(meg)).toEqual([{ status: 'pending', detail: 'waiting: do not disturb until 2026-11-24T10:00:00.000Z', attempts: 0 }]);
    expect(await outboxOf(ned)).toEqual([{ status: 'pending', detail: 'waiting: in a meeting until 2026-11-24T10:15:00.000Z', attempts: 0 }]);
    expect(await outboxOf(ola)).toEqual([{ status: 'skipped', detail: 'busy (do not disturb) until after the working day; skipped for today', attempts: 1 }]);
    // The bot asked Slack, per person: DND and the profile status.
    expect(emu.calls('dnd.info').map((c) => c.body.user).sort()).toEqual([meg.id, ned.id, ola.id, pia.id].sort());
  });

  it('sends nothing while they are still busy', async () => {
    d.clock.set(at('2026-11-24T09:59:30Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 0, waiting: 0 });
    expect(d.dms(meg)).toEqual([]);
  });

  it('DMs Meg once her DND ends', async () => {
    // Slack's snooze is over: dnd.info no longer reports it.
    emu.users.set(meg.id, { ...emu.users.get(meg.id)!, dnd: {} });
    d.clock.set(at('2026-11-24T10:00:05Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 1, waiting: 0 });
    expect(d.dms(meg).map((m) => m.buttons[0])).toEqual(['Start']);
    expect(d.dms(ned)).toEqual([]);
  });

  it("re-checks Ned when due: his meeting ran over, so he waits again, then gets it", async () => {
    emu.users.set(ned.id, { ...emu.users.get(ned.id)!, status: { emoji: ':calendar:', text: 'Meeting', expiration: sec('2026-11-24T11:00:00Z') } });
    d.clock.set(at('2026-11-24T10:15:05Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 0, waiting: 1 });
    expect(await outboxOf(ned)).toEqual([{ status: 'pending', detail: 'waiting: in a meeting until 2026-11-24T11:00:00.000Z', attempts: 0 }]);
    d.clock.set(at('2026-11-24T11:00:05Z'));
    // The status has expired by now (Slack clears it; an expired one says nothing anyway).
    expect((await tick(d)).drained).toMatchObject({ sent: 1, waiting: 0 });
    expect(d.dms(ned)).toHaveLength(1);
    expect(await outboxOf(ned)).toEqual([{ status: 'sent', detail: null, attempts: 1 }]);
    expect(d.dms(ola)).toEqual([]);
  });
});
