/**
 * Outbox leases between replicas, with real workers and real time (a 300 ms lease): a
 * live replica renews what it is sending, so nobody takes it however long the send takes;
 * a replica that stops renewing (killed, frozen, its machine lost) loses its rows to the
 * others once the lease runs out, and they re-send them flagged maybe-sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/ports.js';
import type { Schedule } from '../src/core/team/ports.js';
import { createOutboxWorker } from '../src/scheduler/outbox-worker.js';
import type { Storage } from '../src/storage/open.js';
import { shippedCatalogue, silentLogger } from './support/coach.js';
import { databases, openReplicas } from './support/databases.js';
import { RecordingNotifier } from './support/fake-notifier.js';

const LEASE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A notifier whose sends wait until the test lets them through. */
class HeldNotifier extends RecordingNotifier {
  release!: () => void;
  private gate = new Promise<void>((r) => (this.release = r));
  override async sendDm(...args: Parameters<RecordingNotifier['sendDm']>) {
    await this.gate;
    return super.sendDm(...args);
  }
}

describe.each(databases())('outbox leases on $label', (database) => {
  const { skip } = database;
  let a: Storage;
  let b: Storage;
  let close = async () => {};
  let n = 0;
  beforeAll(async () => {
    if (!skip) ({ a, b, close } = await openReplicas(database));
  });
  afterAll(() => close());
  beforeEach(async () => {
    if (!skip) await a.db.updateTable('outbox').set({ status: 'skipped' }).where('status', 'in', ['pending', 'sending']).execute();
  });

  const worker = (store: Storage, claimant: string, notifier: RecordingNotifier) =>
    createOutboxWorker({
      outbox: store.delivery, delivery: store.delivery, users: store.users, catalogue: shippedCatalogue(), notifiers: new Map([['slack', notifier]]),
      clock: systemClock, logger: silentLogger(), defaultTimezone: 'UTC', claimant, leaseMs: LEASE_MS, concurrency: 1,
    });
  /** One personal reminder DM, due now; returns its outbox id. */
  async function dueReminder(): Promise<number> {
    const now = Date.now();
    const s: Schedule = {
      id: `r${++n}`, platform: 'slack', workspaceId: 'T1', kind: 'personal', channelId: 'D1', userId: `U${n}`, whenText: 'daily 10:00',
      crons: ['0 10 * * *'], timezone: 'UTC', routineId: 'desk', paused: false, createdAt: now, updatedAt: now,
    };
    await a.schedules.insert(s);
    const fire = { id: `f${n}`, scheduleId: s.id, platform: s.platform, workspaceId: s.workspaceId, channelId: s.channelId, routineId: s.routineId, fireAt: now };
    expect(await a.delivery.recordFire(s, fire, 'queued', [], now)).toBe(true);
    return (await a.db.selectFrom('outbox').select('id').where('fire_id', '=', fire.id).executeTakeFirstOrThrow()).id;
  }
  const rowOf = (id: number) => a.db.selectFrom('outbox').select(['status', 'claimed_by', 'maybe_sent']).where('id', '=', id).executeTakeFirstOrThrow();

  it.skipIf(skip)('a live replica keeps its claim however long the send takes', async () => {
    const id = await dueReminder();
    const slow = new HeldNotifier();
    const other = new RecordingNotifier();
    const drainA = worker(a, 'hostA:1:aaa', slow).drain();
    for (let i = 0; i < 50 && (await rowOf(id)).status !== 'sending'; i++) await sleep(10);
    expect(await rowOf(id)).toMatchObject({ status: 'sending', claimed_by: 'hostA:1:aaa' });
    // Four leases long, replica B keeps looking: the claim is renewed, so B leaves it alone.
    const b1 = worker(b, 'hostB:2:bbb', other);
    for (const until = Date.now() + 4 * LEASE_MS; Date.now() < until; ) {
      await b1.drain();
      await sleep(50);
    }
    expect(other.sent).toEqual([]);
    slow.release();
    expect(await drainA).toEqual({ sent: 1, failed: 0, skipped: 0, retried: 0, waiting: 0 });
    expect(await rowOf(id)).toEqual({ status: 'sent', claimed_by: 'hostA:1:aaa', maybe_sent: 0 });
    expect(slow.sent.map((s) => s.delivery)).toEqual([{ key: `ob${id}`, maybeSent: false }]);
  });

  it.skipIf(skip)('a replica that stops renewing loses its rows after the lease; another re-sends them flagged maybe-sent', async () => {
    const id = await dueReminder();
    // Claimed by a replica on another machine that then went silent: no renewals, pid unknowable.
    expect(await a.delivery.claimDue(Date.now(), 'lost-host:4242:dead', ['slack'], 1)).toMatchObject([{ id }]);
    const survivor = new RecordingNotifier();
    const b1 = worker(b, 'hostB:2:bbb', survivor);
    expect((await b1.drain()).sent).toBe(0);
    await sleep(LEASE_MS + 50);
    expect((await b1.drain()).sent).toBe(1);
    expect(survivor.sent.map((s) => s.delivery)).toEqual([{ key: `ob${id}`, maybeSent: true }]);
    expect(await rowOf(id)).toEqual({ status: 'sent', claimed_by: 'hostB:2:bbb', maybe_sent: 1 });
  });
});
