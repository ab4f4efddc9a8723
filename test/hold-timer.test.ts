/**
 * Hold timers: the pure rules (start, expiry, per-side) and the service that finishes stored
 * timers (on time, after a restart while running, at once after a restart past the end), each
 * exactly once, against a real database and a recording notifier.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Card, Reply } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import { holdSecondsOf, startTimer, timeUp, timerPhase } from '../src/core/hold-timer.js';
import type { Notifier } from '../src/core/notifier.js';
import { newSession, transition, type Session } from '../src/core/session.js';
import { createHoldTimers } from '../src/scheduler/timers.js';
import { createTestCoach, shippedCatalogue, silentLogger, type TestCoach } from './support/coach.js';

const catalogue = shippedCatalogue();
const ex = (id: string) => catalogue.exercises.get(id)!;
const T0 = Date.UTC(2026, 10, 24, 9);
const fresh = (exerciseIds: string[]): Session =>
  newSession({ id: 'abc', platform: 'terminal', workspaceId: 'w', userId: 'u', channelId: 'c', surface: 'channel', routineId: 'r', exerciseIds, now: T0 });
const ok = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
};

describe('hold timer rules', () => {
  it('a held or timed exercise is ready for a timer; one counted in reps or breaths has none', () => {
    expect(holdSecondsOf(ex('wall-stretch'))).toBe(30);
    expect(holdSecondsOf(ex('jumping-jacks'))).toBe(300);
    expect(timerPhase(fresh(['wall-stretch']), ex('wall-stretch'), true)).toBe('ready');
    const untimed = [...catalogue.exercises.values()].find((e) => holdSecondsOf(e) === undefined)!;
    expect(timerPhase(fresh([untimed.id]), untimed, true)).toBe('none');
    expect(startTimer(fresh([untimed.id]), untimed, T0, true)).toMatchObject({ ok: false, kind: 'not-now' });
  });

  it('starting stores the end time; a second start is refused; it is up only at the end time', () => {
    const s = ok(startTimer(fresh(['wall-stretch']), ex('wall-stretch'), T0, true)).next;
    expect(s.timer).toEqual({ side: 1, endsAt: T0 + 30_000 });
    expect(timerPhase(s, ex('wall-stretch'), true)).toBe('running');
    expect(startTimer(s, ex('wall-stretch'), T0 + 1, true)).toMatchObject({ ok: false, message: expect.stringMatching(/already running/) });
    expect(timeUp(s, T0 + 29_999, true)).toBeUndefined();
    const up = timeUp(s, T0 + 30_000, true)!;
    expect(up).toMatchObject({ timersDone: 1 });
    expect(up.timer).toBeUndefined();
    expect(timerPhase(up, ex('wall-stretch'), true)).toBe('up');
    expect(startTimer(up, ex('wall-stretch'), T0 + 30_001, true).ok).toBe(false);
  });

  it('a per-side exercise switches sides after the first timer and is up after the second', () => {
    const e = ex('knee-to-chest');
    const first = timeUp(ok(startTimer(fresh([e.id]), e, T0, true)).next, T0 + 30_000, true)!;
    expect(timerPhase(first, e, true)).toBe('switch');
    const second = ok(startTimer(first, e, T0 + 40_000, true)).next;
    expect(second.timer).toEqual({ side: 2, endsAt: T0 + 70_000 });
    expect(timerPhase(timeUp(second, T0 + 70_000, true)!, e, true)).toBe('up');
  });

  it('any button ends a running timer; a new step starts with none done', () => {
    const s = ok(startTimer(fresh(['wall-stretch', 'childs-pose']), ex('wall-stretch'), T0, true)).next;
    const paused = ok(transition(s, 'pause', T0 + 1)).session;
    expect(paused.timer).toBeUndefined();
    const done = timeUp(s, T0 + 30_000, true)!;
    expect(ok(transition(done, 'next', T0 + 31_000)).session).toMatchObject({ step: 1, timersDone: 0 });
  });
});

/** A notifier that records edits instead of sending them. */
function recorder() {
  const edits: { ref: string; card: Card }[] = [];
  const notifier: Notifier = {
    platform: 'slack',
    postToChannel: async () => {},
    sendDm: async () => {},
    edit: async (_w, ref, card) => void edits.push({ ref, card }),
  };
  return { edits, notifiers: new Map([['slack', notifier]]) };
}

const timersFor = (t: TestCoach, r: ReturnType<typeof recorder>, useTimers: boolean) =>
  createHoldTimers({ sessions: t.storage.sessions, groups: t.storage.groups, catalogue, clock: t.clock, notifiers: r.notifiers, logger: silentLogger(), useTimers });

/** A restart 10 s into a running hold: two replicas arm it again, and it ends on time with one edit between them. */
async function endsOnceAcrossTwoReplicas(t: TestCoach): Promise<void> {
  t.clock.advance(10_000);
  const [a, b] = [recorder(), recorder()];
  const [ta, tb] = [timersFor(t, a, true), timersFor(t, b, true)];
  await ta.start();
  await tb.start();
  expect(a.edits.length + b.edits.length).toBe(0);
  t.clock.advance(20_000);
  await vi.advanceTimersByTimeAsync(20_000);
  expect(a.edits.length + b.edits.length).toBe(1);
  ta.stop();
  tb.stop();
}

const ME = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1', channelId: 'C1', isDm: false };
async function timedSession(t: TestCoach, routine = 'desk', exerciseId = 'neck-flexion'): Promise<{ reply: Reply; sessionId: string }> {
  let r = (await t.coach.handleCommand({ ...ME, command: parseCommandText(`start ${routine}`) }))[0]!;
  while (r.card.title !== ex(exerciseId).name) r = (await t.coach.handleAction({ ...ME, actionId: r.card.buttons![0]!.id }))[0]!;
  const start = r.card.buttons!.find((b) => b.label.startsWith('⏱'))!;
  const reply = (await t.coach.handleAction({ ...ME, actionId: start.id, messageRef: '{"url":"http://x/1"}' }))[0]!;
  return { reply, sessionId: start.id.split(':')[1]! };
}

describe('hold timer service', () => {
  afterEach(() => vi.useRealTimers());

  it('pressing the timer answers at once with the end time; at the end the message is edited once with "Time\'s up" and Next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = await createTestCoach();
    const { edits, notifiers } = recorder();
    const timers = createHoldTimers({ sessions: t.storage.sessions, groups: t.storage.groups, catalogue, clock: t.clock, notifiers, logger: silentLogger(), useTimers: true });
    await timers.start();
    const { reply, sessionId } = await timedSession(t);
    expect(reply).toMatchObject({ target: 'update', card: { timer: { endsAt: t.clock.now() + 30_000, seconds: 30 } } });
    expect(reply.card.buttons!.map((b) => b.label)).not.toContain('⏱ Start timer (30 s)');
    timers.arm({ kind: 'session', id: sessionId }, t.clock.now() + 30_000);
    t.clock.advance(29_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(edits).toEqual([]);
    t.clock.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.ref).toBe('{"url":"http://x/1"}');
    expect(edits[0]!.card.sections.join('\n')).toContain("⏱ Time's up. Press Next when you are ready.");
    expect(edits[0]!.card.buttons![0]!.label).toBe('Next');
    expect(edits[0]!.card.timer).toBeUndefined();
    // The sweep's safety net finds nothing left to do: no second edit.
    expect(await timers.runDue()).toBe(0);
    expect(edits).toHaveLength(1);
    timers.stop();
  });

  it('after a restart, a timer that ended while the bot was down finishes at once', async () => {
    const t = await createTestCoach();
    const { sessionId } = await timedSession(t);
    t.clock.advance(120_000);
    const { edits, notifiers } = recorder();
    const timers = createHoldTimers({ sessions: t.storage.sessions, groups: t.storage.groups, catalogue, clock: t.clock, notifiers, logger: silentLogger(), useTimers: true });
    await timers.start();
    expect(edits).toHaveLength(1);
    expect((await t.storage.sessions.get(sessionId))!).toMatchObject({ timersDone: 1 });
    timers.stop();
  });

  it('after a restart, a timer still running is armed again and finishes on time, once across two replicas', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = await createTestCoach();
    await timedSession(t);
    await endsOnceAcrossTwoReplicas(t);
  });

  it('a per-side hold edits to "Switch sides" with a second timer, then to "Time\'s up"', async () => {
    const t = await createTestCoach();
    const { edits, notifiers } = recorder();
    const timers = createHoldTimers({ sessions: t.storage.sessions, groups: t.storage.groups, catalogue, clock: t.clock, notifiers, logger: silentLogger(), useTimers: false });
    const { sessionId } = await timedSession(t, 'floor', 'knee-to-chest');
    t.clock.advance(30_000);
    expect(await timers.runDue()).toBe(1);
    const switched = edits[0]!.card;
    expect(switched.sections.join('\n')).toContain('Switch sides');
    const second = switched.buttons!.find((b) => b.label === '⏱ Start timer (30 s), other side')!;
    const running = (await t.coach.handleAction({ ...ME, actionId: second.id, messageRef: '{"url":"http://x/2"}' }))[0]!;
    expect(running.card.sections.join('\n')).toContain('Hold for 30 s, other side');
    t.clock.advance(30_000);
    await timers.runDue();
    expect(edits).toHaveLength(2);
    expect(edits[1]!.ref).toBe('{"url":"http://x/2"}');
    expect(edits[1]!.card.sections.join('\n')).toContain("Time's up");
    expect((await t.storage.sessions.get(sessionId))!.timersDone).toBe(2);
  });

  it('a click that moves the session on before the end cancels the timer: nothing is edited later', async () => {
    const t = await createTestCoach();
    const { edits, notifiers } = recorder();
    const timers = createHoldTimers({ sessions: t.storage.sessions, groups: t.storage.groups, catalogue, clock: t.clock, notifiers, logger: silentLogger(), useTimers: false });
    const { reply } = await timedSession(t);
    await t.coach.handleAction({ ...ME, actionId: reply.card.buttons!.find((b) => b.label === 'Next')!.id });
    t.clock.advance(60_000);
    expect(await timers.runDue()).toBe(0);
    expect(edits).toEqual([]);
  });
});

describe('hold timer service, live groups', () => {
  afterEach(() => vi.useRealTimers());
  const GROUP_MESSAGE = '{"channel":"C1","ts":"1.5"}';

  /** `/stretch group desk`, Next to the 30-second neck flexion, and the host's ⏱. */
  async function timedGroup(t: TestCoach): Promise<{ reply: Reply; groupId: string }> {
    let [r] = await t.coach.handleCommand({ ...ME, command: parseCommandText('group desk') });
    const groupId = r!.remember!.id;
    while (r!.card.title !== ex('neck-flexion').name) [r] = await t.coach.handleAction({ ...ME, actionId: r!.card.buttons!.find((b) => b.label === 'Next')!.id, messageRef: GROUP_MESSAGE });
    const start = r!.card.buttons!.find((b) => b.label.startsWith('⏱'))!;
    const reply = (await t.coach.handleAction({ ...ME, actionId: start.id, messageRef: GROUP_MESSAGE }))[0]!;
    return { reply, groupId };
  }

  it("the host's hold ends by itself: one edit of the group's message, \"Time's up\" with Next and the participants", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = await createTestCoach();
    const r = recorder();
    const timers = timersFor(t, r, true);
    await timers.start();
    const { reply, groupId } = await timedGroup(t);
    expect(reply).toMatchObject({ target: 'update', card: { timer: { endsAt: t.clock.now() + 30_000, seconds: 30 } } });
    timers.arm({ kind: 'group', id: groupId }, t.clock.now() + 30_000);
    t.clock.advance(29_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(r.edits).toEqual([]);
    t.clock.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.edits).toHaveLength(1);
    expect(r.edits[0]!.ref).toBe(GROUP_MESSAGE);
    const card = r.edits[0]!.card;
    expect(card.sections.join('\n')).toContain("⏱ Time's up. Press Next when you are ready.");
    expect(card.buttons!.map((b) => b.label)).toEqual(['Join', 'Leave', 'Next', 'Back', 'Skip', 'Stop']);
    expect(card.people?.label).toBe('Taking part (1)');
    expect(await timers.runDue()).toBe(0);
    expect(r.edits).toHaveLength(1);
    // The end of a hold is not a press: the idle close still counts from the host's ⏱.
    expect((await t.storage.groups.get(groupId))!).toMatchObject({ timersDone: 1, lastPressAt: t.clock.now() - 30_000 });
    timers.stop();
  });

  it('after a restart, a group timer that ended while the bot was down finishes at once; one still running is armed again and ends once across two replicas', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = await createTestCoach();
    const { groupId } = await timedGroup(t);
    t.clock.advance(120_000);
    const late = recorder();
    const restarted = timersFor(t, late, true);
    await restarted.start();
    expect(late.edits).toHaveLength(1);
    expect((await t.storage.groups.get(groupId))!.timersDone).toBe(1);
    restarted.stop();

    const t2 = await createTestCoach();
    await timedGroup(t2);
    await endsOnceAcrossTwoReplicas(t2);
  });

  it('Next before the end cancels the group timer: nothing is edited later', async () => {
    const t = await createTestCoach();
    const r = recorder();
    const timers = timersFor(t, r, false);
    const { reply } = await timedGroup(t);
    await t.coach.handleAction({ ...ME, actionId: reply.card.buttons!.find((b) => b.label === 'Next')!.id, messageRef: GROUP_MESSAGE });
    t.clock.advance(60_000);
    expect(await timers.runDue()).toBe(0);
    expect(r.edits).toEqual([]);
  });
});
