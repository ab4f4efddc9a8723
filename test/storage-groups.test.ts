/**
 * The group sessions repository's contract on every database (SQLite always; PostgreSQL with
 * TEST_DATABASE_URL): one live group per channel, optimistic versions between two replicas,
 * per-person credits in the history, and the idle query.
 */
import { describe, expect, it } from 'vitest';
import { groupCredits, groupTransition, newGroup, type GroupSession } from '../src/core/group-session.js';
import { databases, useReplicas } from './support/databases.js';

const T = Date.UTC(2026, 10, 24, 9);
let ids = 0;
const uid = (p: string) => `${p}${++ids}`;
const group = (channelId = uid('C'), hostId = 'U1'): GroupSession =>
  newGroup({ id: uid('g'), platform: 'slack', workspaceId: 'T1', channelId, routineId: 'neck', exerciseIds: ['a', 'b'], hostId, now: T });
const press = (g: GroupSession, verb: Parameters<typeof groupTransition>[1], userId: string, now = T + 1000) => {
  const r = groupTransition(g, verb, userId, now);
  if (!r.ok) throw new Error(r.message);
  return r.group;
};

describe.each(databases())('group sessions on $label', (database) => {
  const { skip } = database;
  /** Replica A and replica B: two storages (pools, or connections to the file) on one database. */
  const replicas = useReplicas(database);

  it.skipIf(skip)('stores and reads a group back whole, and finds the live one of a channel', async () => {
    const g = { ...group(), messageRef: '{"channel":"C","ts":"1.2"}' };
    expect(await replicas.a.groups.insert(g)).toBe(true);
    expect(await replicas.b.groups.get(g.id)).toEqual(g);
    expect(await replicas.b.groups.liveIn(g)).toEqual(g);
    expect(await replicas.b.groups.liveIn({ ...g, channelId: 'elsewhere' })).toBeUndefined();
    expect(await replicas.a.groups.get('nope')).toBeUndefined();
  });

  it.skipIf(skip)('allows one live group per channel; another may start once it ended', async () => {
    const first = group();
    expect(await replicas.a.groups.insert(first)).toBe(true);
    expect(await replicas.b.groups.insert({ ...group(first.channelId), id: uid('g') })).toBe(false);
    const stopped = press(first, 'stop', 'U1');
    expect(await replicas.a.groups.save(stopped, 0, [])).toBe(true);
    expect(await replicas.b.groups.insert({ ...group(first.channelId), id: uid('g') })).toBe(true);
  });

  it.skipIf(skip)('saves a press once between two replicas (optimistic version)', async () => {
    const g = group();
    await replicas.a.groups.insert(g);
    const joined = press(g, 'join', 'U2');
    expect(await replicas.a.groups.save(joined, 0, [])).toBe(true);
    expect(await replicas.b.groups.save(press(g, 'next', 'U1'), 0, [])).toBe(false);
    const stored = await replicas.b.groups.get(g.id);
    expect(stored?.version).toBe(1);
    expect(stored?.participants.map((p) => p.userId)).toEqual(['U1', 'U2']);
    expect(stored?.step).toBe(0);
  });

  it.skipIf(skip)('an ended group credits each participant a finished session in their history', async () => {
    const g = group();
    for (const u of ['U1', 'U2', 'U3']) await replicas.a.users.ensure({ platform: 'slack', workspaceId: 'T1', userId: u }, T);
    await replicas.a.groups.insert(g);
    let next = press(g, 'join', 'U2');
    next = press(next, 'join', 'U3');
    next = press(next, 'next', 'U1', T + 60_000);
    next = press(next, 'leave', 'U3', T + 70_000);
    next = press(next, 'done', 'U1', T + 120_000);
    expect(await replicas.b.groups.save(next, 0, groupCredits(next))).toBe(true);
    const totals = (userId: string) => replicas.a.sessions.totals({ platform: 'slack', workspaceId: 'T1', userId }, 0);
    expect(await totals('U1')).toEqual({ sessions: 1, completed: 1, exercisesDone: 2, activeSeconds: 120 });
    expect(await totals('U2')).toMatchObject({ sessions: 1, completed: 1, exercisesDone: 2 });
    expect(await totals('U3')).toEqual({ sessions: 1, completed: 0, exercisesDone: 1, activeSeconds: 69 });
    expect(await replicas.a.groups.liveIn(g)).toBeUndefined();
  });

  it.skipIf(skip)('lists live groups idle since a time, oldest first', async () => {
    const old = { ...group(), lastPressAt: T - 10 };
    const fresh = { ...group(), lastPressAt: T + 5_000 };
    await replicas.a.groups.insert(old);
    await replicas.a.groups.insert(fresh);
    const idle = (await replicas.b.groups.idleSince(T)).map((g) => g.id);
    expect(idle).toContain(old.id);
    expect(idle).not.toContain(fresh.id);
  });

  it.skipIf(skip)('remembers the message address once, without a version bump; a stale save never erases it', async () => {
    const g = group();
    await replicas.a.groups.insert(g);
    // Replica B read the group before the address was known.
    const stale = (await replicas.b.groups.get(g.id))!;
    expect(await replicas.a.groups.rememberMessage(g.id, '{"channel":"C","ts":"9.9"}')).toBe(true);
    expect(await replicas.b.groups.rememberMessage(g.id, '{"channel":"C","ts":"0.1"}')).toBe(false);
    expect(await replicas.b.groups.rememberMessage('nope', 'x')).toBe(false);
    expect(await replicas.b.groups.save(press(stale, 'join', 'U2'), 0, [])).toBe(true);
    expect(await replicas.a.groups.get(g.id)).toMatchObject({ version: 1, messageRef: '{"channel":"C","ts":"9.9"}' });
    // A press on a message brings its own address, which is stored.
    const fresh = (await replicas.a.groups.get(g.id))!;
    expect(await replicas.b.groups.save({ ...press(fresh, 'next', 'U1'), messageRef: 'clicked' }, 1, [])).toBe(true);
    expect((await replicas.a.groups.get(g.id))!.messageRef).toBe('clicked');
  });

  it.skipIf(skip)('stores a group hold timer; running ones are listed by end time, due ones by a bound, ended ones not', async () => {
    const early = { ...group(), timer: { side: 1, endsAt: T + 700_000_000 } };
    const late = { ...group(), timer: { side: 2, endsAt: T + 800_000_000 }, timersDone: 1 };
    await replicas.a.groups.insert(early);
    await replicas.a.groups.insert(late);
    expect(await replicas.b.groups.get(late.id)).toMatchObject({ timer: { side: 2, endsAt: T + 800_000_000 }, timersDone: 1 });
    const mine = (list: { id: string }[]) => list.filter((t) => t.id === early.id || t.id === late.id);
    expect(mine(await replicas.b.groups.runningTimers())).toEqual([
      { id: early.id, endsAt: T + 700_000_000 },
      { id: late.id, endsAt: T + 800_000_000 },
    ]);
    expect(mine(await replicas.b.groups.runningTimers(T + 700_000_000))).toEqual([{ id: early.id, endsAt: T + 700_000_000 }]);
    const { timer: _t, ...ended } = early;
    expect(await replicas.a.groups.save({ ...ended, timersDone: 1 }, 0, [])).toBe(true);
    expect(await replicas.b.groups.get(early.id)).toMatchObject({ timersDone: 1 });
    expect((await replicas.b.groups.get(early.id))!.timer).toBeUndefined();
    expect(mine(await replicas.b.groups.runningTimers())).toEqual([{ id: late.id, endsAt: T + 800_000_000 }]);
  });
});
