import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../src/core/action-id.js';
import type { Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import type { IncomingCommand } from '../src/core/incoming.js';
import { createTestCoach, FakeClock, row, rows, type TestCoach } from './support/coach.js';

const ME = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1', channelId: 'C1', isDm: false };
const cmd = (text: string, who = ME): IncomingCommand => ({ ...who, command: parseCommandText(text) });
const press = (t: TestCoach, reply: Reply, label: string, who = ME) => {
  const button = reply.card.buttons?.find((b) => b.label === label);
  if (!button) throw new Error(`no "${label}" button on "${reply.card.title}": ${reply.card.buttons?.map((b) => b.label).join(', ')}`);
  return t.coach.handleAction({ ...who, actionId: button.id });
};
const only = (replies: Reply[]) => {
  expect(replies).toHaveLength(1);
  return replies[0]!;
};

const tmp: string[] = [];
afterEach(() => {
  for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('coach commands', () => {
  it('bare /stretch shows a picker with one button per routine', async () => {
    const t = await createTestCoach();
    const r = only(await t.coach.handleCommand(cmd('')));
    expect(r.target).toBe('ephemeral');
    expect(r.card.buttons?.map((b) => decodeAction(b.id))).toEqual(
      t.catalogue.routines.map((x) => ({ kind: 'pick', routineId: x.id, inDm: false })),
    );
  });

  it('start full shows step 1 with name, targets, steps, timing, progress and safety', async () => {
    const t = await createTestCoach();
    const r = only(await t.coach.handleCommand(cmd('start full')));
    expect(r.target).toBe('ephemeral');
    expect(r.card.title).toBe('Running on the Spot (warm-up)');
    expect(r.card.progress).toEqual({ current: 1, total: 12 });
    expect(r.card.sections[0]).toMatch(/^1\. /);
    expect(r.card.fields?.map((f) => f.label)).toEqual(['Targets', 'Start', 'Timing']);
    expect(r.card.footer).toBe(t.catalogue.safety.summary);
    expect(r.card.buttons?.map((b) => b.label)).toEqual(['Next', '⏱ Start timer (300 s)', 'Skip', 'Pause', 'Stop', 'It hurts']);
  });

  it('an unknown routine gets a friendly error listing the routines, and starts nothing', async () => {
    const t = await createTestCoach();
    const r = only(await t.coach.handleCommand(cmd('start yoga')));
    expect(r).toMatchObject({ target: 'ephemeral', card: { title: 'Unknown routine' } });
    expect(r.card.sections[0]).toContain('full, desk, neck, floor');
    expect(await row(t, 'SELECT COUNT(*) n FROM sessions')).toEqual({ n: 0 });
  });

  it('unknown subcommands get the help text naming the word', async () => {
    const t = await createTestCoach();
    const r = only(await t.coach.handleCommand(cmd('dance')));
    expect(r.card.title).toBe('Stretch coach');
    expect(r.card.sections[0]).toContain('I don\'t know "dance"');
  });

  it('dm sends the routine to DMs and confirms ephemerally', async () => {
    const t = await createTestCoach();
    const replies = await t.coach.handleCommand(cmd('dm neck'));
    expect(replies.map((r) => r.target)).toEqual(['dm', 'ephemeral']);
    expect(replies[0]!.card.title).toBe('Neck Rolls (warm-up)');
    expect(await row(t, 'SELECT surface FROM sessions')).toEqual({ surface: 'dm' });
  });

  it('walks the full routine with Next to a completion summary, recorded in history', async () => {
    const t = await createTestCoach();
    let r = only(await t.coach.handleCommand(cmd('start full')));
    const titles = [r.card.title];
    for (let i = 0; i < 11; i++) {
      t.clock.advance(30_000);
      r = only(await press(t, r, 'Next'));
      expect(r.target).toBe('update');
      titles.push(r.card.title);
    }
    expect(titles.map((x) => x.replace(' (warm-up)', ''))).toEqual(t.catalogue.routines[0]!.exerciseIds.map((id) => t.catalogue.exercises.get(id)!.name));
    expect(r.card.progress).toEqual({ current: 12, total: 12 });
    t.clock.advance(30_000);
    r = only(await press(t, r, 'Done'));
    expect(r.card.title).toBe('🎉 Routine complete');
    expect(r.card.sections[0]).toBe('Full routine: 12 of 12 exercises done.');
    expect(r.card.fields).toEqual([{ label: 'Time', value: '6 min' }]);
    const stats = only(await t.coach.handleCommand(cmd('stats')));
    expect(stats.card.sections[0]).toBe('1 routine completed, 12 exercises done.');
  });

  it('picker button turns the picker into step 1; the DM picker sends to DMs', async () => {
    const t = await createTestCoach();
    const picker = only(await t.coach.handleCommand(cmd('')));
    const r = only(await press(t, picker, picker.card.buttons![1]!.label));
    expect(r).toMatchObject({ target: 'update', card: { title: 'Neck Rolls (warm-up)', progress: { total: 5 } } });
    const dmPicker = only(await t.coach.handleCommand(cmd('dm')));
    const replies = await press(t, dmPicker, dmPicker.card.buttons![0]!.label);
    expect(replies.map((x) => x.target)).toEqual(['dm', 'update']);
  });

  it('"It hurts" shows the safety advice and offers the easier version, a lasting skip, skip this time or end', async () => {
    const t = await createTestCoach();
    const start = only(await t.coach.handleCommand(cmd('start neck')));
    const hurt = only(await press(t, start, 'It hurts'));
    expect(hurt.card.title).toBe('Stop Neck Rolls now');
    for (const advice of t.catalogue.safety.advice) expect(hurt.card.sections.join('\n')).toContain(advice);
    expect(hurt.card.buttons?.map((b) => b.label)).toEqual(['Try the easier version', 'Skip it from now on', 'Skip this time', 'End session']);
    const next = only(await press(t, hurt, 'Skip this time'));
    expect(next.card.title).toBe('Neck Flexion');
    const end = only(await press(t, only(await press(t, next, 'It hurts')), 'End session'));
    expect(end.card.title).toBe('Session ended');
    expect(end.card.sections[0]).toBe('Neck and shoulders: 0 of 4 exercises done, 2 stopped because it hurt, 2 not reached.');
  });
});

describe('button checks', () => {
  it('a click on an old step is explained and changes nothing', async () => {
    const t = await createTestCoach();
    const step1 = only(await t.coach.handleCommand(cmd('start desk')));
    await press(t, step1, 'Next');
    const stale = only(await press(t, step1, 'Next'));
    expect(stale).toMatchObject({ target: 'ephemeral', card: { title: 'Old button' } });
    expect(stale.card.sections[0]).toContain('step 2 of 5');
    expect(await row(t, 'SELECT step, version FROM sessions')).toEqual({ step: 1, version: 1 });
  });

  it("another user's click is refused and changes nothing", async () => {
    const t = await createTestCoach();
    const step1 = only(await t.coach.handleCommand(cmd('start desk')));
    const r = only(await press(t, step1, 'Next', { ...ME, userId: 'U2' }));
    expect(r).toMatchObject({ target: 'ephemeral', card: { title: 'Not your session' } });
    expect(await row(t, 'SELECT step, version FROM sessions')).toEqual({ step: 0, version: 0 });
  });

  it('forged ids are refused: malformed, unknown verb, unknown session, overlong', async () => {
    const t = await createTestCoach();
    await t.coach.handleCommand(cmd('start desk'));
    const { id } = (await row<{ id: string }>(t, 'SELECT id FROM sessions'))!;
    const forged = [`s:${id}:0:teleport`, `s:${id}:0`, 'x'.repeat(101), `s:nosuchsession:0:next`, `s:${id}:-1:next`, `pick:here:../etc`, ''];
    for (const actionId of forged) {
      const r = only(await t.coach.handleAction({ ...ME, actionId }));
      expect(r.target).toBe('ephemeral');
      expect(['Unknown button', 'Session not found']).toContain(r.card.title);
    }
    expect(await row(t, 'SELECT step, version FROM sessions')).toEqual({ step: 0, version: 0 });
  });

  it('a button drawn for a verb the session does not offer is refused', async () => {
    const t = await createTestCoach();
    await t.coach.handleCommand(cmd('start desk'));
    const { id } = (await row<{ id: string }>(t, 'SELECT id FROM sessions'))!;
    const r = only(await t.coach.handleAction({ ...ME, actionId: encodeAction({ kind: 'session', sessionId: id, step: 0, verb: 'back' }) }));
    expect(r.card.sections[0]).toMatch(/first exercise/);
  });

  it('a session whose exercises were removed from the content stops politely and changes nothing', async () => {
    const t = await createTestCoach();
    const step1 = only(await t.coach.handleCommand(cmd('start desk')));
    await rows(t, `UPDATE sessions SET exercise_ids = '["neck-rolls","toe-touch"]'`);
    expect(only(await press(t, step1, 'Next')).card.title).toBe('Routine changed');
    expect(await row(t, 'SELECT step, version FROM sessions')).toEqual({ step: 0, version: 0 });
  });

  it('a new session closes the old one; its buttons then say so', async () => {
    const t = await createTestCoach();
    const first = only(await t.coach.handleCommand(cmd('start desk')));
    await t.coach.handleCommand(cmd('start neck'));
    expect(only(await press(t, first, 'Next')).card.title).toBe('Session over');
  });

  it('resumes at the right step after the database is reopened (restart)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stretch-db-'));
    tmp.push(dir);
    const dbPath = join(dir, 'coach.db');
    const clock = new FakeClock();
    const a = await createTestCoach({ dbPath, clock });
    let r = only(await a.coach.handleCommand(cmd('start full')));
    r = only(await press(a, r, 'Next'));
    r = only(await press(a, r, 'Next'));
    await a.app.stop();

    const b = await createTestCoach({ dbPath, clock });
    const after = only(await press(b, r, 'Next'));
    expect(after.card.title).toBe('Neck Flexion');
    expect(after.card.progress).toEqual({ current: 4, total: 12 });
    await b.app.stop();
  });
});
