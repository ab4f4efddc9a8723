import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommandText } from '../src/core/commands/text.js';
import type { UserProfile } from '../src/core/incoming.js';
import { createTestCoach, FakeClock, rows, type TestCoach } from './support/coach.js';
import { RecordingNotifier, recordingAdapter } from './support/fake-notifier.js';

const admin: UserProfile = { isAdmin: true, timezone: 'UTC' };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(opts: { dbPath?: string; clock?: FakeClock } = {}) {
  const notifier = new RecordingNotifier('slack');
  const t = await createTestCoach({ ...opts, adapters: [recordingAdapter(notifier)] });
  return { ...t, notifier };
}
const command = (t: TestCoach, text: string, userId = 'U1', profile = admin, channelId = 'C1') =>
  t.coach.handleCommand({ platform: 'slack', workspaceId: 'T1', channelId, userId, isDm: false, profile: async () => profile, command: parseCommandText(text) });
const addSchedule = async (t: TestCoach, text: string) => {
  const [r] = await command(t, `schedule add ${text}`);
  const id = /Schedule (\w+) added/.exec(r!.card.title)?.[1];
  if (!id) throw new Error(`not added: ${r!.card.sections.join(' ')}`);
  return id;
};
const at = (iso: string) => Date.parse(iso);
/** A sweep that found no schedule due. */
const NOTHING_READ = { queued: 0, missed: 0, 'already-recorded': 0, 'not-due': 0 };

describe('firing', () => {
  it('records a slot once however often it is asked (two sweeps holding the same row, restart in the same minute)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stretch-fire-'));
    dirs.push(dir);
    const dbPath = join(dir, 'bot.db');
    const clock = new FakeClock(at('2026-11-24T09:00:00Z'));
    const a = await setup({ dbPath, clock });
    const id = await addSchedule(a, 'daily 10:00');
    const schedule = (await a.storage.schedules.get(id))!;
    clock.set(at('2026-11-24T10:00:00.500Z'));
    // Two sweeps that both read the schedule while it was due both ask; only the first records the slot.
    expect((await a.app.firing.fireDue(schedule))).toBe('queued');
    expect((await a.app.firing.fireDue(schedule))).toBe('already-recorded');
    expect((await a.app.firing.sweep())).toEqual(NOTHING_READ);
    await a.app.stop();
    const b = await setup({ dbPath, clock: new FakeClock(at('2026-11-24T10:00:40Z')) });
    // After a restart the slot is behind the stored next fire time, so the sweep does not even read it...
    expect((await b.app.firing.sweep())).toEqual(NOTHING_READ);
    // ...and had the process died between recording the fire and storing that time, the unique slot still holds.
    await b.storage.db.updateTable('schedules').set({ next_fire_at: at('2026-11-24T10:00:00Z') }).execute();
    expect((await b.app.firing.sweep())).toMatchObject({ queued: 0, 'already-recorded': 1 });
    expect(await rows(b, 'SELECT schedule_id, fire_at, status FROM fires')).toEqual([{ schedule_id: id, fire_at: at('2026-11-24T10:00:00Z'), status: 'queued' }]);
    expect(await rows(b, 'SELECT kind, target_id, reason FROM outbox')).toEqual([{ kind: 'channel', target_id: 'C1', reason: 'prompt' }]);
    expect(await rows(b, 'SELECT next_fire_at FROM schedules')).toEqual([{ next_fire_at: at('2026-11-25T10:00:00Z') }]);
    await b.app.stop();
  });

  it('catches up a fire missed by 5 minutes, once; skips one missed by an hour', async () => {
    const clock = new FakeClock(at('2026-11-24T09:00:00Z'));
    const t = await setup({ clock });
    await addSchedule(t, 'daily 10:00');
    clock.set(at('2026-11-24T10:05:00Z'));
    expect((await t.app.firing.sweep()).queued).toBe(1);
    expect((await t.app.firing.sweep()).queued).toBe(0);
    await t.app.outbox.drain();
    expect(t.notifier.sent.map((s) => [s.kind, s.target])).toEqual([['channel', 'C1']]);

    clock.set(at('2026-11-25T11:00:00Z'));
    expect((await t.app.firing.sweep())).toMatchObject({ queued: 0, missed: 1 });
    await t.app.outbox.drain();
    expect(t.notifier.sent).toHaveLength(1);
    expect(await rows(t, 'SELECT fire_at, status FROM fires ORDER BY fire_at')).toEqual([
      { fire_at: at('2026-11-24T10:00:00Z'), status: 'queued' },
      { fire_at: at('2026-11-25T10:00:00Z'), status: 'missed' },
    ]);
    // /metrics counts what was recorded: one on time, one missed.
    const scrape = await t.app.metrics.registry.metrics();
    expect(scrape).toContain('stretch_fires_total{status="queued"} 1');
    expect(scrape).toContain('stretch_fires_total{status="missed"} 1');
  });

  it('with CATCH_UP_MINUTES=0 a timer a few seconds late is still on time', async () => {
    const clock = new FakeClock(at('2026-11-24T09:00:00Z'));
    const t = await createTestCoach({ clock, env: { CATCH_UP_MINUTES: '0' }, adapters: [recordingAdapter(new RecordingNotifier('slack'))] });
    await addSchedule(t, 'daily 10:00');
    clock.set(at('2026-11-24T10:00:07Z'));
    expect((await t.app.firing.sweep()).queued).toBe(1);
    clock.set(at('2026-11-25T10:02:00Z'));
    expect((await t.app.firing.sweep()).missed).toBe(1);
  });

  it('never fires slots from before the schedule existed or while it was paused', async () => {
    const clock = new FakeClock(at('2026-11-24T10:03:00Z'));
    const t = await setup({ clock });
    const id = await addSchedule(t, 'daily 10:00');
    const repo = t.storage.schedules;
    // Today's 10:00 is before the schedule existed: its first due time is tomorrow's, and the
    // evaluator, asked anyway, says the same.
    expect((await t.app.firing.sweep())).toEqual(NOTHING_READ);
    expect((await repo.get(id))!.nextFireAt).toBe(at('2026-11-25T10:00:00Z'));
    expect((await t.app.firing.fireDue((await repo.get(id))!))).toBe('not-due');
    await command(t, `schedule pause ${id}`);
    expect((await repo.get(id))!.nextFireAt).toBeUndefined();
    clock.set(at('2026-11-25T10:00:00Z'));
    expect((await t.app.firing.sweep())).toMatchObject({ queued: 0, 'not-due': 0 });
    clock.set(at('2026-11-25T10:02:00Z'));
    await command(t, `schedule resume ${id}`);
    expect((await t.app.firing.sweep())).toEqual(NOTHING_READ);
    expect((await repo.get(id))!.nextFireAt).toBe(at('2026-11-26T10:00:00Z'));
    expect((await t.app.firing.fireDue((await repo.get(id))!))).toBe('not-due');
    expect(await rows(t, 'SELECT * FROM fires')).toEqual([]);
  });

  it('a 02:30 schedule fires once at 03:00 on the spring-forward day and once on the fall-back day', async () => {
    const clock = new FakeClock(at('2026-03-27T12:00:00Z'));
    const t = await setup({ clock });
    await addSchedule(t, 'daily 02:30 Europe/Berlin');
    // 29 Mar 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist. Sweep every minute 00:50-02:10 UTC.
    const fired: number[] = [];
    for (let m = at('2026-03-29T00:50:00Z'); m <= at('2026-03-29T02:10:00Z'); m += 60_000) {
      clock.set(m);
      if ((await t.app.firing.sweep()).queued) fired.push(m);
    }
    expect(fired).toEqual([at('2026-03-29T01:00:00Z')]); // 03:00 CEST
    // 25 Oct 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice. Fires at the first.
    fired.length = 0;
    for (let m = at('2026-10-24T23:50:00Z'); m <= at('2026-10-25T02:10:00Z'); m += 60_000) {
      clock.set(m);
      if ((await t.app.firing.sweep()).queued) fired.push(m);
    }
    expect(fired).toEqual([at('2026-10-25T00:30:00Z')]); // 02:30 CEST, not again at 02:30 CET
  });
});

describe('outbox', () => {
  async function firedWithOptIns() {
    const clock = new FakeClock(at('2026-11-24T09:00:00Z')); // Tuesday
    const t = await setup({ clock });
    await addSchedule(t, 'weekdays 10:00 neck');
    for (const u of ['U2', 'U3', 'U4', 'U5', 'U6']) await command(t, 'optin', u);
    await command(t, 'optin', 'U9', admin, 'C-other');
    return { t, clock };
  }

  it('posts the prompt with four buttons and DMs opted-in users of that channel only', async () => {
    const { t, clock } = await firedWithOptIns();
    clock.set(at('2026-11-24T10:00:00Z'));
    await t.app.firing.sweep();
    expect(await t.app.outbox.drain()).toEqual({ sent: 6, failed: 0, skipped: 0, retried: 0, waiting: 0 });
    const post = t.notifier.sent.find((s) => s.kind === 'channel')!;
    expect(post.card.buttons?.map((b) => b.label)).toEqual(['Start in DM', 'Join', 'Snooze 10 min', 'Not today']);
    expect(post.card.sections[0]).toContain('Neck and shoulders');
    expect(t.notifier.sent.filter((s) => s.kind === 'dm').map((s) => s.target).sort()).toEqual(['U2', 'U3', 'U4', 'U5', 'U6']);
    expect(t.notifier.dmsTo('U2')[0]!.card.buttons?.map((b) => b.label)).toEqual(['Start', 'Snooze 10 min', 'Not today']);
    expect(t.notifier.dmsTo('U9')).toEqual([]);
  });

  it('respects pause, working hours and "Not today" at send time, and marks closed DMs failed once', async () => {
    const { t, clock } = await firedWithOptIns();
    await command(t, 'pause 1d', 'U2');
    await command(t, 'settings hours 13:00-17:00', 'U3'); // UTC profile: 10:00 is outside
    await command(t, 'settings hours 09:00-17:00', 'U4'); // inside
    t.notifier.failures.set('U5', { kind: 'closed' });
    t.notifier.failures.set('U6', { kind: 'flaky', times: 1 });
    clock.set(at('2026-11-24T10:00:00Z'));
    await t.app.firing.sweep();
    expect(await t.app.outbox.drain()).toEqual({ sent: 2, failed: 1, skipped: 2, retried: 1, waiting: 0 });
    expect(await rows(t, "SELECT target_id, status, detail FROM outbox WHERE kind = 'dm' ORDER BY target_id")).toEqual([
      { target_id: 'U2', status: 'skipped', detail: 'paused' },
      { target_id: 'U3', status: 'skipped', detail: 'outside working hours' },
      { target_id: 'U4', status: 'sent', detail: null },
      { target_id: 'U5', status: 'failed', detail: 'cannot_dm_user' },
      { target_id: 'U6', status: 'pending', detail: 'temporary network error' },
    ]);
    // The retry waits for its back-off, then goes through; the failed row is never retried.
    expect(await t.app.outbox.drain()).toEqual({ sent: 0, failed: 0, skipped: 0, retried: 0, waiting: 0 });
    clock.advance(60_000);
    expect(await t.app.outbox.drain()).toEqual({ sent: 1, failed: 0, skipped: 0, retried: 0, waiting: 0 });
    expect(t.notifier.dmsTo('U6')).toHaveLength(1);
    expect(t.notifier.dmsTo('U5')).toHaveLength(0);
  });

  it('prompt buttons: Join starts the channel group session, Start in DM sends it, Snooze re-sends in 10 minutes, Not today silences the channel', async () => {
    const { t, clock } = await firedWithOptIns();
    clock.set(at('2026-11-24T10:00:00Z'));
    await t.app.firing.sweep();
    await t.app.outbox.drain();
    const post = t.notifier.sent.find((s) => s.kind === 'channel')!;
    const click = (label: string, userId: string, isDm = false) =>
      t.coach.handleAction({ platform: 'slack', workspaceId: 'T1', channelId: isDm ? 'D1' : 'C1', userId, isDm, profile: async () => admin, actionId: post.card.buttons!.find((b) => b.label === label)!.id });

    const join = await click('Join', 'U7');
    expect(join.map((r) => [r.target, r.card.title])).toEqual([['ephemeral', 'Group session started'], ['channel', 'Neck Rolls (warm-up)']]);
    const dm = await click('Start in DM', 'U8');
    expect(dm.map((r) => [r.target, r.card.title])).toEqual([['dm', 'Neck Rolls (warm-up)'], ['ephemeral', 'Check your DMs']]);

    const snooze = await click('Snooze 10 min', 'U7');
    expect(snooze[0]!.card.sections[0]).toContain('10:10');
    clock.advance(9 * 60_000);
    await t.app.outbox.drain();
    expect(t.notifier.dmsTo('U7')).toHaveLength(0);
    clock.advance(60_000);
    await t.app.outbox.drain();
    expect(t.notifier.dmsTo('U7')).toHaveLength(1);

    // Not today: the snoozed copy for U3 is dropped at send time.
    await click('Snooze 10 min', 'U3');
    expect((await click('Not today', 'U3'))[0]!.card.title).toBe('Not today');
    clock.advance(10 * 60_000);
    await t.app.outbox.drain();
    expect(await rows(t, "SELECT status, detail FROM outbox WHERE target_id = 'U3' AND reason = 'snooze'")).toEqual([{ status: 'skipped', detail: 'not today' }]);
    // Tomorrow the prompts reach U3 again.
    clock.set(at('2026-11-25T10:00:00Z'));
    await t.app.firing.sweep();
    await t.app.outbox.drain();
    expect(await rows(t, "SELECT status FROM outbox WHERE target_id = 'U3' AND reason = 'optin' ORDER BY id")).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  });

  it('a double-clicked Snooze queues one DM; an opt-out after the fire is respected at send time', async () => {
    const { t, clock } = await firedWithOptIns();
    clock.set(at('2026-11-24T10:00:00Z'));
    await t.app.firing.sweep();
    await command(t, 'optout', 'U6');
    await t.app.outbox.drain();
    expect(await rows(t, "SELECT status, detail FROM outbox WHERE target_id = 'U6'")).toEqual([{ status: 'skipped', detail: 'opted out' }]);
    const post = t.notifier.sent.find((s) => s.kind === 'channel')!;
    const snooze = () => t.coach.handleAction({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U7', isDm: false, profile: async () => admin, actionId: post.card.buttons![2]!.id });
    expect((await snooze())[0]!.card.title).toBe('Snoozed');
    expect((await snooze())[0]!.card.title).toBe('Already snoozed');
    clock.advance(10 * 60_000);
    await t.app.outbox.drain();
    expect(t.notifier.dmsTo('U7')).toHaveLength(1);
    // Once that one went out, a later snooze of the same prompt is allowed again.
    expect((await snooze())[0]!.card.title).toBe('Snoozed');
  });

  it('a forged or foreign prompt id changes nothing', async () => {
    const t = await setup();
    const r = await t.coach.handleAction({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U1', isDm: false, actionId: 'p:nosuchprompt:snooze' });
    expect(r[0]!.card.title).toBe('Prompt not found');
    expect(await rows(t, 'SELECT * FROM outbox')).toEqual([]);
  });
});

describe('outbox claims', () => {
  it('keep the maybe-sent mark across a retry, and ignore a finish from a claim that was taken over', async () => {
    const clock = new FakeClock(at('2026-11-24T09:00:00Z'));
    const t = await setup({ clock });
    await addSchedule(t, 'daily 10:00');
    clock.set(at('2026-11-24T10:00:00Z'));
    await t.app.firing.sweep();
    const repo = t.storage.delivery;
    const [row] = await repo.claimDue(clock.now(), 'host:1:dead', ['slack'], 1);
    expect(row!.maybeSent).toBe(false);
    // The claimant died: another process takes the row back, marked maybe-sent.
    expect(await repo.reclaim((by) => by === 'host:1:dead')).toBe(1);
    const [again] = await repo.claimDue(clock.now(), 'host:2:live', ['slack'], 1);
    expect(again).toMatchObject({ id: row!.id, maybeSent: true });
    // The dead claimant's late finish is ignored; a transient failure keeps the mark.
    expect(await repo.finish(row!.id, 'host:1:dead', 'sent', undefined, clock.now())).toBe(false);
    expect(await repo.retryLater(row!.id, 'host:2:live', clock.now(), 'timeout', clock.now())).toBe(true);
    expect((await repo.claimDue(clock.now(), 'host:2:live', ['slack'], 1))[0]).toMatchObject({ id: row!.id, maybeSent: true, attempts: 3 });
  });
});
