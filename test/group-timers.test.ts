/**
 * Hold timers in a live group session: the rules the solo timer has (core/hold-timer), pressed
 * by the host only, reset by the host's moves, kept through Join and Leave, and drawn on the
 * group's one message.
 */
import { describe, expect, it } from 'vitest';
import { closeIfIdle, GROUP_IDLE_MS, groupTransition, newGroup, type GroupSession, type GroupVerb } from '../src/core/group-session.js';
import { timeUp, timerPhase } from '../src/core/hold-timer.js';
import { groupCard } from '../src/core/team/group-views.js';
import { shippedCatalogue } from './support/coach.js';

const catalogue = shippedCatalogue();
const ex = (id: string) => catalogue.exercises.get(id)!;
const T0 = Date.UTC(2026, 10, 24, 9);
/** wall-stretch holds 30 s; knee-to-chest holds 30 s on each side. */
const fresh = (exerciseIds = ['wall-stretch', 'knee-to-chest', 'wall-stretch']): GroupSession =>
  newGroup({ id: 'g1', platform: 'slack', workspaceId: 'T1', channelId: 'C1', routineId: 'desk', exerciseIds, hostId: 'ann', now: T0 });
const current = (g: GroupSession) => ex(g.exerciseIds[g.step]!);
const tryPress = (g: GroupSession, verb: GroupVerb, who: string, at: number) => groupTransition(g, verb, who, at, current(g));
function apply(g: GroupSession, verb: GroupVerb, who: string, at: number): GroupSession {
  const r = tryPress(g, verb, who, at);
  if (!r.ok) throw new Error(`${who} ${verb} refused: ${r.message}`);
  return r.group;
}
const labels = (g: GroupSession) => groupCard(g, catalogue).buttons!.map((b) => b.label);
const text = (g: GroupSession) => groupCard(g, catalogue).sections.join('\n');

describe('group hold timers', () => {
  it('only the host starts the timer; anyone else gets the host-only answer and nothing changes', () => {
    const g = apply(fresh(), 'join', 'bob', T0 + 1);
    expect(tryPress(g, 'timer', 'bob', T0 + 2)).toMatchObject({ ok: false, kind: 'not-host', message: expect.stringContaining('Only the host') });
    expect(g.timer).toBeUndefined();
    const started = apply(g, 'timer', 'ann', T0 + 2);
    expect(started.timer).toEqual({ side: 1, endsAt: T0 + 2 + 30_000 });
    expect(started.lastPressAt).toBe(T0 + 2);
  });

  it('the card offers ⏱ in the host row while ready, shows the running timer, then "Time\'s up" with Next', () => {
    const g = fresh();
    expect(labels(g)).toEqual(['Join', 'Leave', 'Next', '⏱ Start timer (30 s)', 'Skip', 'Stop']);
    const running = apply(g, 'timer', 'ann', T0);
    const card = groupCard(running, catalogue);
    expect(card.timer).toEqual({ endsAt: T0 + 30_000, seconds: 30 });
    expect(card.buttons!.map((b) => b.label)).toEqual(['Join', 'Leave', 'Next', 'Skip', 'Stop']);
    expect(text(running)).toContain("Hold for 30 s. I'll update this message when the time is up.");
    expect(timeUp(running, T0 + 29_999, true)).toBeUndefined();
    const up = timeUp(running, T0 + 30_000, true)!;
    expect(up.timer).toBeUndefined();
    expect(timerPhase(up, current(up), true)).toBe('up');
    expect(groupCard(up, catalogue).timer).toBeUndefined();
    expect(text(up)).toContain("⏱ Time's up. Press Next when you are ready.");
    expect(labels(up)).toEqual(['Join', 'Leave', 'Next', 'Skip', 'Stop']);
  });

  it('restarting while it runs is refused; after it ended on a one-sided hold too', () => {
    const running = apply(fresh(), 'timer', 'ann', T0);
    expect(tryPress(running, 'timer', 'ann', T0 + 5_000)).toMatchObject({ ok: false, kind: 'not-now', message: expect.stringMatching(/already running/) });
    const up = timeUp(running, T0 + 30_000, true)!;
    expect(tryPress(up, 'timer', 'ann', T0 + 31_000)).toMatchObject({ ok: false, kind: 'not-now' });
    // A step without a hold has no timer to start.
    const neck = newGroup({ ...fresh(), exerciseIds: ['neck-rolls'], now: T0 });
    expect(tryPress(neck, 'timer', 'ann', T0)).toMatchObject({ ok: false, kind: 'not-now' });
  });

  it('a per-side exercise switches sides with a second timer for the other side, then is up', () => {
    const onKnee = apply(fresh(), 'next', 'ann', T0);
    const first = timeUp(apply(onKnee, 'timer', 'ann', T0 + 1_000), T0 + 31_000, true)!;
    expect(text(first)).toContain('Switch sides');
    expect(labels(first)).toContain('⏱ Start timer (30 s), other side');
    const second = apply(first, 'timer', 'ann', T0 + 40_000);
    expect(second.timer).toEqual({ side: 2, endsAt: T0 + 70_000 });
    expect(text(second)).toContain('Hold for 30 s, other side');
    const done = timeUp(second, T0 + 70_000, true)!;
    expect(done.timersDone).toBe(2);
    expect(text(done)).toContain("Time's up");
  });

  it('Next, Back and Skip end a running timer and start the new step with none done; Join and Leave keep it', () => {
    const running = apply(apply(fresh(), 'join', 'bob', T0), 'timer', 'ann', T0 + 1);
    expect(apply(running, 'join', 'cy', T0 + 2).timer).toEqual(running.timer);
    expect(apply(running, 'leave', 'bob', T0 + 2).timer).toEqual(running.timer);
    for (const verb of ['next', 'skip'] as const) {
      const moved = apply(running, verb, 'ann', T0 + 2);
      expect(moved).toMatchObject({ step: 1, timersDone: 0 });
      expect(moved.timer).toBeUndefined();
    }
    const upOnTwo = timeUp(apply(apply(fresh(), 'next', 'ann', T0), 'timer', 'ann', T0), T0 + 30_000, true)!;
    expect(upOnTwo.timersDone).toBe(1);
    const back = apply(upOnTwo, 'back', 'ann', T0 + 31_000);
    expect(back).toMatchObject({ step: 0, timersDone: 0 });
    expect(labels(back)).toContain('⏱ Start timer (30 s)');
  });

  it('an ended group has no timer left: Stop, and the idle close', () => {
    const running = apply(fresh(), 'timer', 'ann', T0);
    expect(apply(running, 'stop', 'ann', T0 + 1).timer).toBeUndefined();
    expect(closeIfIdle(running, T0 + GROUP_IDLE_MS)!.timer).toBeUndefined();
    expect(timeUp({ ...running, status: 'stopped' }, T0 + 30_000, false)).toBeUndefined();
  });
});
