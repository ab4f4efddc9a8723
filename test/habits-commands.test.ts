/**
 * /stretch stats, /stretch team, shout-outs and the weekly summary schedule, through the real
 * coach on each database: history comes from routines finished with the buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import type { IncomingCommand, UserProfile } from '../src/core/incoming.js';
import type { Notifier } from '../src/core/notifier.js';
import { createTestCoach, FakeClock, row, rows, type TestCoach } from './support/coach.js';
import { databases, type FreshDatabase } from './support/databases.js';

const text = (r: Reply) => [r.card.title, ...r.card.sections, ...(r.card.fields ?? []).map((f) => `${f.label}: ${f.value}`), r.card.footer ?? ''].join('\n');
const admin: UserProfile = { isAdmin: true, timezone: 'UTC' };

describe.each(databases())('habits on $label', (database) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    if (!database.skip) fresh = await database.create();
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  // Each case gets its own workspace, so one database serves the suite.
  let n = 0;
  async function setup(clock = new FakeClock(Date.parse('2026-11-26T09:00:00Z'))) {
    const posted: Reply['card'][] = [];
    const notifier: Notifier = {
      platform: 'slack',
      postToChannel: async (_w, _c, card) => void posted.push(card),
      sendDm: async () => undefined,
    };
    const t = await createTestCoach({ env: fresh.env, clock, adapters: [{ name: 'slack', notifier, start: async () => undefined, stop: async () => undefined }] });
    const team = `T${++n}`;
    const who = (userId: string, profile: UserProfile = admin, extra: Partial<IncomingCommand> = {}) => ({
      platform: 'slack', workspaceId: team, teamId: team, channelId: 'C1', isDm: false, userId, profile: async () => profile, ...extra,
    });
    const run = async (userId: string, line: string, profile?: UserProfile, extra: Partial<IncomingCommand> = {}) =>
      (await t.coach.handleCommand({ ...who(userId, profile, extra), command: parseCommandText(line) }))[0]!;
    /** Presses the buttons with these labels in turn (the first one found on the latest card). */
    async function press(userId: string, first: Reply, labels: string[]): Promise<Reply> {
      let card = first;
      for (const label of labels) {
        const button = card.card.buttons?.find((b) => b.label === label);
        expect(button, `${label} on ${card.card.title}`).toBeDefined();
        card = (await t.coach.handleAction({ ...who(userId), actionId: button!.id }))[0]!;
      }
      return card;
    }
    const finishNeck = async (userId: string) => press(userId, await run(userId, 'start neck'), ['Next', 'Next', 'Next', 'Done']);
    return { t, team, run, press, finishNeck, posted, clock };
  }
  const it_ = database.skip ? it.skip : it;

  it_('stats after one finished routine: a one-day streak, the strip, totals, favourite and the chart', async () => {
    const { run, finishNeck } = await setup();
    expect(text(await run('U1', 'stats'))).toContain('No finished sessions yet');
    await finishNeck('U1');
    const stats = await run('U1', 'stats');
    expect(stats.target).toBe('ephemeral');
    expect(text(stats)).toContain('Streak: 1 day (best 1 day)');
    expect(text(stats)).toContain('This week: M ▱ T ▱ W ▱ T ▰ F ▱ S ▱ S ▱'); // Thu 26 Nov 2026
    expect(text(stats)).toContain('Favourite routine: Neck and shoulders');
    expect(stats.card.fields?.find((f) => f.label === 'This week')?.value).toMatch(/^1 session, /);
    expect(stats.card.chart?.data.bars).toHaveLength(28);
    expect(stats.card.chart?.data.bars.at(-1)?.value).toBe(1);
    expect(stats.card.chart?.alt).toMatch(/0, 1 \(total 1\)\.$/);
  });

  it_('records the local day in the person’s own zone, so the streak follows their midnight', async () => {
    const clock = new FakeClock(Date.parse('2026-11-25T23:30:00Z')); // Thursday 00:30 in Berlin
    const { t, run, finishNeck, team } = await setup(clock);
    await run('U1', 'settings timezone Europe/Berlin');
    await finishNeck('U1');
    const stored = await row<{ local_day: number }>(t, `SELECT local_day FROM completed_sessions WHERE team_id = '${team}'`);
    expect(Number(stored!.local_day)).toBe(Math.floor(Date.parse('2026-11-26') / 86_400_000));
  });

  it_('a routine stopped for pain, with the rest done, keeps the streak; a plain stop or a pain stop half-way does not', async () => {
    const { run, press, clock } = await setup(new FakeClock(Date.parse('2026-11-25T09:00:00Z')));
    await press('U1', await run('U1', 'start neck'), ['Next', 'Next', 'Next', 'It hurts', 'End session']);
    clock.advance(86_400_000);
    await press('U1', await run('U1', 'start neck'), ['Next', 'Next', 'Next', 'It hurts', 'End session']);
    expect(text(await run('U1', 'stats'))).toContain('Streak: 2 days');
    await press('U2', await run('U2', 'start neck'), ['Next', 'Next', 'Next', 'Stop']);
    expect(text(await run('U2', 'stats'))).toContain('Streak: 0 days (best 0 days)');
    // Ending for pain half-way is safe, not a failure, but the rest of the routine was not done.
    await press('U3', await run('U3', 'start neck'), ['Next', 'It hurts', 'End session']);
    expect(text(await run('U3', 'stats'))).toContain('Streak: 0 days (best 0 days)');
  });

  it_('team counts people, sessions and group sessions of this workspace, naming only people with shout-outs on', async () => {
    const { t, team, run, finishNeck } = await setup();
    await finishNeck('U1');
    await finishNeck('U2');
    await finishNeck('U2');
    await finishNeck('U3');
    // A group session recorded by the history port (as live group sessions do) counts as one.
    await t.storage.db.updateTable('completed_sessions').set({ group_session: 1 }).where('user_id', '=', 'U3').where('team_id', '=', team).execute();
    expect((await run('U2', 'settings shoutouts on')).card.title).toBe('Shout-outs on');
    const summary = text(await run('U1', 'team'));
    expect(summary).toContain('3 people stretched in the last 7 days: 4 sessions');
    expect(summary).toContain('1 group session');
    expect(summary).toContain('<@U2>: 1 day');
    expect(summary).not.toContain('U1');
    expect(summary).not.toContain('U3');
    expect(summary.match(/someone: 1 day/g)).toHaveLength(2);
    // Another workspace sees none of it.
    expect(text(await run('U9', 'team', admin, { workspaceId: 'OTHER', teamId: 'OTHER' }))).toContain('Nobody here finished a stretch');
  });

  it_('shout-outs: off by default, on and off again; a typo changes nothing', async () => {
    const { t, team, run } = await setup();
    expect(text(await run('U1', 'settings'))).toContain('Shout-outs: off');
    expect((await run('U1', 'settings shoutouts maybe')).card.title).toBe('On or off?');
    expect(await rows(t, `SELECT user_id FROM users WHERE workspace_id = '${team}'`)).toEqual([]);
    await run('U1', 'settings shoutouts on');
    expect(text(await run('U1', 'settings'))).toContain('Shout-outs: on');
    await run('U1', 'settings shoutouts off');
    expect(text(await run('U1', 'settings'))).toContain('Shout-outs: off');
  });

  it_('team in a DM is explained and answers nothing else', async () => {
    const { run } = await setup();
    expect((await run('U1', 'team', admin, { isDm: true, teamId: undefined })).card.title).toBe('Use a channel');
  });

  it_('a weekly summary schedule posts once in its channel, is listed, paused and removed like other schedules', async () => {
    const { t, team, run, finishNeck, posted, clock } = await setup(new FakeClock(Date.parse('2026-11-26T09:00:00Z'))); // Thursday
    await finishNeck('U1');
    const added = await run('U1', 'schedule add summary fri 16:00 UTC');
    expect(added.card.title).toMatch(/^Schedule \w+ added$/);
    const id = /Schedule (\w+) added/.exec(added.card.title)![1]!;
    expect(text(await run('U1', 'schedule list'))).toContain(`${id} · fri 16:00 · UTC · team summary · next Fri 27 Nov, 16:00 (UTC)`);
    clock.set(Date.parse('2026-11-27T16:00:30Z'));
    await t.app.firing.sweep();
    await t.app.firing.sweep();
    await t.app.outbox.drain();
    await t.app.outbox.drain();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.title).toBe('Stretching this week');
    expect(text({ target: 'channel', card: posted[0]! })).toContain('1 person stretched in the last 7 days: 1 session');
    expect(Number((await row<{ n: number }>(t, `SELECT COUNT(*) AS n FROM outbox WHERE workspace_id = '${team}' AND kind = 'dm'`))!.n)).toBe(0);
    expect((await run('U1', `schedule pause ${id}`)).card.title).toBe('Schedule paused');
    expect((await run('U1', `schedule remove ${id}`)).card.title).toBe('Schedule removed');
  });

  it_.each([
    ['schedule add summary', /Tell me when to post it/],
    ['schedule add summary at teatime', /daily 15:00/],
    ['schedule add summary fri 16:00 neck', /A summary has no routine/],
  ])('refuses %j and stores nothing', async (line, message) => {
    const { t, team, run } = await setup();
    expect(text(await run('U1', line))).toMatch(message);
    expect(await rows(t, `SELECT id FROM schedules WHERE workspace_id = '${team}'`)).toEqual([]);
  });

  it_('summary schedules are for admins only', async () => {
    const { t, team, run } = await setup();
    expect((await run('U2', 'schedule add summary fri 16:00', { isAdmin: false })).card.title).toBe('Admins only');
    expect(await rows(t, `SELECT id FROM schedules WHERE workspace_id = '${team}'`)).toEqual([]);
  });
});
