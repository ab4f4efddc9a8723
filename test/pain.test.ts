/** The "It hurts" choices and the per-person skip list, through the coach on a real database. */
import { describe, expect, it } from 'vitest';
import { encodeAction } from '../src/core/action-id.js';
import type { Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import type { IncomingCommand } from '../src/core/incoming.js';
import { createTestCoach, row, sql, type TestCoach } from './support/coach.js';

const ME = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1', channelId: 'C1', isDm: false };
const cmd = (text: string, who = ME): IncomingCommand => ({ ...who, command: parseCommandText(text) });
const only = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return replies[0]!;
};
const press = async (t: TestCoach, reply: Reply, label: string, who = ME) => {
  const button = reply.card.buttons?.find((b) => b.label === label);
  if (!button) throw new Error(`no "${label}" button on "${reply.card.title}": ${reply.card.buttons?.map((b) => b.label).join(', ')}`);
  return only(await t.coach.handleAction({ ...who, actionId: button.id }));
};
const text = (r: Reply) => r.card.sections.join('\n');

describe('"It hurts" choices', () => {
  it('"Skip it from now on" stores the skip for that person only; their new sessions leave it out and say so', async () => {
    const t = await createTestCoach();
    const hurt = await press(t, only(await t.coach.handleCommand(cmd('start neck'))), 'It hurts');
    const next = await press(t, hurt, 'Skip it from now on');
    expect(next.card.title).toBe('Neck Flexion');
    expect(next.card.sections[0]).toBe('Neck Rolls is left out of your sessions from now on. Bring it back any time with /stretch settings restore neck-rolls.');
    expect(await t.app.storage.users.skippedExercises(ME)).toEqual(['neck-rolls']);

    const again = only(await t.coach.handleCommand(cmd('start neck')));
    expect(again.card.title).toBe('Neck Flexion');
    expect(again.card.progress).toEqual({ current: 1, total: 3 });
    expect(again.card.sections[0]).toBe('Left out because you skip it: Neck Rolls. Bring one back with /stretch settings restore neck-rolls.');

    const someoneElse = only(await t.coach.handleCommand(cmd('start neck', { ...ME, userId: 'U2' })));
    expect(someoneElse.card.progress).toEqual({ current: 1, total: 4 });
    expect(text(someoneElse)).not.toContain('Left out');
  });

  it('a routine whose every exercise is skipped starts nothing and says how to bring one back', async () => {
    const t = await createTestCoach();
    const neck = t.catalogue.routines.find((r) => r.id === 'neck')!;
    for (const id of neck.exerciseIds) await t.app.storage.users.skipExercise(ME, id, t.clock.now());
    const r = only(await t.coach.handleCommand(cmd('start neck')));
    expect(r).toMatchObject({ target: 'ephemeral', card: { title: 'Nothing left in this routine', tone: 'warning' } });
    expect(text(r)).toContain(`/stretch settings restore ${neck.exerciseIds[0]}`);
    expect(await row(t, sql`select count(*) as n from sessions`)).toMatchObject({ n: 0 });
  });

  it('"Skip this time" leaves the skip list alone; ending after pain is recorded as finished, with no skipped step', async () => {
    const t = await createTestCoach();
    const start = only(await t.coach.handleCommand(cmd('start neck')));
    const after = await press(t, await press(t, start, 'It hurts'), 'Skip this time');
    expect(after.card.title).toBe('Neck Flexion');
    expect(await t.app.storage.users.skippedExercises(ME)).toEqual([]);
    const end = await press(t, await press(t, after, 'It hurts'), 'End session');
    expect(end.card.title).toBe('Session ended');
    expect(await row(t, 'select outcome, done_count, skipped_count from completed_sessions')).toEqual({ outcome: 'completed', done_count: 0, skipped_count: 0 });
  });

  it('the easier version shows the variant\'s own steps and stays on the same step', async () => {
    const t = await createTestCoach();
    const start = only(await t.coach.handleCommand(cmd('start neck')));
    const easier = await press(t, await press(t, start, 'It hurts'), 'Try the easier version');
    const variant = t.catalogue.exercises.get('neck-rolls')!.easier!;
    expect(easier.card.title).toBe(variant.name);
    expect(easier.card.progress).toEqual({ current: 1, total: 4 });
    expect(text(easier)).toContain(variant.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'));
    expect(easier.card.buttons?.map((b) => b.label)).toEqual(['Next', 'Skip', 'Pause', 'Stop', 'It hurts']);
    expect(easier.card.timer).toBeUndefined();
  });
});

describe('skip list in settings', () => {
  it('lists skipped exercises with a Restore button each; a button restores and refreshes the card', async () => {
    const t = await createTestCoach();
    const none = only(await t.coach.handleCommand(cmd('settings')));
    expect(none.card.fields?.find((f) => f.label === 'Exercises you skip')?.value).toBe('none');
    expect(none.card.buttons).toEqual([]);
    await t.app.storage.users.skipExercise(ME, 'cat-cow', 1);
    await t.app.storage.users.skipExercise(ME, 'neck-rolls', 2);
    const some = only(await t.coach.handleCommand(cmd('settings')));
    expect(some.card.fields?.find((f) => f.label === 'Exercises you skip')?.value).toBe(
      'Cat-Cow, Neck Rolls (bring one back with /stretch settings restore cat-cow or a button below)',
    );
    expect(some.card.buttons?.map((b) => b.label)).toEqual(['Restore Cat-Cow', 'Restore Neck Rolls']);
    const after = await press(t, some, 'Restore Cat-Cow');
    expect(after.target).toBe('update');
    expect(after.card.sections[0]).toBe('Cat-Cow is back in your sessions.');
    expect(after.card.buttons?.map((b) => b.label)).toEqual(['Restore Neck Rolls']);
    // The same button again (a double click) changes nothing and says so privately.
    const again = only(await t.coach.handleAction({ ...ME, actionId: some.card.buttons![0]!.id }));
    expect(again).toMatchObject({ target: 'ephemeral', card: { title: 'Nothing to restore' } });
    expect(await t.app.storage.users.skippedExercises(ME)).toEqual(['neck-rolls']);
  });

  it('restore by id or name, case-insensitive; unknown, empty and not-skipped exercises are answered privately', async () => {
    const t = await createTestCoach();
    await t.app.storage.users.skipExercise(ME, 'cat-cow', 1);
    expect(only(await t.coach.handleCommand(cmd('settings restore nope'))).card).toMatchObject({ title: 'Unknown exercise', tone: 'warning' });
    expect(only(await t.coach.handleCommand(cmd('settings restore'))).card).toMatchObject({ title: 'Unknown exercise' });
    expect(only(await t.coach.handleCommand(cmd('settings restore wall-stretch'))).card).toMatchObject({ title: 'Not skipped', tone: 'info' });
    expect(await t.app.storage.users.skippedExercises(ME)).toEqual(['cat-cow']);
    expect(only(await t.coach.handleCommand(cmd('settings restore CAT-COW'))).card.title).toBe('Exercise restored');
    expect(await t.app.storage.users.skippedExercises(ME)).toEqual([]);
    // A forged Restore button for an exercise the clicker does not skip changes nothing.
    const forged = only(await t.coach.handleAction({ ...ME, actionId: encodeAction({ kind: 'restore', exerciseId: 'wall-stretch' }) }));
    expect(forged).toMatchObject({ target: 'ephemeral', card: { title: 'Nothing to restore' } });
  });
});
