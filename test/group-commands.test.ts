/** Live group sessions through createCoach: the real core over a real database, a fake clock. */
import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import { GROUP_IDLE_MS } from '../src/core/group-session.js';
import type { IncomingAction } from '../src/core/incoming.js';
import { createTestCoach, rows, sql, type TestCoach } from './support/coach.js';

const base = { platform: 'slack', workspaceId: 'T1', teamId: 'T1', channelId: 'C1', isDm: false, profile: async () => ({ isAdmin: false }) };
const NECK_STEPS = 4;

async function group(t: TestCoach, userId: string, text = 'group neck', channelId = 'C1') {
  return t.coach.handleCommand({ ...base, channelId, userId, command: parseCommandText(text) });
}

/** Presses a button of the card by label as `userId`. */
async function press(t: TestCoach, card: Reply, userId: string, label: string, messageRef = 'ref-1'): Promise<Reply[]> {
  const button = card.card.buttons?.find((b) => b.label === label);
  if (!button) throw new Error(`no "${label}" on ${card.card.title}: ${card.card.buttons?.map((b) => b.label).join(', ')}`);
  const act: IncomingAction = { ...base, userId, actionId: button.id, messageRef };
  return t.coach.handleAction(act);
}

const names = (r: Reply) => r.card.people?.entries.map((e) => (e.note ? `${e.userId} (${e.note})` : e.userId));
const stats = (t: TestCoach, userId: string) => t.storage.sessions.totals({ platform: 'slack', workspaceId: 'T1', userId }, 0);

describe('live group sessions in the core', () => {
  it('posts one channel message at step 1 with the host taking part and Join/Leave plus the host buttons', async () => {
    const t = await createTestCoach();
    const [msg, ...rest] = await group(t, 'U1');
    expect(rest).toEqual([]);
    expect(msg!.target).toBe('channel');
    expect(msg!.card.progress).toEqual({ current: 1, total: NECK_STEPS });
    expect(msg!.card.title).toBe('Neck Rolls (warm-up)');
    expect(msg!.card.sections[0]).toContain('Neck and shoulders, together');
    expect(msg!.card.image?.key).toBeDefined();
    expect(msg!.card.people).toEqual({ label: 'Taking part (1)', entries: [{ userId: 'U1', note: 'host' }] });
    expect(msg!.card.buttons?.map((b) => b.label)).toEqual(['Join', 'Leave', 'Next', 'Skip', 'Stop']);
  });

  it('three people: join, host-only buttons refused privately, host hand-over, finish credits each', async () => {
    const t = await createTestCoach();
    let [msg] = await group(t, 'U1');
    [msg] = await press(t, msg!, 'U2', 'Join');
    [msg] = await press(t, msg!, 'U3', 'Join');
    expect(msg!.target).toBe('update');
    expect(msg!.card.people?.label).toBe('Taking part (3)');

    const [refused] = await press(t, msg!, 'U2', 'Next');
    expect(refused!.target).toBe('ephemeral');
    expect(refused!.card.title).toBe('Host only');
    const stored = await t.storage.db.selectFrom('group_sessions').select(['step', 'version']).executeTakeFirstOrThrow();
    expect(Number(stored.step)).toBe(0);

    const [again] = await press(t, msg!, 'U2', 'Join');
    expect(again!.card.title).toBe('Not right now');

    [msg] = await press(t, msg!, 'U1', 'Next');
    expect(msg!.card.progress?.current).toBe(2);
    expect(msg!.card.buttons?.map((b) => b.label)).toEqual(['Join', 'Leave', 'Next', 'Back', '⏱ Start timer (30 s)', 'Skip', 'Stop']);

    [msg] = await press(t, msg!, 'U1', 'Leave');
    expect(msg!.card.sections.join(' ')).toContain('the longest-standing participant is the host now');
    expect(names(msg!)).toEqual(['U2 (host)', 'U3']);

    [msg] = await press(t, msg!, 'U2', 'Next');
    [msg] = await press(t, msg!, 'U2', 'Next');
    const lastLive = msg!;
    [msg] = await press(t, msg!, 'U2', 'Done');
    expect(msg!.card.title).toBe('🎉 2 people finished the Neck and shoulders together');
    expect(msg!.card.buttons).toEqual([]);

    expect(await stats(t, 'U2')).toMatchObject({ sessions: 1, completed: 1, exercisesDone: 4 });
    expect(await stats(t, 'U3')).toMatchObject({ sessions: 1, completed: 1, exercisesDone: 4 });
    // U1 left after step 1: what they did, not a completion.
    expect(await stats(t, 'U1')).toMatchObject({ sessions: 1, completed: 0, exercisesDone: 1 });
    // A finished group counts for streaks and the team's week like a solo routine.
    const said = async (text: string, userId: string) => (await t.coach.handleCommand({ ...base, userId, command: parseCommandText(text) }))[0]!.card;
    expect((await said('stats', 'U2')).sections.join('\n')).toContain('Streak: 1 day (best 1 day)');
    expect((await said('stats', 'U1')).sections.join('\n')).toContain('Streak: 0 days');
    expect(await rows(t, 'SELECT user_id, group_session, team_id FROM completed_sessions ORDER BY user_id')).toEqual([
      { user_id: 'U1', group_session: expect.any(Number), team_id: 'T1' },
      { user_id: 'U2', group_session: expect.any(Number), team_id: 'T1' },
      { user_id: 'U3', group_session: expect.any(Number), team_id: 'T1' },
    ]);
    expect((await said('team', 'U3')).sections[0]).toBe('3 people stretched in the last 7 days: 3 sessions, 0 s, 1 group session.');

    const [late] = await press(t, lastLive, 'U4', 'Join');
    expect(late!.target).toBe('ephemeral');
    expect(late!.card.title).toBe('Session over');
  });

  it('a second /stretch group in the channel points to the live one; another channel may have its own', async () => {
    const t = await createTestCoach();
    await group(t, 'U1');
    const [second] = await group(t, 'U2', 'group desk');
    expect(second!.target).toBe('ephemeral');
    expect(second!.card.title).toBe('A group session is already live here');
    expect(second!.card.sections[0]).toContain('Neck and shoulders');
    const [other] = await group(t, 'U2', 'group desk', 'C2');
    expect(other!.target).toBe('channel');
    expect(await rows(t, sql`select id from group_sessions where status = 'live'`)).toHaveLength(2);
  });

  it('refuses in a DM and for an unknown routine, changing nothing', async () => {
    const t = await createTestCoach();
    const [dm] = await t.coach.handleCommand({ ...base, isDm: true, userId: 'U1', command: parseCommandText('group') });
    expect(dm!.card.title).toBe('Use a channel');
    const [unknown] = await group(t, 'U1', 'group nope');
    expect(unknown!.card.title).toBe('Unknown routine');
    expect(await rows(t, 'select id from group_sessions')).toEqual([]);
  });

  it('closes itself after 30 minutes without a press, crediting what each did, and edits its message', async () => {
    const t = await createTestCoach();
    let [msg] = await group(t, 'U1');
    [msg] = await press(t, msg!, 'U2', 'Join', 'the-message');
    [msg] = await press(t, msg!, 'U1', 'Next', 'the-message');
    t.clock.advance(GROUP_IDLE_MS - 1000);
    expect(await t.app.idleGroups.runDue()).toBe(0);
    t.clock.advance(1000);
    expect(await t.app.idleGroups.runDue()).toBe(1);
    const [g] = await rows<{ status: string }>(t, 'select status from group_sessions');
    expect(g!.status).toBe('closed');
    expect(await stats(t, 'U2')).toMatchObject({ sessions: 1, completed: 0, exercisesDone: 1 });
    const [after] = await press(t, msg!, 'U1', 'Next');
    expect(after!.card.title).toBe('Session over');
    expect(await t.app.idleGroups.runDue()).toBe(0);
  });

  it('a channel prompt’s Join starts the group for its routine, then joins it; Start in DM stays solo', async () => {
    const t = await createTestCoach();
    const fire = { id: 'f1', platform: 'slack', workspaceId: 'T1', channelId: 'C1', routineId: 'neck', fireAt: t.clock.now() };
    await t.storage.delivery.recordAdHocFire(fire, t.clock.now());
    const click = (userId: string, verb: string) => t.coach.handleAction({ ...base, userId, actionId: `p:f1:${verb}` });
    const [note, started] = await click('U1', 'join');
    expect(note!.target).toBe('ephemeral');
    expect(note!.card.title).toBe('Group session started');
    expect(started!.target).toBe('channel');
    expect(started!.card.people?.entries).toEqual([{ userId: 'U1', note: 'host' }]);
    const [joined] = await click('U2', 'join');
    expect(joined!.target).toBe('ephemeral');
    expect(joined!.card.title).toBe('You joined');
    const [twice] = await click('U2', 'join');
    expect(twice!.card.title).toBe('Already in');
    const [live] = await rows<{ participants: string }>(t, 'select participants from group_sessions');
    expect((JSON.parse(live!.participants) as { userId: string }[]).map((p) => p.userId)).toEqual(['U1', 'U2']);
    const solo = await click('U3', 'dm');
    expect(solo.map((r) => r.target)).toEqual(['dm', 'ephemeral']);
  });

  it('remembers where its channel message was posted: only for that platform and workspace, once', async () => {
    const t = await createTestCoach();
    const [msg] = await group(t, 'U1');
    expect(msg!.remember).toEqual({ kind: 'group', id: expect.any(String) });
    const tag = msg!.remember!;
    const stored = async () => (await t.storage.groups.get(tag.id))!.messageRef;
    expect(await t.coach.messagePosted('discord', 'T1', tag, 'elsewhere')).toBe(false);
    expect(await t.coach.messagePosted('slack', 'T-other', tag, 'elsewhere')).toBe(false);
    expect(await t.coach.messagePosted('slack', 'T1', { kind: 'group', id: 'no-such-group' }, 'elsewhere')).toBe(false);
    expect(await stored()).toBeUndefined();
    expect(await t.coach.messagePosted('slack', 'T1', tag, 'the-message')).toBe(true);
    expect(await t.coach.messagePosted('slack', 'T1', tag, 'another')).toBe(false);
    expect(await stored()).toBe('the-message');
    // A press that brings no address of its own keeps the remembered one.
    const join = msg!.card.buttons!.find((b) => b.label === 'Join')!;
    const [joined] = await t.coach.handleAction({ ...base, userId: 'U2', actionId: join.id });
    expect(joined!.target).toBe('update');
    expect(await stored()).toBe('the-message');
  });

  it('an idle group nobody clicked on edits the message it was posted as', async () => {
    const t = await createTestCoach();
    const edits: string[] = [];
    t.app.notifiers.set('slack', { platform: 'slack', postToChannel: async () => {}, sendDm: async () => {}, edit: async (_w, ref, card) => void edits.push(`${ref}: ${card.title}`) });
    const [msg] = await group(t, 'U1');
    await t.coach.messagePosted('slack', 'T1', msg!.remember!, 'posted-ref');
    t.clock.advance(GROUP_IDLE_MS);
    expect(await t.app.idleGroups.runDue()).toBe(1);
    expect(edits).toEqual(['posted-ref: Group session ended']);
  });

  it('the hold timer is the host\'s: anyone else is answered privately and nothing changes', async () => {
    const t = await createTestCoach();
    let [msg] = await group(t, 'U1', 'group desk');
    [msg] = await press(t, msg!, 'U2', 'Join');
    while (!msg!.card.buttons!.some((b) => b.label.startsWith('⏱'))) [msg] = await press(t, msg!, 'U1', 'Next');
    const before = await t.storage.groups.get(msg!.card.buttons![0]!.id.split(':')[1]!);
    const [refused] = await press(t, msg!, 'U2', '⏱ Start timer (30 s)');
    expect(refused!.target).toBe('ephemeral');
    expect(refused!.card.title).toBe('Host only');
    expect(await t.storage.groups.get(before!.id)).toEqual(before);
    const [started] = await press(t, msg!, 'U1', '⏱ Start timer (30 s)');
    expect(started!.target).toBe('update');
    expect(started!.card.timer?.seconds).toBe(30);
  });
});
