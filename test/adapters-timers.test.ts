/**
 * Hold timers end to end on every platform (the real client library against its emulator):
 * a 30-second hold finishes by itself with one edit of the session's message, also after a
 * restart. The app runs without real timers here; the test moves the clock and lets the
 * timer service run what is due, as the in-process timer or the minute sweep would.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, type Msg, type PlatformDriver, type User } from './support/drivers/index.js';

describe.each(DRIVERS)('$name: hold timers', ({ make }) => {
  const d: PlatformDriver = make();
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  /** The end time as each platform shows it. */
  const shownEnd = (endsAt: number) => {
    const unix = Math.floor(endsAt / 1000);
    const clock = `${new Date(endsAt).toISOString().slice(11, 19)} UTC`;
    return d.name === 'discord' ? [`⏱ Ends <t:${unix}:R> (<t:${unix}:T>)`] : ['⏱ Ends at', clock, '(30 s)'];
  };

  /** `who` presses ⏱: the end shows at once and the button is gone. Returns the message's edits by then. */
  async function startsHold(who: User, msg: Msg): Promise<number> {
    const endsAt = d.clock.now() + 30_000;
    expect(await d.click(who, msg, '⏱ Start timer (30 s)')).toEqual({ updated: true });
    for (const part of shownEnd(endsAt)) expect(msg.text).toContain(part);
    expect(msg.buttons).not.toContain('⏱ Start timer (30 s)');
    return msg.edits;
  }

  /** Nothing before the 30 s are up; then one edit saying "Time's up", and a second run changes nothing. */
  async function endsByItselfOnce(msg: Msg, edits: number): Promise<void> {
    d.clock.advance(29_000);
    expect(await d.app.holdTimers.runDue()).toBe(0);
    expect(msg.edits).toBe(edits);
    d.clock.advance(1_000);
    expect(await d.app.holdTimers.runDue()).toBe(1);
    expect(msg.edits).toBe(edits + 1);
    expect(msg.text).toContain("⏱ Time's up. Press Next when you are ready.");
    expect(msg.text).not.toContain('Ends');
    expect(await d.app.holdTimers.runDue()).toBe(0);
    expect(msg.edits).toBe(edits + 1);
  }

  it('a 30-second hold acknowledges at once with its end, then the message says "Time\'s up" by itself, once', async () => {
    const ivy = d.user('ivy');
    const msg = await d.command(ivy, 'start neck');
    await d.click(ivy, msg, 'Next');
    expect(msg.title).toBe('Neck Flexion');
    expect(msg.buttons).toContain('⏱ Start timer (30 s)');
    const edits = await startsHold(ivy, msg);
    expect(msg.text).toContain("Hold for 30 s. I'll update this message when the time is up.");
    await endsByItselfOnce(msg, edits);
    expect(msg.buttons[0]).toBe('Next');
    await d.click(ivy, msg, 'Next');
    expect(msg.title).toBe('Shoulder Roll');
  });

  it('a timer running across a restart still ends the hold on the old message', async () => {
    const jon = d.user('jon');
    const msg = await d.command(jon, 'start neck');
    await d.click(jon, msg, 'Next');
    await d.click(jon, msg, '⏱ Start timer (30 s)');
    d.clock.advance(10_000);
    await d.restart();
    d.clock.advance(25_000);
    // Start-up finishes the timers that ended while the bot was down.
    await d.app.holdTimers.start();
    expect(msg.text).toContain("⏱ Time's up.");
    await d.click(jon, msg, 'Next');
    expect(msg.title).toBe('Shoulder Roll');
  });

  it('a hold in a DM session (a normal message, not a private reply) is ended by editing that message with the bot token', async () => {
    const kim = d.user('kim');
    await d.command(kim, 'dm neck');
    const msg = d.dms(kim).at(-1)!;
    expect(msg.ephemeral).toBe(false);
    await d.click(kim, msg, 'Next');
    await d.click(kim, msg, '⏱ Start timer (30 s)');
    const mark = d.mark();
    d.clock.advance(30_000);
    expect(await d.app.holdTimers.runDue()).toBe(1);
    expect(msg.text).toContain("⏱ Time's up.");
    // One edit of that message, through the channel-message route (Discord) or chat.update (Slack).
    expect(d.requestsSince(mark)).toEqual(['update']);
  });

  it('in a group the host starts a 30-second hold (nobody else may) and the group message says "Time\'s up" by itself, once', async () => {
    const [lea, max] = [d.user('lea'), d.user('max')];
    const msg = await d.command(lea, 'group desk');
    expect(await d.click(max, msg, 'Join')).toEqual({ updated: true });
    while (!msg.buttons.includes('⏱ Start timer (30 s)')) await d.click(lea, msg, 'Next');
    const refused = await d.click(max, msg, '⏱ Start timer (30 s)');
    expect(refused.updated).toBe(false);
    expect(refused.reply!.visibleTo).toBe(max.id);
    expect(refused.reply!.title).toBe('Host only');
    expect(msg.buttons).toContain('⏱ Start timer (30 s)');

    const edits = await startsHold(lea, msg);
    expect(msg.text).toContain('Taking part (2)');
    const mark = d.mark();
    await endsByItselfOnce(msg, edits);
    expect(d.requestsSince(mark)).toEqual(['update']);
    expect(msg.text).toContain('Taking part (2)');
    expect(msg.buttons).toEqual(['Join', 'Leave', 'Next', 'Back', 'Skip', 'Stop']);
    expect(await d.click(lea, msg, 'Stop')).toEqual({ updated: true });
  });
});
