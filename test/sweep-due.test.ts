/**
 * The minute sweep reads only the schedules whose stored next fire time has come, however
 * many others exist, and node-cron is nothing but the minute wake-up.
 */
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { randomId } from '../src/core/start-session.js';
import type { ScheduleRepo } from '../src/core/team/ports.js';
import { createFiring, SWEEP_BATCH } from '../src/scheduler/firing.js';
import type { OutboxStore } from '../src/scheduler/ports.js';
import { createScheduler } from '../src/scheduler/scheduler.js';
import { createTestCoach, FakeClock, row, rows, silentLogger, type TestCoach } from './support/coach.js';
import { insertSchedules, leapDayOnly, sameCron, scheduleRow } from './support/schedule-rows.js';

const at = (iso: string) => Date.parse(iso);
const SAVED = at('2026-11-24T09:00:00Z');
const SLOT = at('2026-11-24T10:00:00Z');

const notDue = (n: number) => leapDayOnly(n, SAVED);
const dueAtTen = (n: number) => sameCron(n, 'due', '0 10 * * *', SAVED);

/** The repository, counting calls per method and how many schedules the reads hand out. */
function countingReads(inner: ScheduleRepo) {
  const read: Record<string, number> = {};
  const calls: Record<string, number> = {};
  const repo = new Proxy(inner, {
    get(target, key: keyof ScheduleRepo) {
      const method = target[key] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        const result = await method(...args);
        calls[key] = (calls[key] ?? 0) + 1;
        if (Array.isArray(result)) read[key] = (read[key] ?? 0) + result.length;
        else if (result && typeof result === 'object') read[key] = (read[key] ?? 0) + 1;
        return result;
      };
    },
  });
  return { repo, read, calls };
}

function firingOver(t: TestCoach, schedules: ScheduleRepo, outbox: OutboxStore = t.storage.delivery) {
  return createFiring({ schedules, delivery: t.storage.delivery, outbox, clock: t.clock, catchUpMs: 10 * 60_000, logger: silentLogger(), newId: randomId });
}

describe('the minute sweep', () => {
  it('reads only the due schedules, through the due-time index', async () => {
    const t = await createTestCoach({ clock: new FakeClock(SAVED) });
    await insertSchedules(t.storage, [...notDue(1000), ...dueAtTen(3)]);
    const { repo, read, calls } = countingReads(t.storage.schedules);
    const firing = firingOver(t, repo);

    t.clock.set(SLOT + 30_000);
    expect(await firing.sweep()).toEqual({ queued: 3, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    // Three schedules read, of 1003; no row needed a time computed; three times moved on.
    expect(read).toEqual({ listUnscheduled: 0, listDue: 3 });
    expect(calls).toEqual({ listUnscheduled: 1, listDue: 1, setNextFire: 3 });
    expect(await rows(t, 'SELECT schedule_id FROM fires ORDER BY schedule_id')).toEqual([{ schedule_id: 'due0' }, { schedule_id: 'due1' }, { schedule_id: 'due2' }]);
    // Each fired schedule now waits for tomorrow's slot; the others were not touched.
    const next = (prefix: string) => row(t, `SELECT MIN(next_fire_at) lo, MAX(next_fire_at) hi FROM schedules WHERE id LIKE '${prefix}%'`);
    expect(await next('due')).toEqual({ lo: at('2026-11-25T10:00:00Z'), hi: at('2026-11-25T10:00:00Z') });
    expect(await next('leap')).toEqual({ lo: at('2028-02-29T00:00:00Z'), hi: at('2028-02-29T16:39:00Z') });

    // The same minute again: nothing is due, nothing is read, and the backfill is not asked again.
    expect(await firing.sweep()).toEqual({ queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect(read).toEqual({ listUnscheduled: 0, listDue: 3 });
    expect(calls).toEqual({ listUnscheduled: 1, listDue: 2, setNextFire: 3 });

    // SQLite answers the due query from the partial index, not by scanning every schedule.
    const plan = await rows<{ detail: string }>(
      t,
      `EXPLAIN QUERY PLAN SELECT * FROM schedules WHERE removed_at IS NULL AND paused = 0 AND next_fire_at <= ${SLOT} ORDER BY next_fire_at LIMIT 10`,
    );
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING INDEX schedules_due \(next_fire_at<\?\)/);
    await t.app.stop();
  });

  it('works through more due schedules than one batch, recording each once', async () => {
    const t = await createTestCoach({ clock: new FakeClock(SAVED) });
    const due = SWEEP_BATCH * 2 + 5;
    await insertSchedules(t.storage, [...notDue(50), ...dueAtTen(due)]);
    t.clock.set(SLOT + 30_000);
    expect(await t.app.firing.sweep()).toMatchObject({ queued: due });
    expect(await t.app.firing.sweep()).toMatchObject({ queued: 0, 'already-recorded': 0 });
    expect(await row(t, 'SELECT COUNT(DISTINCT schedule_id) s, COUNT(*) n FROM fires')).toEqual({ s: due, n: due });
    await t.app.stop();
  });

  it('leaves a schedule whose fire failed due, ends anyway, and records it on the next sweep', async () => {
    const t = await createTestCoach({ clock: new FakeClock(SAVED) });
    const due = SWEEP_BATCH + 5;
    await insertSchedules(t.storage, dueAtTen(due));
    const real = t.storage.delivery;
    let failing = true;
    const outbox: OutboxStore = {
      ...real,
      recordFire: async (...args) => {
        if (failing) throw new Error('database is locked');
        return real.recordFire(...args);
      },
    };
    const schedules = t.storage.schedules;
    const firing = firingOver(t, schedules, outbox);
    t.clock.set(SLOT + 30_000);
    // Every fire fails: the first batch comes back unchanged and the sweep stops instead of spinning.
    expect(await firing.sweep()).toEqual({ queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 });
    expect((await schedules.get('due0'))!.nextFireAt).toBe(SLOT);
    failing = false;
    t.clock.set(SLOT + 90_000);
    expect(await firing.sweep()).toMatchObject({ queued: due });
    expect((await schedules.get('due0'))!.nextFireAt).toBe(at('2026-11-25T10:00:00Z'));
    await t.app.stop();
  });
});

describe('node-cron', () => {
  it('runs one minute task however many schedules and cron lines there are, and none after stop', async () => {
    const t = await createTestCoach({ clock: new FakeClock(SAVED) });
    await insertSchedules(t.storage, [scheduleRow('two', ['30 10 * * 1-5', '0 15 * * 1-5'], SAVED), ...dueAtTen(3), ...notDue(20)]);
    const scheduler = createScheduler({ firing: t.app.firing, worker: t.app.outbox, logger: silentLogger() });
    const before = new Set(cron.getTasks().keys());
    await scheduler.start();
    const added = [...cron.getTasks().values()].filter((task) => !before.has(task.id));
    expect(added.map((task) => [task.name, task.getPattern()])).toEqual([['schedule-sweep', '* * * * *']]);
    await scheduler.stop();
    expect([...cron.getTasks().keys()].filter((id) => !before.has(id))).toEqual([]);
    await t.app.stop();
  });
});
