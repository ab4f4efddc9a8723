/**
 * Habits end to end, written once and run on every platform: finish a routine with the real
 * client library, then `/stretch stats` shows the streak and the chart picture (Discord: an
 * attachment; Slack: an image block served from PUBLIC_URL/images/), and `/stretch team` in
 * the channel counts the people who stretched.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, type PlatformDriver, type User } from './support/drivers/index.js';

describe.each(DRIVERS)('$name: habits through the real client library', ({ make }) => {
  const d: PlatformDriver = make();
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  async function finishNeck(who: User) {
    const msg = await d.command(who, 'start neck');
    for (const label of ['Next', 'Next', 'Next', 'Done']) expect((await d.click(who, msg, label)).updated).toBe(true);
    expect(msg.title).toMatch(/done|complete|well/i);
  }

  it('after one finished routine, stats shows a one-day streak and the four-week chart, privately', async () => {
    const alice = d.user('alice');
    await finishNeck(alice);
    const stats = await d.command(alice, 'stats');
    expect(stats.ephemeral).toBe(true);
    expect(stats.visibleTo).toBe(alice.id);
    expect(stats.title).toBe('Your stretch stats');
    expect(stats.text).toContain('Streak: 1 day (best 1 day)');
    expect(stats.text).toContain('This week: M ▱ T ▰ W ▱'); // Tuesday 24 Nov 2026
    const picture = await stats.picture();
    expect(picture?.name).toMatch(/^chart-[0-9a-f]{16}\.png$/);
    expect(picture?.contentType).toBe('image/png');
    expect(picture?.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(picture?.alt).toMatch(/^Your sessions, last 4 weeks: sessions per day from .*: (0, ){27}1 \(total 1\)\.$/);
  });

  it('team in the channel counts the people who stretched and names nobody who did not opt in', async () => {
    const bob = d.user('bob');
    await finishNeck(bob);
    const team = await d.command(bob, 'team');
    expect(team.ephemeral).toBe(true);
    expect(team.title).toBe('Stretching this week');
    expect(team.text).toContain('2 people stretched in the last 7 days: 2 sessions');
    expect(team.text).toContain('someone: 1 day');
    expect(team.text).not.toContain(bob.id);
    expect((await team.picture())?.alt).toMatch(/^Team sessions, last 7 days: .*: 0, 0, 0, 0, 0, 0, 2 \(total 2\)\.$/);
  });
});
