import { describe, expect, it } from 'vitest';
import { availableVerbs, endedForPain, newSession, onEasier, summarise, transition, type Session } from '../src/core/session.js';
import type { SessionVerb } from '../src/core/action-id.js';

const T0 = 1_000_000;
function fresh(steps = 3): Session {
  return newSession({
    id: 'abc123', platform: 'terminal', workspaceId: 'w', userId: 'u', channelId: 'c', surface: 'channel',
    routineId: 'r', exerciseIds: Array.from({ length: steps }, (_, i) => `e${i}`), now: T0,
  });
}
function apply(s: Session, verb: SessionVerb, at = s.updatedAt + 1000): Session {
  const r = transition(s, verb, at);
  if (!r.ok) throw new Error(`${verb} refused: ${r.message}`);
  return r.session;
}
function refuse(s: Session, verb: SessionVerb): string {
  const r = transition(s, verb, s.updatedAt + 1000);
  if (r.ok) throw new Error(`${verb} was accepted`);
  return r.message;
}

describe('session state machine', () => {
  it('offers Next (not Done, not Back) on the first step and Done (not Next) on the last', () => {
    const s = fresh();
    expect(availableVerbs(s)).toEqual(['next', 'skip', 'pause', 'stop', 'hurt']);
    const last = apply(apply(s, 'next'), 'next');
    expect(last.step).toBe(2);
    expect(availableVerbs(last)).toEqual(['done', 'back', 'skip', 'pause', 'stop', 'hurt']);
  });

  it('next marks done and advances; done on the last step completes', () => {
    let s = apply(fresh(), 'next');
    expect(s.results).toEqual(['done', 'pending', 'pending']);
    s = apply(apply(s, 'next'), 'done');
    expect(s.status).toBe('completed');
    expect(s.results).toEqual(['done', 'done', 'done']);
    expect(s.finishedAt).toBeDefined();
  });

  it('refuses back on the first step, next on the last, done before the last', () => {
    const s = fresh();
    expect(refuse(s, 'back')).toMatch(/first exercise/);
    expect(refuse(s, 'done')).toMatch(/more exercises/);
    const last = apply(apply(s, 'next'), 'next');
    expect(refuse(last, 'next')).toMatch(/last exercise/);
  });

  it('back returns to the previous step and keeps results', () => {
    const s = apply(apply(fresh(), 'next'), 'back');
    expect(s.step).toBe(0);
    expect(s.results[0]).toBe('done');
  });

  it('skip marks skipped and advances; skip on the last step completes', () => {
    let s = apply(fresh(2), 'skip');
    expect(s).toMatchObject({ step: 1, results: ['skipped', 'pending'] });
    s = apply(s, 'skip');
    expect(s.status).toBe('completed');
    expect(summarise(s)).toMatchObject({ done: 0, skipped: 2 });
  });

  it('pause allows only resume or stop, and paused time is not counted', () => {
    let s = apply(fresh(), 'pause', T0 + 10_000);
    expect(s.status).toBe('paused');
    expect(availableVerbs(s)).toEqual(['resume', 'stop']);
    expect(refuse(s, 'next')).toMatch(/paused/);
    s = apply(s, 'resume', T0 + 70_000);
    expect(s).toMatchObject({ status: 'active', pausedMs: 60_000 });
    s = apply(s, 'stop', T0 + 100_000);
    expect(summarise(s).activeSeconds).toBe(40);
  });

  it('stop while paused ends the session and counts the pause', () => {
    const s = apply(apply(fresh(), 'pause', T0 + 5_000), 'stop', T0 + 65_000);
    expect(s.status).toBe('stopped');
    expect(summarise(s)).toMatchObject({ activeSeconds: 5, notReached: 3 });
  });

  it('"It hurts" marks the exercise and offers the easier version, a lasting skip, a skip this time or end', () => {
    let s = apply(fresh(), 'hurt');
    expect(s.status).toBe('hurt');
    expect(availableVerbs(s)).toEqual(['easier', 'never', 'skip', 'stop']);
    expect(refuse(s, 'next')).toMatch(/easier version, a skip, or end/);
    s = apply(s, 'skip');
    expect(s).toMatchObject({ status: 'active', step: 1, results: ['hurt', 'pending', 'pending'] });
    expect(summarise(apply(apply(s, 'hurt'), 'stop'))).toMatchObject({ hurt: 2, done: 0, notReached: 1 });
  });

  it('"Try the easier version" goes back to the step in its easier variant; doing it counts as done', () => {
    let s = apply(apply(fresh(), 'hurt'), 'easier');
    expect(s).toMatchObject({ status: 'active', step: 0, easierSteps: [0], results: ['hurt', 'pending', 'pending'] });
    expect(onEasier(s)).toBe(true);
    s = apply(s, 'next');
    expect(onEasier(s)).toBe(false);
    expect(apply(s, 'back').easierSteps).toEqual([0]);
    expect(s.results[0]).toBe('done');
  });

  it('"Skip it from now on" moves on like a skip and keeps the hurt mark (the coach records the lasting skip)', () => {
    const s = apply(apply(fresh(), 'hurt'), 'never');
    expect(s).toMatchObject({ status: 'active', step: 1, results: ['hurt', 'pending', 'pending'] });
    expect(apply(apply(fresh(1), 'hurt'), 'never').status).toBe('completed');
  });

  it('easier and never only apply after "It hurts"', () => {
    expect(refuse(fresh(), 'easier')).toMatch(/does not apply/);
    expect(refuse(fresh(), 'never')).toMatch(/does not apply/);
  });

  it('pain never counts as a failure: ending on a step that hurt is a finished session; other stops are not', () => {
    const hurtEnd = apply(apply(apply(fresh(), 'next'), 'hurt'), 'stop');
    expect(endedForPain(hurtEnd)).toBe(true);
    expect(summarise(hurtEnd)).toMatchObject({ outcome: 'completed', done: 1, hurt: 1, skipped: 0 });
    const plainStop = apply(fresh(), 'stop');
    expect(summarise(plainStop).outcome).toBe('stopped');
    const skippedOnThenStopped = apply(apply(apply(fresh(), 'hurt'), 'skip'), 'stop');
    expect(summarise(skippedOnThenStopped).outcome).toBe('stopped');
  });

  it('a new session remembers which exercises it left out', () => {
    const s = newSession({ id: 'x', platform: 'terminal', workspaceId: 'w', userId: 'u', channelId: 'c', surface: 'channel', routineId: 'r', exerciseIds: ['a'], leftOut: ['b'], now: T0 });
    expect(s).toMatchObject({ leftOut: ['b'], easierSteps: [] });
  });

  it('hurt then skip on the last step completes the routine', () => {
    const s = apply(apply(fresh(1), 'hurt'), 'skip');
    expect(s.status).toBe('completed');
  });

  it('refuses every verb once finished', () => {
    const s = apply(fresh(), 'stop');
    for (const verb of ['next', 'back', 'skip', 'pause', 'resume', 'stop', 'hurt', 'done', 'easier', 'never'] as const) {
      expect(refuse(s, verb)).toMatch(/already ended/);
    }
  });
});
