/**
 * Fan-out at the platform's rate limit: one break prompt to N opted-in people whose DM
 * channels are stored (as an opt-in leaves them), against each platform's emulator enforcing a
 * global limit of R requests per second. Reports how long after the fire the last DM arrived,
 * as a ratio of N/R (goal ≤ 1.1), the share of requests answered 429 (goal < 1%) and the
 * requests per DM. Slack's run includes the meeting check (Do Not Disturb, 50 people a request).
 */
import { performance } from 'node:perf_hooks';
import { DISCORD_WORKSPACE_ID } from '../src/adapters/discord/parse.js';
import { DRIVERS, tick, type PlatformDriver } from '../test/support/drivers/index.js';

const N = Number(process.env.BENCH_FANOUT_N ?? 1000);
const R = 50;
/** Tuesday 10:30 in Berlin, when the schedule below fires. */
const FIRE = Date.parse('2026-11-24T09:30:00Z');

async function fanOut(d: PlatformDriver): Promise<{ ratio: number; seconds: number; share: number; delivered: number; perDm: number }> {
  await d.start();
  try {
    const ada = d.user('ada', { admin: true });
    await d.command(ada, 'schedule add weekdays 10:30 desk Europe/Berlin');
    const people = Array.from({ length: N }, (_, i) => d.user(`p${i}`));
    const db = d.app.storage.db;
    const key = (userId: string) => ({ platform: d.name, workspace_id: d.workspaceId, user_id: userId, created_at: 0, updated_at: 0 });
    // Discord user ids are global: their DM channels are filed under the platform, not a server.
    const dmScope = d.name === 'discord' ? DISCORD_WORKSPACE_ID : d.workspaceId;
    for (let i = 0; i < N; i += 200) {
      const batch = people.slice(i, i + 200);
      await db.insertInto('users').values(batch.map((p) => key(p.id))).execute();
      await db.insertInto('optins').values(batch.map((p) => ({ platform: d.name, workspace_id: d.workspaceId, channel_id: d.channelId, user_id: p.id, created_at: 0 }))).execute();
      await db
        .insertInto('dm_channels')
        .values(batch.map((p) => ({ platform: d.name, workspace_id: dmScope, user_id: p.id, channel_id: d.openDmFor(p), updated_at: 0 })))
        .execute();
    }
    // A fresh second, so the fan-out starts with the whole of the emulator's first window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    const limited0 = d.rateLimited();
    const counted0 = d.rateCounted();
    d.clock.set(FIRE);
    const t0 = performance.now();
    const { drained } = await tick(d);
    // The drain ends when the last send was answered, so this is at or after the last arrival.
    const seconds = (performance.now() - t0) / 1000;
    const delivered = people.filter((p) => d.dms(p).length === 1).length;
    if (drained.sent !== N + 1 || delivered !== N) throw new Error(`${d.name}: ${drained.sent} sent, ${delivered} of ${N} people got exactly one DM`);
    const counted = d.rateCounted() - counted0;
    const share = (d.rateLimited() - limited0) / Math.max(1, counted);
    // Everything the fan-out asked of the platform (the channel post, Slack's DND look-ups), per DM.
    return { ratio: seconds / (N / R), seconds, share, delivered, perDm: counted / N };
  } finally {
    await d.stop();
  }
}

export async function benchFanout(report: (name: string, value: string) => void): Promise<void> {
  for (const { name, make } of DRIVERS) {
    const r = await fanOut(make({ rateLimit: R, env: { DISCORD_RATE_LIMIT: String(R), SLACK_RATE_LIMIT: String(R) } }));
    report(`${name}: fan-out ${N} DMs at ${R} req/s, last DM after`, `${r.seconds.toFixed(2)} s`);
    report(`  ÷ N/R = ${(N / R).toFixed(0)} s (goal ≤ 1.1)`, `${r.ratio.toFixed(3)}×`);
    report('  requests answered 429 (goal < 1%)', `${(r.share * 100).toFixed(2)} %`);
    report('  requests per DM, all included (the meeting check on Slack)', r.perDm.toFixed(3));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFanout((n, v) => console.log(`${n.padEnd(58)} ${v}`));
