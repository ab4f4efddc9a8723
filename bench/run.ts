/**
 * `npm run bench`: medians (and ratios) of the hot paths, over repeated runs.
 * Not a test: numbers depend on the machine. Run it before and after a change and compare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cardsToHomeView, cardToBlockKit } from '../src/adapters/slack/render.js';
import { cardToDiscordMessage } from '../src/adapters/discord/render.js';
import type { Card } from '../src/core/card.js';
import { parseCommandText } from '../src/core/commands/text.js';
import { nextFiresOf } from '../src/core/schedule/when.js';
import { newSession } from '../src/core/session.js';
import { sessionCard } from '../src/core/views.js';
import { createOutboxWorker, OUTBOX_CONCURRENCY } from '../src/scheduler/outbox-worker.js';
import { createTestCoach, FakeClock, silentLogger, type TestCoach } from '../test/support/coach.js';
import { postgresDatabase } from '../test/support/databases.js';
import { RecordingNotifier } from '../test/support/fake-notifier.js';
import { insertSchedules, leapDayOnly, sameCron } from '../test/support/schedule-rows.js';
import type { Notifier } from '../src/core/notifier.js';
import { benchFanout } from './fanout.js';
import { benchFootprint } from './footprint.js';
import { measure, median, report, RUNS } from './measure.js';
import { benchHabits } from './habits.js';
import { benchPictures } from './pictures.js';
import { benchSlackWorkspaces } from './slack-workspaces.js';

/** The same notifier, each send taking `ms` longer, like a network round trip. */
function withLatency(inner: Notifier, ms: number, busyCheck = false): Notifier {
  const wait = () => new Promise((r) => setTimeout(r, ms));
  return {
    platform: inner.platform,
    postToChannel: async (...a) => (await wait(), inner.postToChannel(...a)),
    sendDm: async (...a) => (await wait(), inner.sendDm(...a)),
    // Nobody busy: the cost measured is asking, a batch of people per request (Slack's dnd.teamInfo).
    ...(busyCheck ? { busyOf: async (_w: string, ids: readonly string[]) => (await wait(), new Map(ids.map((id) => [id, undefined]))) } : {}),
  };
}

/**
 * A database with 10 due schedules among `total` active ones (the rest fire only on
 * 29 February, from 2028) and a timed sweep over it. The due ones fire daily at 10:00 and each
 * sweep is a day later, so each finds 10 due again.
 */
async function sweepBench(total: number, due = 10) {
  const start = Date.UTC(2026, 10, 24, 9);
  const clock = new FakeClock(start);
  const t = await createTestCoach({ clock });
  await insertSchedules(t.storage, [...leapDayOnly(total - due, start), ...sameCron(due, 'due', '0 10 * * *', start)]);
  let day = 0;
  return {
    async timedSweep(): Promise<number> {
      clock.set(Date.UTC(2026, 10, 24 + day++, 10, 0, 30));
      const t0 = performance.now();
      const { queued } = await t.app.firing.sweep();
      const ms = performance.now() - t0;
      if (queued !== due) throw new Error(`expected ${due} fires, got ${queued}`);
      return ms;
    },
    close: () => t.app.stop(),
  };
}

/** Median sweep times for each size, runs interleaved so a busy machine slows all sizes alike. */
async function benchSweep(sizes: number[]): Promise<number[]> {
  const benches = await Promise.all(sizes.map((n) => sweepBench(n)));
  const times = sizes.map((): number[] => []);
  for (const b of benches) await b.timedSweep(); // warm-up
  for (let i = 0; i < RUNS; i++) for (const [k, b] of benches.entries()) times[k]!.push(await b.timedSweep());
  for (const b of benches) await b.close();
  return times.map(median);
}

const dir = mkdtempSync(join(tmpdir(), 'stretch-bench-'));
try {
  // 1. A whole guided routine (start, 11 × Next, Done) through the core, in memory vs on a WAL file.
  const routine = async (t: TestCoach) => {
    const who = { platform: 'slack' as const, workspaceId: 'T', channelId: 'C', userId: 'U', isDm: false };
    let [r] = await t.coach.handleCommand({ ...who, command: parseCommandText('start full') });
    for (let i = 0; i < 12; i++) {
      const next = r!.card.buttons!.find((b) => b.label === 'Next' || b.label === 'Done')!;
      [r] = await t.coach.handleAction({ ...who, actionId: next.id });
    }
  };
  const mem = await createTestCoach();
  const file = await createTestCoach({ dbPath: join(dir, 'bench.db') });
  const memMs = await measure(RUNS * 4, () => routine(mem));
  const fileMs = await measure(RUNS * 4, () => routine(file));
  report('full routine, 13 transitions, :memory: (median)', `${memMs.toFixed(2)} ms (${((memMs / 13) * 1000).toFixed(0)} µs/click)`);
  report('full routine, 13 transitions, WAL file (median)', `${fileMs.toFixed(2)} ms (${((fileMs / 13) * 1000).toFixed(0)} µs/click)`);
  report('  file / memory', `${(fileMs / memMs).toFixed(2)}×`);

  // 1b. The same clicks on PostgreSQL (a fresh database on TEST_DATABASE_URL's server), per click.
  // Only with a server to compare against (postgresDatabase() insists on one under CI).
  const pg = process.env.TEST_DATABASE_URL ? postgresDatabase() : undefined;
  if (pg && !pg.skip) {
    const fresh = await pg.create();
    try {
      const onPg = await createTestCoach({ databaseUrl: fresh.env.DATABASE_URL });
      const pgMs = await measure(RUNS * 4, () => routine(onPg));
      await onPg.app.stop();
      const perClick = (ms: number) => `${((ms / 13) * 1000).toFixed(0)} µs`;
      report('one click, WAL file vs PostgreSQL (median)', `${perClick(fileMs)} vs ${perClick(pgMs)} (${(pgMs / fileMs).toFixed(2)}×)`);
    } finally {
      await fresh.drop();
    }
  } else {
    report('one click, WAL file vs PostgreSQL', 'skipped (TEST_DATABASE_URL not set)');
  }

  // 2. Rendering every step card of every routine, per platform.
  const cards: Card[] = [];
  for (const r of mem.catalogue.routines) {
    const s = newSession({ id: 'bench', platform: 'slack', workspaceId: 'T', userId: 'U', channelId: 'C', surface: 'channel', routineId: r.id, exerciseIds: r.exerciseIds, now: 0 });
    for (let step = 0; step < r.exerciseIds.length; step++) cards.push(sessionCard({ ...s, step }, mem.catalogue));
  }
  const slackMs = await measure(RUNS * 10, () => cards.forEach((c) => cardToBlockKit(c)));
  const discordMs = await measure(RUNS * 10, () => cards.forEach((c) => cardToDiscordMessage(c)));
  report(`render ${cards.length} step cards to Block Kit (median)`, `${((slackMs / cards.length) * 1000).toFixed(1)} µs/card`);
  report(`render ${cards.length} step cards to Discord (median)`, `${((discordMs / cards.length) * 1000).toFixed(1)} µs/card`);

  // 3. Next three fire times of a two-time weekday schedule in a DST zone.
  const nextMs = await measure(RUNS * 20, () => nextFiresOf(['30 10 * * 1-5', '0 15 * * 1-5'], 'Europe/Berlin', Date.UTC(2026, 2, 27), 3));
  report('next 3 fires, weekdays ×2, Europe/Berlin (median)', `${(nextMs * 1000).toFixed(0)} µs`);

  // 4. Fan-out: one fire to 500 opted-in users through a notifier with 2 ms latency, concurrency 1 vs 4.
  const fanOut = async (concurrency: number, busyCheck = false) => {
    const notifier = new RecordingNotifier('slack');
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 9));
    const t = await createTestCoach({ clock });
    await t.storage.db
      .insertInto('optins')
      .values(Array.from({ length: 500 }, (_, i) => ({ platform: 'slack' as const, workspace_id: 'T', channel_id: 'C', user_id: `U${i}`, created_at: 0 })))
      .execute();
    await t.coach.handleCommand({
      platform: 'slack', workspaceId: 'T', channelId: 'C', userId: 'A', isDm: false,
      profile: async () => ({ isAdmin: true, timezone: 'UTC' }), command: parseCommandText('schedule add daily 10:00'),
    });
    clock.set(Date.UTC(2026, 10, 24, 10));
    await t.app.firing.sweep();
    const repo = t.storage.delivery;
    const worker = createOutboxWorker({
      outbox: repo, delivery: repo, users: t.storage.users, habits: t.storage.habits, catalogue: t.catalogue, notifiers: new Map([['slack', withLatency(notifier, 2, busyCheck)]]),
      clock, logger: silentLogger(), defaultTimezone: 'UTC', claimant: 'bench:1:x', concurrency,
    });
    const t0 = performance.now();
    await worker.drain();
    const ms = performance.now() - t0;
    if (notifier.sent.length !== 501) throw new Error(`expected 501 sends, got ${notifier.sent.length}`);
    await t.app.stop();
    return ms;
  };
  const repeat = async (n: number, fn: () => Promise<number>) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push(await fn());
    return median(xs);
  };
  const serial = await repeat(3, () => fanOut(1));
  const pooled = await repeat(3, () => fanOut(OUTBOX_CONCURRENCY));
  report('fan-out 500 DMs + 1 post, 2 ms/send, concurrency 1 (median of 3)', `${serial.toFixed(0)} ms`);
  report(`fan-out 500 DMs + 1 post, 2 ms/send, concurrency ${OUTBOX_CONCURRENCY} (median of 3)`, `${pooled.toFixed(0)} ms`);
  report(`  concurrency 1 / concurrency ${OUTBOX_CONCURRENCY}`, `${(serial / pooled).toFixed(2)}×`);
  const asking = await repeat(3, () => fanOut(OUTBOX_CONCURRENCY, true));
  report(`fan-out as above, asking "busy?" first (2 ms), concurrency ${OUTBOX_CONCURRENCY} (median of 3)`, `${asking.toFixed(0)} ms`);
  report('  with the busy check / without', `${(asking / pooled).toFixed(2)}×`);

  // 4b. A Home tab: built from storage and rendered to Block Kit.
  const homeMs = await measure(RUNS * 10, async () => cardsToHomeView(await mem.coach.home({ platform: 'slack', workspaceId: 'T', userId: 'U' })));
  report('Home tab: build from storage + render (median)', `${homeMs.toFixed(2)} ms`);

  // 5. The sweep costs what is due, not what exists.
  const [sweep100 = 0, sweep10k = 0] = await benchSweep([100, 10_000]);
  report('sweep, 10 due of 100 active schedules (median)', `${sweep100.toFixed(2)} ms`);
  report('sweep, 10 due of 10,000 active schedules (median)', `${sweep10k.toFixed(2)} ms`);
  report('  10,000 / 100', `${(sweep10k / sweep100).toFixed(2)}×`);
  // 6. Slack OAuth: finding a workspace's token costs the same with many workspaces.
  await benchSlackWorkspaces(dir);
  await mem.app.stop();
  await file.app.stop();
  await benchPictures();

  // 6. Habits: a person's stats and a workspace's week over a year of history.
  await benchHabits();
  // 6. Fan-out at the platforms' rate limit, against the emulators (real clients, real time).
  await benchFanout(report);
  // 7. Footprint: the compiled bot against a bare client, per platform, in this same run.
  await benchFootprint(report);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
