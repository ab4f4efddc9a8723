/**
 * "It hurts" and what follows, end to end on every platform (the real client library against
 * its emulator): the easier version, "Skip it from now on" and a new session without that
 * exercise, restoring it from settings, and pain never counting as a failure in stats.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, type PlatformDriver } from './support/drivers/index.js';

const PAIN_CHOICES = ['Try the easier version', 'Skip it from now on', 'Skip this time', 'End session'];

describe.each(DRIVERS)('$name: a gentler way through pain', ({ make }) => {
  const d: PlatformDriver = make();
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('"Try the easier version" turns the step into the easier variant, and Next carries on from it', async () => {
    const ann = d.user('ann');
    const msg = await d.command(ann, 'start neck');
    await d.click(ann, msg, 'It hurts');
    expect(msg.title).toBe('Stop Neck Rolls now');
    expect(msg.text).toContain('Pain means stop.');
    expect(msg.buttons).toEqual(PAIN_CHOICES);
    await d.click(ann, msg, 'Try the easier version');
    expect(msg.title).toBe('Side-to-side neck turns');
    expect(msg.text).toContain('The easier version of Neck Rolls.');
    expect(msg.text).toContain('1. Sit tall with your shoulders relaxed.');
    expect(msg.text).toContain('Step 1 of 4');
    expect(msg.buttons[0]).toBe('Next');
    await d.click(ann, msg, 'Next');
    expect(msg.title).toBe('Neck Flexion');
  });

  it('"Skip it from now on" moves on, and the next session leaves the exercise out and says so; settings restores it', async () => {
    const ben = d.user('ben');
    const first = await d.command(ben, 'start neck');
    await d.click(ben, first, 'Next');
    await d.click(ben, first, 'It hurts');
    await d.click(ben, first, 'Skip it from now on');
    expect(first.title).toBe('Shoulder Roll');
    expect(first.text).toContain('Neck Flexion is left out of your sessions from now on.');
    expect(first.text).toContain('/stretch settings restore neck-flexion');

    const second = await d.command(ben, 'start neck');
    expect(second.title).toBe('Neck Rolls (warm-up)');
    expect(second.text).toContain('Step 1 of 3');
    expect(second.text).toContain('Left out because you skip it: Neck Flexion.');
    await d.click(ben, second, 'Next');
    expect(second.title).toBe('Shoulder Roll');
    expect(second.text).not.toContain('Left out');

    const settings = await d.command(ben, 'settings');
    expect(settings.ephemeral).toBe(true);
    expect(settings.text).toContain('Exercises you skip: Neck Flexion');
    expect(settings.buttons).toEqual(['Restore Neck Flexion']);
    expect(await d.click(ben, settings, 'Restore Neck Flexion')).toEqual({ updated: true });
    expect(settings.text).toContain('Neck Flexion is back in your sessions.');
    expect(settings.text).toContain('Exercises you skip: none');
    expect(settings.buttons).toEqual([]);

    const third = await d.command(ben, 'start neck');
    expect(third.text).toContain('Step 1 of 4');
    expect(third.text).not.toContain('Left out');
  });

  it('`settings restore` by name or id; an unknown or unskipped exercise gets a private answer and changes nothing', async () => {
    const cat = d.user('cat');
    const msg = await d.command(cat, 'start neck');
    await d.click(cat, msg, 'It hurts');
    await d.click(cat, msg, 'Skip it from now on');

    const unknown = await d.command(cat, 'settings restore handstand');
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.title).toBe('Unknown exercise');
    expect(unknown.text).toContain('I don\'t know an exercise called "handstand". You skip: Neck Rolls (neck-rolls).');
    const notSkipped = await d.command(cat, 'settings restore Wall Stretch');
    expect(notSkipped.title).toBe('Not skipped');
    expect(notSkipped.text).toContain('Wall Stretch is not on your skip list, so nothing changed.');
    expect((await d.command(cat, 'start neck')).text).toContain('Step 1 of 3');

    const restored = await d.command(cat, 'settings restore neck rolls');
    expect(restored.title).toBe('Exercise restored');
    expect(restored.text).toContain('Neck Rolls is back in your sessions');
    expect((await d.command(cat, 'start neck')).text).toContain('Step 1 of 4');
  });

  it('ending a session because it hurt counts as a finished session, not a failure', async () => {
    const dot = d.user('dot');
    const msg = await d.command(dot, 'start neck');
    await d.click(dot, msg, 'Next');
    await d.click(dot, msg, 'It hurts');
    await d.click(dot, msg, 'End session');
    expect(msg.title).toBe('Session ended');
    expect(msg.text).toContain('1 of 4 exercises done, 1 stopped because it hurt, 2 not reached.');
    expect(msg.text).toContain('Stopping when it hurts was the right call');
    const stats = await d.command(dot, 'stats');
    expect(stats.text).toContain('1 routine completed, 1 exercises done.');
  });
});
