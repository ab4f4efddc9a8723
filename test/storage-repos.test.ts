/**
 * The repositories' contract, once, on every database (SQLite always; PostgreSQL with
 * TEST_DATABASE_URL). "Two replicas" are two storages opened on the same database.
 * Slack installations: removing a workspace pauses its schedules and skips its pending
 * outbox rows without touching another.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { SlackInstallationRecord } from '../src/adapters/slack/installations.js';
import { newSession, summarise, transition, type Session } from '../src/core/session.js';
import type { Fire, Schedule } from '../src/core/team/ports.js';
import type { Storage } from '../src/storage/open.js';
import { rows, sql } from './support/coach.js';
import { databases, useReplicas } from './support/databases.js';

const T = Date.UTC(2026, 10, 24, 9);
const U1 = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1' };
const C1 = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1' };
let ids = 0;
const uid = (p: string) => `${p}${++ids}`;

const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  id: uid('s'), platform: 'slack', workspaceId: 'T1', kind: 'channel', channelId: 'C1', userId: 'U1', whenText: 'daily 10:00',
  crons: ['0 10 * * *'], timezone: 'UTC', routineId: 'desk', paused: false, createdAt: T, updatedAt: T, ...over,
});
const fireOf = (s: Schedule, fireAt = T + 3_600_000): Fire => ({
  id: uid('f'), scheduleId: s.id, platform: s.platform, workspaceId: s.workspaceId, channelId: s.channelId, routineId: s.routineId, fireAt,
});
const session = (over: Partial<Parameters<typeof newSession>[0]> = {}): Session =>
  newSession({ id: uid('x'), platform: 'slack', workspaceId: 'T1', userId: 'U1', channelId: 'C1', surface: 'dm', routineId: 'desk', exerciseIds: ['a', 'b'], now: T, ...over });

const install = (key: string, over: Partial<SlackInstallationRecord> = {}): SlackInstallationRecord => ({
  key, teamId: key, teamName: `Team ${key}`, isEnterprise: false, botToken: `xoxb-${key}-1`, botId: 'B1', botUserId: 'U0BOT',
  scopes: ['commands', 'chat:write'], installerUserId: 'U0ADMIN', installedAt: T, ...over,
});

describe.each(databases())('storage on $label', (database) => {
  const { skip, dialect } = database;
  /** Replica A and replica B: two storages (pools, or connections to the file) on one database. */
  const replicas = useReplicas(database);

  it.skipIf(skip)('DM channel ids: stored once known, replaced, dropped only while still the stale one', async () => {
    const ann = { ...U1, userId: uid('U') };
    expect(await replicas.a.dmChannels.get(ann)).toBeUndefined();
    await replicas.a.dmChannels.put(ann, 'D1', T);
    expect(await replicas.b.dmChannels.get(ann)).toBe('D1');
    expect(await replicas.b.dmChannels.get({ ...ann, platform: 'discord' })).toBeUndefined();
    // Replica B replaced it meanwhile: A's drop of the stale id leaves B's replacement alone.
    await replicas.b.dmChannels.put(ann, 'D2', T + 1);
    await replicas.a.dmChannels.drop(ann, 'D1');
    expect(await replicas.a.dmChannels.get(ann)).toBe('D2');
    await replicas.a.dmChannels.drop(ann, 'D2');
    expect(await replicas.b.dmChannels.get(ann)).toBeUndefined();
  });

  it.skipIf(skip)('answers ping and reports its dialect', async () => {
    await expect(replicas.a.ping()).resolves.toBeUndefined();
    expect(replicas.a.dialect).toBe(dialect);
  });

  it.skipIf(skip)('users: ensure is idempotent; a setting creates the row; clearing works', async () => {
    const k = { ...U1, userId: uid('U') };
    await replicas.a.users.ensure(k, T);
    await replicas.b.users.ensure(k, T + 1);
    expect(await replicas.a.users.get(k)).toEqual({ ...k, timezone: undefined, workStartMin: undefined, workEndMin: undefined, dmPausedUntil: undefined, shoutouts: false });
    const k2 = { ...U1, userId: uid('U') };
    await replicas.a.users.setTimezone(k2, 'Asia/Tokyo', T);
    await replicas.a.users.setWorkHours(k2, { startMin: 540, endMin: 1020 }, T);
    await replicas.a.users.setDmPause(k2, T + 86_400_000, T);
    expect(await replicas.b.users.get(k2)).toEqual({ ...k2, timezone: 'Asia/Tokyo', workStartMin: 540, workEndMin: 1020, dmPausedUntil: T + 86_400_000, shoutouts: false });
    // Shout-outs: a setting like the others, and what team summaries ask about.
    await replicas.a.habits.setShoutouts(k2, true, T);
    expect((await replicas.b.users.get(k2))?.shoutouts).toBe(true);
    expect(await replicas.b.habits.shoutoutsOn(k2.platform, k2.workspaceId, [k.userId, k2.userId])).toEqual(new Set([k2.userId]));
    await replicas.a.users.setWorkHours(k2, undefined, T);
    await replicas.a.users.setDmPause(k2, undefined, T);
    expect(await replicas.a.users.get(k2)).toMatchObject({ workStartMin: undefined, dmPausedUntil: undefined });
  });

  it.skipIf(skip)('statuses: kept with a known person, cleared, read by the other replica; one about a stranger stores nothing', async () => {
    const k = { ...U1, userId: uid('U') };
    const meeting = { emoji: ':spiral_calendar_pad:', text: 'In a meeting', expiresAt: T + 3_600_000 };
    // Someone the bot never met (an event about anyone in the workspace): nothing is created.
    expect(await replicas.a.users.setStatus(k, meeting, T)).toBe(false);
    expect(await replicas.b.users.get(k)).toBeUndefined();
    await replicas.a.users.ensure(k, T);
    await replicas.a.users.setStatus(k, meeting, T);
    expect((await replicas.b.users.get(k))?.status).toEqual(meeting);
    await replicas.b.users.setStatus(k, { emoji: ':palm_tree:' }, T + 1);
    expect((await replicas.a.users.get(k))?.status).toEqual({ emoji: ':palm_tree:', text: undefined, expiresAt: undefined });
    await replicas.b.users.setStatus(k, { emoji: '', text: '' }, T + 2);
    expect((await replicas.a.users.get(k))?.status).toBeUndefined();
  });

  it.skipIf(skip)('skip list: per person, added once, restored once, read by the other replica oldest first', async () => {
    const k = { ...U1, userId: uid('U') };
    const other = { ...U1, userId: uid('U') };
    expect(await replicas.a.users.skippedExercises(k)).toEqual([]);
    expect(await replicas.a.users.skipExercise(k, 'neck-rolls', T)).toBe(true);
    expect(await replicas.b.users.skipExercise(k, 'neck-rolls', T + 1)).toBe(false);
    expect(await replicas.b.users.skipExercise(k, 'cat-cow', T + 2)).toBe(true);
    expect(await replicas.b.users.skippedExercises(k)).toEqual(['neck-rolls', 'cat-cow']);
    expect(await replicas.a.users.skippedExercises(other)).toEqual([]);
    expect(await replicas.a.users.restoreExercise(other, 'neck-rolls')).toBe(false);
    expect(await replicas.a.users.restoreExercise(k, 'neck-rolls')).toBe(true);
    expect(await replicas.b.users.restoreExercise(k, 'neck-rolls')).toBe(false);
    expect(await replicas.b.users.skippedExercises(k)).toEqual(['cat-cow']);
  });

  it.skipIf(skip)('sessions: the easier steps and the left-out exercises survive a save and a read on the other replica', async () => {
    const user = { ...U1, userId: uid('U') };
    await replicas.a.users.ensure(user, T);
    const s = session({ userId: user.userId, leftOut: ['c'] });
    await replicas.a.sessions.insert(s);
    const hurt = transition(s, 'hurt', T + 1);
    if (!hurt.ok) throw new Error(hurt.message);
    const easier = transition(hurt.session, 'easier', T + 2);
    if (!easier.ok) throw new Error(easier.message);
    expect(await replicas.a.sessions.save(hurt.session, 0)).toBe(true);
    expect(await replicas.b.sessions.save(easier.session, 1)).toBe(true);
    expect(await replicas.a.sessions.get(s.id)).toMatchObject({ status: 'active', easierSteps: [0], leftOut: ['c'], results: ['hurt', 'pending'] });
  });

  it.skipIf(skip)('sessions: a hold timer and the message address are stored; running timers are listed by end time, due ones by a bound', async () => {
    const user = { ...U1, userId: uid('U') };
    await replicas.a.users.ensure(user, T);
    const early = { ...session({ userId: user.userId }), timer: { side: 1, endsAt: T + 500_000_000 }, messageRef: '{"channel":"C1","ts":"1.2"}' };
    const late = { ...session({ userId: user.userId }), timer: { side: 2, endsAt: T + 600_000_000 } };
    await replicas.a.sessions.insert(early);
    await replicas.a.sessions.insert(late);
    expect(await replicas.b.sessions.get(early.id)).toMatchObject({ timer: { side: 1, endsAt: T + 500_000_000 }, messageRef: '{"channel":"C1","ts":"1.2"}', timersDone: 0 });
    const mine = (list: { id: string }[]) => list.filter((t) => t.id === early.id || t.id === late.id);
    expect(mine(await replicas.b.sessions.runningTimers())).toEqual([
      { id: early.id, endsAt: T + 500_000_000 },
      { id: late.id, endsAt: T + 600_000_000 },
    ]);
    expect(mine(await replicas.b.sessions.runningTimers(T + 500_000_000))).toEqual([{ id: early.id, endsAt: T + 500_000_000 }]);
    // Ending the timer (timersDone up, no timer) takes it off the list; so does abandoning the session.
    const { timer: _t, ...ended } = early;
    expect(await replicas.a.sessions.save({ ...ended, timersDone: 1 }, 0)).toBe(true);
    const reread = (await replicas.b.sessions.get(early.id))!;
    expect(reread.timersDone).toBe(1);
    expect(reread.timer).toBeUndefined();
    await replicas.a.sessions.abandonOpen(user, T + 1);
    expect(mine(await replicas.b.sessions.runningTimers())).toEqual([]);
  });

  it.skipIf(skip)('sessions: a transition saved through one replica is what the other reads; a stale save loses', async () => {
    const user = { ...U1, userId: uid('U') };
    await replicas.a.users.ensure(user, T);
    const s = session({ userId: user.userId });
    await replicas.a.sessions.insert(s);
    expect(await replicas.b.sessions.get(s.id)).toEqual(s);
    const step = transition(s, 'next', T + 1000);
    if (!step.ok) throw new Error(step.message);
    expect(await replicas.b.sessions.save(step.session, 0)).toBe(true);
    // A double click through replica A with the version it read before: refused.
    expect(await replicas.a.sessions.save(step.session, 0)).toBe(false);
    const read = (await replicas.a.sessions.get(s.id))!;
    expect(read).toMatchObject({ step: 1, version: 1, results: ['done', 'pending'] });
    const done = transition(read, 'done', T + 90_000);
    if (!done.ok) throw new Error(done.message);
    expect(await replicas.a.sessions.save(done.session, 1, summarise(done.session), { localDay: 20_000, group: true })).toBe(true);
    expect(await replicas.b.habits.days(user)).toEqual([{ day: 20_000, sessions: 1, routines: 1, exercises: 2, seconds: expect.any(Number), completed: 1 }]);
    const stored = await replicas.b.db.selectFrom('completed_sessions').select(['local_day', 'group_session']).where('session_id', '=', s.id).executeTakeFirstOrThrow();
    expect({ day: Number(stored.local_day), group: Number(stored.group_session) }).toEqual({ day: 20_000, group: 1 });
  });

  it.skipIf(skip)('sessions: a new one abandons the open ones', async () => {
    const user = { ...U1, userId: uid('U') };
    await replicas.a.users.ensure(user, T);
    await replicas.a.sessions.insert(session({ userId: user.userId }));
    await replicas.a.sessions.insert(session({ userId: user.userId }));
    expect(await replicas.b.sessions.abandonOpen(user, T + 5)).toBe(2);
    expect(await replicas.b.sessions.abandonOpen(user, T + 6)).toBe(0);
  });

  it.skipIf(skip)('schedules: insert, list, pause and remove', async () => {
    const channelId = uid('C');
    const s1 = schedule({ channelId });
    const s2 = schedule({ channelId, createdAt: T + 1, crons: ['30 10 * * 1-5', '0 15 * * 1-5'] });
    const mine = schedule({ channelId, kind: 'personal', userId: uid('U'), createdAt: T + 2 });
    for (const s of [s1, s2, mine]) await replicas.a.schedules.insert(s);
    expect(await replicas.b.schedules.get(s2.id)).toEqual(s2);
    expect((await replicas.b.schedules.listForChannel('slack', 'T1', channelId)).map((s) => s.id)).toEqual([s1.id, s2.id]);
    expect(await replicas.b.schedules.listPersonal({ ...U1, userId: mine.userId })).toEqual([mine]);
    expect(await replicas.a.schedules.setPaused(s1.id, true, T + 10)).toBe(true);
    expect(await replicas.b.schedules.setPaused(s1.id, true, T + 11)).toBe(false);
    expect(await replicas.a.schedules.remove(s2.id, T + 12)).toBe(true);
    expect(await replicas.a.schedules.remove(s2.id, T + 13)).toBe(false);
    expect(await replicas.b.schedules.get(s2.id)).toBeUndefined();
    expect(await replicas.b.schedules.idTaken(s2.id)).toBe(true);
    expect(await replicas.b.schedules.idTaken('never')).toBe(false);
    // Saved without a next fire time, live and running: what the sweep's backfill picks up.
    const active = (await replicas.a.schedules.listUnscheduled()).map((s) => s.id);
    expect(active).toContain(mine.id);
    expect(active).not.toContain(s1.id);
    expect(active).not.toContain(s2.id);
    expect(await replicas.a.schedules.get(s1.id)).toMatchObject({ paused: true, updatedAt: T + 10 });
  });

  it.skipIf(skip)('fires: a slot is recorded once, with its outbox rows, whichever replica gets there first', async () => {
    const s = schedule({ channelId: uid('C') });
    await replicas.a.schedules.insert(s);
    const users = Array.from({ length: 1200 }, (_, i) => `U${i}`);
    const fire = fireOf(s);
    const other = { ...fire, id: uid('f') };
    // PostgreSQL: truly at once. SQLite: one process holds the file's write lock between awaits, so in turn.
    const results =
      dialect === 'postgres'
        ? await Promise.all([replicas.a.delivery.recordFire(s, fire, 'queued', users, T), replicas.b.delivery.recordFire(s, other, 'queued', users, T)])
        : [await replicas.a.delivery.recordFire(s, fire, 'queued', users, T), await replicas.b.delivery.recordFire(s, other, 'queued', users, T)];
    expect(results.sort()).toEqual([false, true]);
    expect(await replicas.b.delivery.hasFire(s.id, fire.fireAt)).toBe(true);
    const winner = (await replicas.a.delivery.getFire(fire.id)) ?? (await replicas.a.delivery.getFire(other.id));
    expect(winner).toMatchObject({ scheduleId: s.id, fireAt: fire.fireAt });
    const n = await replicas.a.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('fire_id', '=', winner!.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1 + users.length);
    // A missed slot is recorded with no messages.
    const missed = fireOf(s, T + 7_200_000);
    expect(await replicas.a.delivery.recordFire(s, missed, 'missed', users, T)).toBe(true);
    expect(await replicas.a.db.selectFrom('outbox').select('id').where('fire_id', '=', missed.id).execute()).toEqual([]);
  });

  it.skipIf(skip)('opt-ins, "not today" and snoozes', async () => {
    const c = { ...C1, channelId: uid('C') };
    expect(await replicas.a.delivery.optIn(c, 'U2', T + 1)).toBe(true);
    expect(await replicas.b.delivery.optIn(c, 'U2', T + 2)).toBe(false);
    expect(await replicas.a.delivery.optIn(c, 'U1', T + 2)).toBe(true);
    expect(await replicas.b.delivery.optedInUsers(c)).toEqual(['U2', 'U1']);
    const other = { ...C1, channelId: uid('C') };
    await replicas.b.delivery.optIn(other, 'U2', T + 3);
    expect(await replicas.a.delivery.optedInChannels({ ...U1, userId: 'U2' })).toEqual(expect.arrayContaining([c.channelId, other.channelId]));
    expect((await replicas.a.delivery.optedInChannels({ ...U1, userId: 'U2' })).slice(-2)).toEqual([c.channelId, other.channelId]);
    expect(await replicas.b.delivery.isOptedIn(c, 'U1')).toBe(true);
    expect(await replicas.a.delivery.optOut(c, 'U1')).toBe(true);
    expect(await replicas.a.delivery.optOut(c, 'U1')).toBe(false);
    expect(await replicas.b.delivery.isOptedIn(c, 'U1')).toBe(false);

    await replicas.a.delivery.setNotToday(c, 'U2', T + 1000);
    await replicas.b.delivery.setNotToday(c, 'U2', T + 5000);
    expect(await replicas.a.delivery.isNotToday(c, 'U2', T + 2000)).toBe(true);
    expect(await replicas.a.delivery.isNotToday(c, 'U2', T + 5000)).toBe(false);

    const fire: Fire = { id: uid('f'), platform: 'slack', workspaceId: 'T1', channelId: c.channelId, routineId: 'desk', fireAt: T };
    await replicas.a.delivery.recordAdHocFire(fire, T);
    expect(await replicas.b.delivery.getFire(fire.id)).toEqual({ ...fire, scheduleId: undefined });
    expect(await replicas.a.delivery.enqueueSnooze(fire, 'U2', T + 600_000, T)).toBe(true);
    expect(await replicas.b.delivery.enqueueSnooze(fire, 'U2', T + 600_000, T)).toBe(false);
  });

  describe('outbox', () => {
    // Each test works on its own fire: rows earlier tests left waiting are set aside.
    beforeEach(async () => {
      if (!skip) await replicas.a.db.updateTable('outbox').set({ status: 'skipped' }).where('status', 'in', ['pending', 'sending']).execute();
    });
    /** A fresh fire with `n` DMs due at `at`. */
    async function fanOut(n: number, at: number) {
      const s = schedule({ channelId: uid('C'), workspaceId: uid('W') });
      await replicas.a.schedules.insert(s);
      const fire = fireOf(s, at);
      await replicas.a.delivery.recordFire(s, fire, 'queued', Array.from({ length: n }, (_, i) => `U${i}`), at);
      return fire;
    }
    const mine = <R extends { fireId: string }>(rows: R[], fire: Fire) => rows.filter((r) => r.fireId === fire.id);
    const statusOf = async (id: number) => (await replicas.a.db.selectFrom('outbox').select(['status', 'claimed_by', 'maybe_sent']).where('id', '=', id).executeTakeFirstOrThrow());

    it.skipIf(skip)("DMs due in a workspace: waiting or being sent, due by now, that workspace's only, up to the limit", async () => {
      const fire = await fanOut(5, T);
      await replicas.a.delivery.claimDue(T, 'hostA:1:aaa', ['slack'], 2); // the channel post and U0
      expect(await replicas.b.delivery.dueDmTargets('slack', fire.workspaceId, T, 10)).toEqual(['U0', 'U1', 'U2', 'U3', 'U4']);
      expect(await replicas.b.delivery.dueDmTargets('slack', fire.workspaceId, T, 3)).toEqual(['U0', 'U1', 'U2']);
      expect(await replicas.b.delivery.dueDmTargets('slack', fire.workspaceId, T - 1, 10)).toEqual([]);
      expect(await replicas.b.delivery.dueDmTargets('discord', fire.workspaceId, T, 10)).toEqual([]);
      expect(await replicas.b.delivery.dueDmTargets('slack', 'W-elsewhere', T, 10)).toEqual([]);
    });

    it.skipIf(skip)('a claim takes at most `limit` rows, the earliest due first', async () => {
      const fire = await fanOut(200, T);
      const got = await replicas.a.delivery.claimDue(T + 1, 'hostA:1:aaa', ['slack'], 3);
      expect(got.map((r) => r.targetId)).toEqual(['C1', 'U0', 'U1'].map((x) => (x === 'C1' ? fire.channelId : x)));
      expect(await replicas.a.outboxCounts()).toMatchObject({ sending: 3 });
      expect(await replicas.a.delivery.claimDue(T + 1, 'hostA:1:aaa', ['discord'], 3)).toEqual([]);
    });

    it.skipIf(skip)('claims share a fan-out between replicas: every row once, none lost', async () => {
      const fire = await fanOut(300, T);
      const claimed: number[] = [];
      const worker = async (store: Storage, who: string) => {
        for (;;) {
          const rows = mine(await store.delivery.claimDue(T + 1, who, ['slack'], 7), fire);
          const any = await store.delivery.claimDue(T + 1, who, [], 7);
          expect(any).toEqual([]);
          if (!rows.length) {
            const left = await replicas.a.db.selectFrom('outbox').select('id').where('fire_id', '=', fire.id).where('status', '=', 'pending').execute();
            if (!left.length) return;
            continue;
          }
          for (const r of rows) {
            claimed.push(r.id);
            expect(await store.delivery.finish(r.id, who, 'sent', undefined, T + 2)).toBe(true);
          }
        }
      };
      await Promise.all([worker(replicas.a, 'hostA:1:aaa'), worker(replicas.b, 'hostB:2:bbb'), worker(replicas.a, 'hostA:1:aab'), worker(replicas.b, 'hostB:2:bbc')]);
      expect(claimed.length).toBe(301);
      expect(new Set(claimed).size).toBe(301);
      const byClaimant = await replicas.a.db.selectFrom('outbox').select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')]).where('fire_id', '=', fire.id).groupBy('claimed_by').execute();
      expect(byClaimant.reduce((sum, r) => sum + Number(r.n), 0)).toBe(301);
    });

    it.skipIf(skip)('a renewed claim is left alone; a lapsed one is taken back, marked maybe-sent', async () => {
      const fire = await fanOut(2, T);
      const [first] = mine(await replicas.a.delivery.claimDue(T, 'hostA:1:aaa', ['slack'], 1), fire);
      const [second] = mine(await replicas.b.delivery.claimDue(T, 'hostB:2:bbb', ['slack'], 1), fire);
      expect(first && second).toBeTruthy();
      // A keeps renewing; B went quiet. Sixty seconds later, with a 60 s lease:
      expect(await replicas.a.delivery.renewClaims([first!.id], 'hostA:1:aaa', T + 50_000)).toBe(1);
      expect(await replicas.a.delivery.renewClaims([second!.id], 'hostA:1:aaa', T + 50_000)).toBe(0);
      const lapsed = (_by: string, at: number) => T + 61_000 - at > 60_000;
      expect(await replicas.b.delivery.reclaim(lapsed)).toBeGreaterThanOrEqual(1);
      expect(await statusOf(first!.id)).toEqual({ status: 'sending', claimed_by: 'hostA:1:aaa', maybe_sent: 0 });
      expect(await statusOf(second!.id)).toEqual({ status: 'pending', claimed_by: null, maybe_sent: 1 });
      // The quiet one's late outcome is ignored; the row goes to whoever claims it next, flagged.
      expect(await replicas.b.delivery.finish(second!.id, 'hostB:2:bbb', 'sent', undefined, T + 62_000)).toBe(false);
      const again = mine(await replicas.a.delivery.claimDue(T + 62_000, 'hostA:1:aaa', ['slack'], 5), fire);
      expect(again.find((r) => r.id === second!.id)).toMatchObject({ maybeSent: true, attempts: 2 });
      expect(await replicas.a.delivery.retryLater(second!.id, 'hostA:1:aaa', T + 70_000, 'timeout', T + 62_000)).toBe(true);
      expect(await statusOf(second!.id)).toEqual({ status: 'pending', claimed_by: null, maybe_sent: 1 });
    });

    it.skipIf(skip)('a postponed row (its person is busy) waits without counting an attempt, then is claimed again', async () => {
      const fire = await fanOut(1, T);
      const [row] = mine(await replicas.a.delivery.claimDue(T, 'hostA:1:aaa', ['slack'], 5), fire);
      expect(row!.attempts).toBe(1);
      expect(await replicas.b.delivery.postpone(row!.id, 'hostB:2:bbb', T + 60_000, 'waiting', T)).toBe(false);
      expect(await replicas.a.delivery.postpone(row!.id, 'hostA:1:aaa', T + 60_000, 'waiting: in a meeting', T)).toBe(true);
      expect(mine(await replicas.b.delivery.claimDue(T + 59_999, 'hostB:2:bbb', ['slack'], 5), fire)).toEqual([]);
      const [again] = mine(await replicas.b.delivery.claimDue(T + 60_000, 'hostB:2:bbb', ['slack'], 5), fire);
      expect(again).toMatchObject({ id: row!.id, attempts: 1, maybeSent: false });
    });

    it.skipIf(skip)('a renewal racing a take-back: one of the two wins whole', async () => {
      const fire = await fanOut(1, T);
      const [row] = mine(await replicas.a.delivery.claimDue(T, 'hostA:1:aaa', ['slack'], 5), fire);
      // The owner renews between the reclaimer's read and its write.
      await replicas.b.delivery.reclaim((by) => {
        if (by !== 'hostA:1:aaa') return false;
        void replicas.a.delivery.renewClaims([row!.id], by, T + 1);
        return true;
      });
      await new Promise((r) => setTimeout(r, 50));
      const now = await statusOf(row!.id);
      // Either the renewal landed first (claim kept) or the take-back did (row flagged): never half of each.
      expect([{ status: 'sending', claimed_by: 'hostA:1:aaa', maybe_sent: 0 }, { status: 'pending', claimed_by: null, maybe_sent: 1 }]).toContainEqual(now);
    });

    it.skipIf(skip)('counts rows per status', async () => {
      const counts = await replicas.b.outboxCounts();
      expect(Object.keys(counts).sort()).toEqual(['failed', 'pending', 'sending', 'sent', 'skipped']);
      const total = await replicas.a.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Object.values(counts).reduce((x, y) => x + y, 0)).toBe(Number(total.n));
    });
  });

  describe('slack installations', () => {
    it.skipIf(skip)('saves, finds (from another replica) and replaces on reinstall', async () => {
      expect(await replicas.a.slackInstallations.find('T1')).toBeUndefined();
      await replicas.a.slackInstallations.save(install('T1'));
      expect(await replicas.b.slackInstallations.find('T1')).toEqual({ ...install('T1'), enterpriseId: undefined });
      await replicas.b.slackInstallations.save(install('T1', { botToken: 'xoxb-T1-2', scopes: ['commands'], installedAt: T + 1 }));
      expect(await replicas.a.slackInstallations.find('T1')).toMatchObject({ botToken: 'xoxb-T1-2', scopes: ['commands'], installedAt: T + 1 });
    });

    it.skipIf(skip)('remove: forgets the installation, pauses that workspace\'s schedules, skips its pending rows; nothing else changes', async () => {
      await replicas.a.slackInstallations.save(install('T2'));
      await replicas.a.slackInstallations.save(install('T3'));
      const mine = schedule({ id: 'r-t2', workspaceId: 'T2', nextFireAt: T + 3_600_000 });
      const other = schedule({ id: 'r-t3', workspaceId: 'T3', nextFireAt: T + 3_600_000 });
      const discord = schedule({ id: 'r-d', platform: 'discord', workspaceId: 'T2', nextFireAt: T + 3_600_000 });
      for (const s of [mine, other, discord]) await replicas.a.schedules.insert(s);
      for (const s of [mine, other, discord]) await replicas.a.delivery.recordFire(s, { id: `f-${s.id}`, scheduleId: s.id, platform: s.platform, workspaceId: s.workspaceId, channelId: 'C1', routineId: 'desk', fireAt: T }, 'queued', ['U1'], T);

      expect(await replicas.b.slackInstallations.remove('T2', 'app_uninstalled', T + 5)).toEqual({ removed: true, schedulesPaused: 1, outboxSkipped: 2 });
      expect(await replicas.a.slackInstallations.find('T2')).toBeUndefined();
      expect(await replicas.a.slackInstallations.find('T3')).toBeDefined();
      expect(await rows({ storage: replicas.a }, sql`select id, paused, next_fire_at from schedules where id like 'r-%' order by id`)).toEqual([
        { id: 'r-d', paused: 0, next_fire_at: T + 3_600_000 },
        { id: 'r-t2', paused: 1, next_fire_at: null },
        { id: 'r-t3', paused: 0, next_fire_at: T + 3_600_000 },
      ]);
      expect(await rows({ storage: replicas.a }, sql`select fire_id, status, detail from outbox where fire_id like 'f-r-%' order by fire_id, kind`)).toEqual([
        { fire_id: 'f-r-d', status: 'pending', detail: null },
        { fire_id: 'f-r-d', status: 'pending', detail: null },
        { fire_id: 'f-r-t2', status: 'skipped', detail: 'app_uninstalled' },
        { fire_id: 'f-r-t2', status: 'skipped', detail: 'app_uninstalled' },
        { fire_id: 'f-r-t3', status: 'pending', detail: null },
        { fire_id: 'f-r-t3', status: 'pending', detail: null },
      ]);
      // Again (Slack retries events): nothing left to do, and no error.
      expect(await replicas.a.slackInstallations.remove('T2', 'tokens_revoked', T + 6)).toEqual({ removed: false, schedulesPaused: 0, outboxSkipped: 0 });
    });
  });
});
