/**
 * What only Slack does with channel break schedules: who counts as an admin (a Slack admin per
 * users.info, or a member of SLACK_ADMIN_USER_IDS), answers in the zone of the user's Slack
 * profile, and the delivery metadata on a prompt. The real app (createApp, real Bolt App over
 * Socket Mode) is driven through the Slack driver; the schedule behaviour both platforms share
 * is tested in test/adapters-schedules.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID, type SlackUserFixture } from './emulators/slack-emulator.js';
import { peek, tick, type User } from './support/drivers/driver.js';
import { SlackDriver } from './support/drivers/slack.js';

const at = (iso: string) => Date.parse(iso);
const d = new SlackDriver({ adminUserIds: ['U0BOB'] });
const emu = d.emu;

/** A Slack user with a profile time zone (users.info), which the bot answers in. */
function profile(f: SlackUserFixture): User {
  emu.users.set(f.id, f);
  return { id: f.id, name: f.name };
}

describe('Slack-only schedule behaviour through the real Bolt app', () => {
  let ada: User;
  let bob: User;
  let alice: User;
  let dora: User;

  beforeAll(async () => {
    await d.start();
    ada = profile({ id: 'U0ADA', name: 'ada', tz: 'Europe/Berlin', is_admin: true }); // Slack admin
    bob = profile({ id: 'U0BOB', name: 'bob', tz: 'America/New_York' }); // not a Slack admin, but in SLACK_ADMIN_USER_IDS
    alice = profile({ id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin' }); // neither
    dora = profile({ id: 'U0DORA', name: 'dora', tz: 'Europe/Berlin' });
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('only admins add schedules: a Slack admin (answered in their zone) and a SLACK_ADMIN_USER_IDS member', async () => {
    const refused = await d.command(alice, 'schedule add weekdays 10:30 desk');
    expect(refused.title).toBe('Admins only');
    expect(refused.text).toContain('Nothing was changed.');
    expect(await peek(d.app, 'SELECT * FROM schedules')).toEqual([]);

    // No zone given: the schedule takes Ada's, from her Slack profile.
    const added = await d.command(ada, 'schedule add weekdays 10:30 desk');
    expect(added.title).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(added.text).toContain('Break prompts weekdays (Mon–Fri) at 10:30 (Europe/Berlin) in this channel');
    expect(await peek(d.app, 'SELECT timezone FROM schedules')).toEqual([{ timezone: 'Europe/Berlin' }]);

    // Bob is no Slack admin (users.info says so) but SLACK_ADMIN_USER_IDS lists him.
    const bobs = await d.command(bob, 'schedule add weekdays 15:00 Europe/Berlin');
    expect(bobs.title).toMatch(/^Schedule [a-z0-9]{6} added$/);
    expect(emu.calls('users.info').find((c) => c.body.user === bob.id)?.response.user).toMatchObject({ is_admin: false, is_owner: false });
    expect(await peek(d.app, 'SELECT COUNT(*) n FROM schedules')).toEqual([{ n: 2 }]);
  });

  it('answers a pause and a snooze in the time zone of the Slack profile', async () => {
    const paused = await d.command(dora, 'pause 1d');
    expect(paused.title).toBe('DMs paused');
    expect(paused.text).toContain('No break DMs until Wed 25 Nov, 10:00 (Europe/Berlin).');

    d.clock.set(at('2026-11-24T09:30:02Z'));
    expect((await tick(d)).drained).toMatchObject({ sent: 1 });
    const [prompt] = d.channelPosts();
    d.clock.set(at('2026-11-24T09:31:00Z'));
    const snoozed = await d.click(bob, prompt!, 'Snooze 10 min');
    expect(snoozed.reply!.text).toContain("I'll DM you this prompt again at Tue 24 Nov, 04:41 (America/New_York).");
  });

  it('marks a channel prompt with its outbox delivery key, so a resend after a crash can find it', async () => {
    const [prompt] = d.channelPosts();
    const [row] = await peek<{ id: number }>(d.app, "SELECT id FROM outbox WHERE kind = 'channel'");
    const raw = prompt!.raw as { channel: string; metadata?: unknown };
    expect(raw.channel).toBe(CHANNEL_ID);
    expect(raw.metadata).toEqual({ event_type: 'stretch_coach_delivery', event_payload: { key: `ob${row!.id}` } });
  });
});
