/**
 * Fan-out delivery, written once and run on every platform against its emulator: DM channel
 * ids live in the database (a prompt DM is one request, also after a restart), opting in
 * opens the DM, a stored id the platform forgot is re-opened once and replaced, and a fan-out
 * that runs into the platform's rate limit loses and duplicates nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, peek, tick, type PlatformDriver, type User } from './support/drivers/index.js';

const DAY = 86_400_000;
/** Tuesday 10:30 in Berlin. */
const FIRE = Date.parse('2026-11-24T09:30:00Z');
const PROMPT = '🧘 Stretch break';

describe.each(DRIVERS)('$name: one request per prompt DM', ({ make }) => {
  // A generous pace: what is counted here is requests, not how they are spaced.
  const d: PlatformDriver = make({ env: { DISCORD_RATE_LIMIT: '1000', SLACK_RATE_LIMIT: '1000' } });
  let ada: User;
  let ann: User;
  const storedId = async (u: User) => (await peek<{ channel_id: string }>(d.app, 'SELECT channel_id FROM dm_channels WHERE user_id = ?', u.id)).map((r) => r.channel_id);
  const dmRequests = (mark: number) => d.requestsSince(mark).filter((r) => r !== 'post channel');

  beforeAll(async () => {
    await d.start();
    ada = d.user('ada', { admin: true });
    ann = d.user('ann');
    await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin');
  });
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('opting in opens the DM channel once and stores its id', async () => {
    const mark = d.mark();
    await d.command(ann, 'optin');
    expect(d.dmOpens(ann, mark)).toBe(1);
    expect(await storedId(ann)).toHaveLength(1);
    await d.command(ann, 'optin');
    expect(d.dmOpens(ann, mark)).toBe(1);
  });

  it('the first prompt after opting in is one request, and so is the next after a restart', async () => {
    d.clock.set(FIRE);
    let mark = d.mark();
    await tick(d);
    expect(dmRequests(mark)).toEqual(['post dm']);
    expect(d.dms(ann).map((m) => m.title)).toEqual([PROMPT]);

    await d.restart();
    d.clock.set(FIRE + DAY);
    mark = d.mark();
    await tick(d);
    expect(dmRequests(mark)).toEqual(['post dm']);
    expect(d.dms(ann)).toHaveLength(2);
  });

  it('a stored DM channel the platform forgot is re-opened once and replaced', async () => {
    const [before] = await storedId(ann);
    d.forgetDm(ann);
    d.clock.set(FIRE + 2 * DAY);
    const mark = d.mark();
    const { drained } = await tick(d);
    expect(drained).toMatchObject({ sent: 2, failed: 0, retried: 0 });
    expect(dmRequests(mark)).toEqual(['post dm', 'open dm', 'post dm']);
    const after = await storedId(ann);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(d.dms(ann).map((m) => m.title)).toEqual([PROMPT, PROMPT, PROMPT]);

    // The replacement is used from then on: one request again.
    d.clock.set(FIRE + 3 * DAY);
    const next = d.mark();
    await tick(d);
    expect(dmRequests(next)).toEqual(['post dm']);
  });

  it('a fan-out to 60 people asks who is busy a batch at a time: at most one request per 50 DMs', async () => {
    const more = Array.from({ length: 59 }, (_, i) => d.user(`many${i}`));
    for (const p of more) await d.command(p, 'optin');
    d.clock.set(FIRE + 7 * DAY);
    const mark = d.mark();
    const counted = d.rateCounted();
    const { drained } = await tick(d);
    expect(drained).toMatchObject({ sent: 61, failed: 0, retried: 0 });
    expect(d.requestsSince(mark).sort()).toEqual(['post channel', ...Array<string>(60).fill('post dm')]);
    // Every request the platform saw: 60 DMs, the channel post, and on Slack two Do Not
    // Disturb look-ups (dnd.teamInfo, 50 people each) — statuses cost nothing, they are kept.
    expect(d.rateCounted() - counted).toBe(61 + (d.name === 'slack' ? 2 : 0));
  }, 30_000);
});

describe.each(DRIVERS)('$name: a fan-out that runs into the rate limit', ({ make }) => {
  // The bot is told the platform allows 40 requests/s; the emulator allows 4, so 429s must come.
  const d: PlatformDriver = make({ rateLimit: 4, env: { DISCORD_RATE_LIMIT: '40', SLACK_RATE_LIMIT: '40' } });
  let people: User[] = [];

  beforeAll(async () => {
    await d.start();
    const ada = d.user('ada', { admin: true });
    await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin');
    people = Array.from({ length: 12 }, (_, i) => d.user(`p${i}`));
    for (const p of people) await d.command(p, 'optin');
  }, 30_000);
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('honours the 429s: every DM arrives exactly once', async () => {
    d.clock.set(FIRE);
    const { drained } = await tick(d);
    expect(drained).toMatchObject({ sent: people.length + 1, failed: 0, retried: 0 });
    expect(d.rateLimited()).toBeGreaterThan(0);
    for (const p of people) expect(d.dms(p).map((m) => m.title), p.name).toEqual([PROMPT]);
    expect(d.channelPosts().filter((m) => m.title === PROMPT)).toHaveLength(1);
  }, 30_000);
});
