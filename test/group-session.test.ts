/** The live group session state machine: join, leave, host hand-over, host-only presses, idle close, credits. */
import { describe, expect, it } from 'vitest';
import {
  closeIfIdle,
  GROUP_IDLE_MS,
  groupCredits,
  groupTransition,
  hostVerbs,
  isTakingPart,
  newGroup,
  togetherLine,
  type GroupSession,
  type GroupVerb,
} from '../src/core/group-session.js';

const T0 = Date.UTC(2026, 10, 24, 9);
const fresh = (steps = 3): GroupSession =>
  newGroup({ id: 'g1', platform: 'slack', workspaceId: 'T1', channelId: 'C1', routineId: 'desk', exerciseIds: Array.from({ length: steps }, (_, i) => `e${i}`), hostId: 'ann', now: T0 });
function press(g: GroupSession, verb: GroupVerb, who: string, at = g.lastPressAt + 60_000) {
  const r = groupTransition(g, verb, who, at);
  if (!r.ok) throw new Error(`${who} ${verb} refused: ${r.message}`);
  return r;
}
const apply = (g: GroupSession, verb: GroupVerb, who: string, at?: number) => press(g, verb, who, at).group;

describe('group session', () => {
  it('starts at step 1 with the host taking part; anyone joins at any step, once', () => {
    let g = fresh();
    expect(g).toMatchObject({ step: 0, status: 'live', hostId: 'ann' });
    expect(isTakingPart(g, 'ann')).toBe(true);
    g = apply(g, 'join', 'bob');
    g = apply(g, 'next', 'ann');
    g = apply(g, 'join', 'cy');
    expect(g.participants.map((p) => p.userId)).toEqual(['ann', 'bob', 'cy']);
    expect(groupTransition(g, 'join', 'cy', T0 + 1)).toMatchObject({ ok: false, kind: 'not-now', message: 'You are already taking part.' });
  });

  it('refuses host buttons from anyone else and changes nothing', () => {
    const g = apply(fresh(), 'join', 'bob');
    for (const verb of ['next', 'back', 'skip', 'stop'] as const) {
      const r = groupTransition(g, verb, 'bob', T0 + 1);
      expect(r).toMatchObject({ ok: false, kind: 'not-host' });
    }
    expect(groupTransition(g, 'next', 'stranger', T0 + 1)).toMatchObject({ ok: false, kind: 'not-host' });
  });

  it('when the host leaves, the longest-standing participant becomes host', () => {
    let g = apply(apply(apply(fresh(), 'join', 'bob'), 'join', 'cy'), 'leave', 'bob');
    g = apply(g, 'join', 'bob');
    const r = press(g, 'leave', 'ann');
    // Bob joined first but left and came back after Cy: Cy has been there longest.
    expect(r.handedTo).toBe('cy');
    expect(r.group.hostId).toBe('cy');
    expect(groupTransition(r.group, 'next', 'ann', T0 + 10)).toMatchObject({ kind: 'not-host' });
    expect(apply(r.group, 'next', 'cy').step).toBe(1);
  });

  it('closes when the last person leaves; leaving twice is refused', () => {
    const g = apply(apply(fresh(), 'join', 'bob'), 'leave', 'bob');
    expect(groupTransition(g, 'leave', 'bob', T0 + 1)).toMatchObject({ ok: false, kind: 'not-now' });
    expect(apply(g, 'leave', 'ann')).toMatchObject({ status: 'closed' });
  });

  it('offers Next, Back from step 2, and Done on the last step; refuses Next there and Back on step 1', () => {
    let g = fresh(2);
    expect(hostVerbs(g)).toEqual(['next', 'skip', 'stop']);
    expect(groupTransition(g, 'back', 'ann', T0 + 1)).toMatchObject({ kind: 'not-now' });
    g = apply(g, 'next', 'ann');
    expect(hostVerbs(g)).toEqual(['done', 'back', 'skip', 'stop']);
    expect(groupTransition(g, 'next', 'ann', T0 + 1)).toMatchObject({ kind: 'not-now' });
    expect(apply(g, 'back', 'ann').step).toBe(0);
  });

  it('finishing credits a finished session to everyone there at the end, and what they did to those who left', () => {
    let g = apply(fresh(3), 'join', 'bob', T0);
    g = apply(g, 'next', 'ann', T0 + 60_000);
    g = apply(g, 'join', 'cy', T0 + 90_000);
    g = apply(g, 'leave', 'bob', T0 + 100_000);
    g = apply(g, 'next', 'ann', T0 + 120_000);
    g = apply(g, 'join', 'dee', T0 + 130_000);
    g = apply(g, 'leave', 'dee', T0 + 140_000);
    g = apply(g, 'join', 'dee', T0 + 150_000);
    g = apply(g, 'done', 'ann', T0 + 180_000);
    expect(g.status).toBe('finished');
    expect(groupCredits(g)).toEqual([
      { userId: 'ann', outcome: 'completed', done: 3, total: 3, activeSeconds: 180 },
      { userId: 'bob', outcome: 'stopped', done: 1, total: 3, activeSeconds: 100 },
      { userId: 'cy', outcome: 'completed', done: 2, total: 3, activeSeconds: 90 },
      // Two stints: 10 s, then 30 s; the last step counts for her.
      { userId: 'dee', outcome: 'completed', done: 1, total: 3, activeSeconds: 40 },
    ]);
    expect(togetherLine(g, 'Desk break')).toBe('3 people finished the Desk break together');
    expect(groupTransition(g, 'join', 'dee', T0 + 200_000)).toMatchObject({ ok: false, kind: 'ended' });
  });

  it('closes itself after 30 minutes without a press, and not before; a closed group credits nobody a finish', () => {
    const g = apply(fresh(), 'join', 'bob', T0 + 1_000);
    expect(closeIfIdle(g, g.lastPressAt + GROUP_IDLE_MS - 1)).toBeUndefined();
    const closed = closeIfIdle(g, g.lastPressAt + GROUP_IDLE_MS)!;
    expect(closed).toMatchObject({ status: 'closed', finishedAt: g.lastPressAt + GROUP_IDLE_MS });
    expect(groupCredits(closed).map((c) => c.outcome)).toEqual(['stopped', 'stopped']);
    expect(togetherLine(closed, 'Desk break')).toBe('The Desk break group session ended.');
    expect(closeIfIdle(closed, closed.finishedAt! + GROUP_IDLE_MS)).toBeUndefined();
  });

  it('the host stopping ends it for everyone', () => {
    const g = apply(apply(fresh(), 'join', 'bob'), 'stop', 'ann');
    expect(g.status).toBe('stopped');
    expect(groupCredits(g).every((c) => c.outcome === 'stopped')).toBe(true);
  });
});
