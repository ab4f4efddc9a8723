/**
 * Several bot processes on one PostgreSQL database, as replicas behind a load balancer run:
 * migrations applied once when they start together, a schedule slot fired once, a 200-DM
 * fan-out shared between them with every user DMed exactly once, and the same when one of
 * them is killed or frozen mid-fan-out. A guided session continues through another replica.
 *
 * Needs TEST_DATABASE_URL (see test/support/databases.ts); skipped without it, failing under CI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseCommandText } from '../src/core/commands/text.js';
import type { Reply } from '../src/core/card.js';
import type { UserProfile } from '../src/core/incoming.js';
import { openStorage, type Storage } from '../src/storage/open.js';
import { APP_TOKEN, BOT_TOKEN, CHANNEL_ID, SlackEmulator, TEAM_ID, type SlackUserFixture } from './emulators/slack-emulator.js';
import { startBot, stopBots, until, type Bot } from './support/bot-process.js';
import { CONTENT_DIR, createTestCoach, FakeClock, silentLogger, type TestCoach } from './support/coach.js';
import { postgresDatabase, type FreshDatabase } from './support/databases.js';
import { ROOT, runBot } from './support/run-bot.js';
import { readManifest } from './support/slack.js';

const pg = postgresDatabase();
const N = 200;
const USERS: SlackUserFixture[] = Array.from({ length: N }, (_, i) => ({ id: `U0R${String(i + 1).padStart(3, '0')}`, name: `user${i + 1}`, tz: 'UTC' }));
const dmChannel = (userId: string) => `D${userId.slice(1)}`;
const DM_CHANNELS = new Set(USERS.map((u) => dmChannel(u.id)));
/** Short, so a frozen replica's rows come back within the test; production uses a minute. */
const LEASE_MS = 3_000;

const dir = mkdtempSync(join(tmpdir(), 'stretch-replicas-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await stopBots();
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freshDatabase(): Promise<FreshDatabase> {
  const fresh = await pg.create();
  cleanups.push(() => fresh.drop());
  return fresh;
}
async function watcher(fresh: FreshDatabase): Promise<Storage> {
  const s = await openStorage(fresh.config, silentLogger());
  cleanups.push(() => s.close());
  return s;
}

/**
 * A schedule due a minute ago with all 200 users opted in, recorded (fire + 201 outbox rows,
 * nothing sent yet); and a Slack that answers chat.postMessage slowly enough for two bots to share the work.
 */
async function dueFanOut(fresh: FreshDatabase) {
  const slot = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const clock = new FakeClock(slot - 60 * 60_000);
  const setup = await createTestCoach({ databaseUrl: fresh.env.DATABASE_URL, clock });
  const run = (text: string, userId: string, profile: UserProfile) =>
    setup.coach.handleCommand({ platform: 'slack', workspaceId: TEAM_ID, channelId: CHANNEL_ID, userId, isDm: false, profile: async () => profile, command: parseCommandText(text) });
  const hhmm = new Date(slot).toISOString().slice(11, 16);
  expect((await run(`schedule add daily ${hhmm} desk UTC`, 'U0ADMIN', { isAdmin: true, timezone: 'UTC' }))[0]!.card.title).toMatch(/added$/);
  for (const u of USERS) await run('optin', u.id, { isAdmin: false, timezone: 'UTC' });
  clock.set(slot + 1_000);
  expect(await setup.app.firing.sweep()).toMatchObject({ queued: 1 });
  await setup.app.stop();

  const emu = new SlackEmulator({
    users: USERS,
    botScopes: readManifest().oauth_config.scopes.bot,
    responseDelay: (method) => (method === 'chat.postMessage' ? 80 + Math.floor(Math.random() * 80) : 0),
  });
  await emu.start();
  cleanups.push(() => emu.stop());
  const bot = () =>
    startBot(dir, {
      DATABASE_URL: fresh.env.DATABASE_URL!, CONTENT_DIR, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: emu.apiUrl,
      LOG_LEVEL: 'warn', OUTBOX_LEASE_MS: String(LEASE_MS),
      // The emulator sets no limit; a fan-out of N at Slack's default pace would outlast the test.
      SLACK_RATE_LIMIT: '100',
    });
  const dmPosts = () => emu.calls('chat.postMessage').filter((c) => DM_CHANNELS.has(c.body.channel as string));
  return { emu, bot, dmPosts };
}

/** Waits until no outbox row is pending or sending; returns the counts per status. */
const drained = (db: Storage, ms: number, ...bots: Bot[]) =>
  until(async () => {
    const c = await db.outboxCounts();
    return c.pending + c.sending === 0 ? c : undefined;
  }, ms, 'the outbox to empty', ...bots);

/** Every user got exactly one DM that Slack accepted, and the channel exactly one post. */
function expectEachOnce(emu: SlackEmulator, dmPosts: () => ReturnType<SlackEmulator['calls']>) {
  const perChannel = new Map<string, number>();
  for (const c of dmPosts()) if (c.response.ok) perChannel.set(c.body.channel as string, (perChannel.get(c.body.channel as string) ?? 0) + 1);
  expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
  expect(perChannel.size).toBe(N);
  expect(emu.calls('chat.postMessage').filter((c) => c.body.channel === CHANNEL_ID).map((c) => c.response.ok)).toEqual([true]);
}

/** Which bot (by pid) finished each sent row. */
async function sentBy(db: Storage): Promise<Map<string, number>> {
  const rows = await db.db.selectFrom('outbox').select('claimed_by').where('status', '=', 'sent').execute();
  const by = new Map<string, number>();
  for (const r of rows) {
    const pid = r.claimed_by!.split(':')[1]!;
    by.set(pid, (by.get(pid) ?? 0) + 1);
  }
  return by;
}

describe.skipIf(pg.skip)(`replicas on one PostgreSQL${pg.skip ? ` (skipped: ${pg.skip})` : ''}`, () => {
  it('two bots starting at once on an empty database apply each migration once, and both come up', async () => {
    const fresh = await freshDatabase();
    const env = { DATABASE_URL: fresh.env.DATABASE_URL!, CONTENT_DIR, CWD: dir };
    const [one, two] = await Promise.all([runBot('/stretch list\n', env, 30_000), runBot('/stretch list\n', env, 30_000)]);
    for (const r of [one!, two!]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Full routine');
    }
    const db = await watcher(fresh);
    const counts = await db.db.selectFrom('schema_migrations').select(['version', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('version').orderBy('version').execute();
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => Number(c.n) === 1)).toBe(true);
  });

  it('two processes sweeping the same instant record each due slot once', async () => {
    const fresh = await freshDatabase();
    const t = await createTestCoach({ databaseUrl: fresh.env.DATABASE_URL, clock: new FakeClock(Date.parse('2026-11-24T09:00:00Z')) });
    for (const when of ['daily 10:00', 'daily 10:00 neck', 'weekdays 10:00 full']) {
      await t.coach.handleCommand({
        platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U1', isDm: false,
        profile: async () => ({ isAdmin: true }), command: parseCommandText(`schedule add ${when}`),
      });
    }
    await t.app.stop();
    const env = { ...process.env, DATABASE_URL: fresh.env.DATABASE_URL, AT: String(Date.parse('2026-11-24T10:00:30Z')), ROUNDS: '40', START: String(Date.now() + 4000) };
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const outputs = await Promise.all([1, 2].map(() => promisify(execFile)(tsx, [join(ROOT, 'test/support/sweep-process.ts')], { env, cwd: ROOT })));
    expect(outputs.map((o) => (JSON.parse(o.stdout) as { queued: number }).queued).reduce((a, b) => a + b, 0)).toBe(3);
    const db = await watcher(fresh);
    expect(await db.db.selectFrom('fires').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 3 });
    expect(await db.outboxCounts()).toMatchObject({ pending: 3 });
  });

  it('two bots share a 200-DM fan-out: each user gets exactly one DM, both bots sent some', async () => {
    const fresh = await freshDatabase();
    const { emu, bot, dmPosts } = await dueFanOut(fresh);
    const bots = [bot(), bot()];
    const db = await watcher(fresh);
    expect(await drained(db, 60_000, ...bots)).toMatchObject({ sent: N + 1, failed: 0, skipped: 0 });
    expectEachOnce(emu, dmPosts);
    const by = await sentBy(db);
    expect([...by.keys()].sort()).toEqual(bots.map((b) => String(b.child.pid)).sort());
    for (const b of bots) b.child.kill('SIGTERM');
    for (const b of bots) expect(await b.exited, b.output()).toEqual({ code: 0, signal: null });
  }, 90_000);

  for (const how of ['SIGKILL', 'SIGSTOP'] as const) {
    const what = how === 'SIGKILL' ? 'killed (its pid is gone: taken back at once)' : 'frozen like a lost machine (its pid lives: taken back when the lease runs out)';
    it(`one bot ${what} mid-fan-out: the other finishes it, each user still exactly one DM`, async () => {
      const fresh = await freshDatabase();
      const { emu, bot, dmPosts } = await dueFanOut(fresh);
      const [victim, survivor] = [bot(), bot()];
      const db = await watcher(fresh);
      // Stop the victim once it has sent a good part of its share and has sends in flight. It is
      // frozen before its rows are read (and statements it already sent are given a moment to
      // land), so a busy machine cannot let it finish a row between the read and the signal.
      const held = await until(async () => {
        if (dmPosts().length < 40) return undefined;
        victim.child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 100));
        const inFlight = await db.db.selectFrom('outbox').select(['id', 'claimed_by']).where('status', '=', 'sending').execute();
        const its = inFlight.filter((r) => r.claimed_by!.split(':')[1] === String(victim.child.pid));
        if (!its.length) {
          victim.child.kill('SIGCONT');
          return undefined;
        }
        if (how === 'SIGKILL') victim.child.kill('SIGKILL');
        return its;
      }, 30_000, 'the victim to be mid-fan-out', victim, survivor);
      const stoppedAt = Date.now();

      expect(await drained(db, 60_000, victim, survivor)).toMatchObject({ sent: N + 1, failed: 0 });
      if (how === 'SIGSTOP') expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(LEASE_MS - 500);
      expectEachOnce(emu, dmPosts);
      // The rows it held were finished by the survivor, which checked Slack before re-sending (maybe-sent).
      const after = await db.db.selectFrom('outbox').select(['id', 'status', 'claimed_by', 'maybe_sent']).where('id', 'in', held.map((r) => r.id)).execute();
      for (const r of after) expect(r).toMatchObject({ status: 'sent', claimed_by: expect.stringContaining(`:${survivor.child.pid}:`), maybe_sent: 1 });
      expect(emu.calls('conversations.history').length).toBeGreaterThanOrEqual(held.filter((r) => r.id !== 1).length);
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited, survivor.output()).toEqual({ code: 0, signal: null });
      expect(survivor.output()).not.toMatch(/"level":(50|60)/);
    }, 90_000);
  }

  it('a guided session started through one replica continues through the other', async () => {
    const fresh = await freshDatabase();
    const [a, b] = [await createTestCoach({ databaseUrl: fresh.env.DATABASE_URL }), await createTestCoach({ databaseUrl: fresh.env.DATABASE_URL })];
    cleanups.push(() => a.app.stop(), () => b.app.stop());
    const me = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1', channelId: 'C1', isDm: false };
    const press = async (t: TestCoach, r: Reply, label: string) => {
      const button = r.card.buttons!.find((x) => x.label === label)!;
      const [next] = await t.coach.handleAction({ ...me, actionId: button.id });
      return next!;
    };
    let r = (await a.coach.handleCommand({ ...me, command: parseCommandText('start full') }))[0]!;
    r = await press(b, r, 'Next');
    expect(r.card.progress).toEqual({ current: 2, total: 12 });
    const stale = r;
    r = await press(a, r, 'Next');
    expect(r.card.progress).toEqual({ current: 3, total: 12 });
    // The same click again, now through the other replica: the session has moved on.
    expect((await press(b, stale, 'Next')).card.progress).not.toEqual({ current: 4, total: 12 });
    r = await press(b, r, 'Back');
    expect(r.card.progress).toEqual({ current: 2, total: 12 });
  });
});
