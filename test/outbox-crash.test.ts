/**
 * Kill the real bot (a child process on the same database file) in the middle of a DM
 * fan-out, start it again, and every opted-in user still has exactly one prompt DM.
 *
 * The emulator answers chat.postMessage late (the message exists at once, the answer comes
 * 150-300 ms later), so the kill leaves rows the dead process had sent without knowing it.
 * The restarted bot takes those rows back at once (same host, pid gone) and, before sending
 * one again, looks for it in the DM history by its metadata key (im:history).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandText } from '../src/core/commands/text.js';
import type { UserProfile } from '../src/core/incoming.js';
import { APP_TOKEN, BOT_TOKEN, CHANNEL_ID, headerOf, SlackEmulator, TEAM_ID, type SlackUserFixture } from './emulators/slack-emulator.js';
import { CONTENT_DIR, createTestCoach, FakeClock, rows } from './support/coach.js';
import { startBot as startBotProcess, stopBots, until, type Bot } from './support/bot-process.js';
import { readManifest } from './support/slack.js';

const N = 20;
const USERS: SlackUserFixture[] = Array.from({ length: N }, (_, i) => ({ id: `U0USER${String(i + 1).padStart(2, '0')}`, name: `user${i + 1}`, tz: 'UTC' }));
const dmChannel = (userId: string) => `D${userId.slice(1)}`;
/**
 * The bot's Slack pace (requests/s), and so its lanes: the emulator sets no limit here. Slow
 * enough that the kill after a few DMs always finds rows nobody has claimed yet, however late
 * a loaded machine delivers it.
 */
const RATE = 10;
const DM_CHANNELS = new Set(USERS.map((u) => dmChannel(u.id)));
const KILL_AFTER_DMS = 5;
/** A second channel whose schedule fires in the same slot; nobody there opted in. */
const OTHER_CHANNEL = 'C0SECOND';
const CHANNELS = [CHANNEL_ID, OTHER_CHANNEL];

const dir = mkdtempSync(join(tmpdir(), 'stretch-outbox-crash-'));
const DB = join(dir, 'bot.db');

let emu: SlackEmulator | undefined;

afterAll(async () => {
  await stopBots();
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const startBot = (apiUrl: string): Bot =>
  startBotProcess(dir, { DATABASE_PATH: DB, CONTENT_DIR, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: apiUrl, LOG_LEVEL: 'warn', SLACK_RATE_LIMIT: String(RATE) });

async function withDb<T>(fn: (db: Database) => T): Promise<T> {
  const db = new BetterSqlite3(DB, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

type Row = { id: number; kind: string; target_id: string; status: string; detail: string | null; claimed_by: string | null };

describe('outbox: a crash mid-fan-out', () => {
  it('kill the bot mid-fan-out, restart it, and every opted-in user has exactly one DM', async () => {
    // ---- A due fire with 20 opted-in users, recorded in the database (not yet sent).
    const realNow = Date.now();
    // The previous whole minute: well inside CATCH_UP_MINUTES, and its outbox rows are due now.
    const slot = Math.floor(realNow / 60_000) * 60_000 - 60_000;
    const hhmm = new Date(slot).toISOString().slice(11, 16);
    const clock = new FakeClock(slot - 60 * 60_000);
    const setup = await createTestCoach({ dbPath: DB, clock });
    const run = (text: string, userId: string, profile: UserProfile, channelId = CHANNEL_ID) =>
      setup.coach.handleCommand({ platform: 'slack', workspaceId: TEAM_ID, channelId, userId, isDm: false, profile: async () => profile, command: parseCommandText(text) });
    const admin: UserProfile = { isAdmin: true, timezone: 'UTC' };
    expect((await run(`schedule add daily ${hhmm} desk UTC`, 'U0ADMIN', admin))[0]!.card.title).toMatch(/^Schedule [a-z0-9]+ added$/);
    for (const u of USERS) expect((await run('optin', u.id, { isAdmin: false, timezone: 'UTC' }))[0]!.card.title).toBe('Opted in');
    // Added a minute later, so its fire (and its channel post) is queued after the first one's DMs.
    clock.advance(60_000);
    expect((await run(`schedule add daily ${hhmm} neck UTC`, 'U0ADMIN', admin, OTHER_CHANNEL))[0]!.card.title).toMatch(/^Schedule [a-z0-9]+ added$/);
    clock.set(slot + 1_000);
    expect((await setup.app.firing.sweep())).toMatchObject({ queued: 2 });
    expect(await rows(setup, 'SELECT kind, target_id FROM outbox ORDER BY id')).toEqual([
      { kind: 'channel', target_id: CHANNEL_ID },
      ...USERS.map((u) => ({ kind: 'dm', target_id: u.id })),
      { kind: 'channel', target_id: OTHER_CHANNEL },
    ]);
    expect(await rows(setup, 'SELECT status, COUNT(*) n FROM outbox GROUP BY status')).toEqual([{ status: 'pending', n: N + 2 }]);
    await setup.app.stop();

    // ---- Slack, slow to answer chat.postMessage; with the manifest's scopes.
    emu = new SlackEmulator({
      users: USERS,
      botScopes: readManifest().oauth_config.scopes.bot,
      responseDelay: (method, body) => (method !== 'chat.postMessage' ? 0 : CHANNELS.includes(body.channel as string) ? 30 : 150 + Math.floor(Math.random() * 150)),
    });
    await emu.start();
    const e = emu;
    const dmPosts = () => e.calls('chat.postMessage').filter((c) => DM_CHANNELS.has(c.body.channel as string));

    // ---- First run: killed once some (not all) DMs went out and the channel post is done.
    const first = startBot(e.apiUrl);
    const watcher = new BetterSqlite3(DB, { fileMustExist: true });
    const channelSent = () => (watcher.prepare('SELECT status FROM outbox WHERE id = 1').get() as { status: string }).status === 'sent';
    let killedAt: { dms: number };
    try {
      // Checked on every emulator request, so the kill lands while the last DM's answer is still held back.
      killedAt = await e
        .waitFor(
          () => {
            const dms = dmPosts().length;
            if (dms < KILL_AFTER_DMS || !channelSent()) return undefined;
            first.child.kill('SIGKILL');
            return { dms };
          },
          15_000,
          `${KILL_AFTER_DMS} DMs and the channel post`,
        )
        .catch((err: Error) => {
          throw new Error(`${err.message}\nbot output:\n${first.output()}`);
        });
    } finally {
      watcher.close();
    }
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killedAt.dms).toBeLessThan(N);

    const afterKill = await withDb((db) => db.prepare('SELECT id, kind, target_id, status, detail, claimed_by FROM outbox ORDER BY id').all() as Row[]);
    const byStatus = (s: string) => afterKill.filter((r) => r.status === s);
    expect(afterKill[0]).toMatchObject({ kind: 'channel', target_id: CHANNEL_ID, status: 'sent' });
    // Rows nobody had started are still pending; the second channel's post among them.
    expect(byStatus('pending').length).toBeGreaterThan(0);
    expect(afterKill.at(-1)).toMatchObject({ kind: 'channel', target_id: OTHER_CHANNEL, status: 'pending' });
    // Rows the dead process was sending (at most one per lane, and Slack's pace keeps one lane
    // per request a second); at least one had reached Slack, its answer never came back.
    const sending = byStatus('sending');
    expect(sending.length).toBeGreaterThan(0);
    expect(sending.length).toBeLessThanOrEqual(RATE);
    expect(sending.every((r) => r.claimed_by?.split(':')[1] === String(first.child.pid))).toBe(true);
    const delivered = new Set(dmPosts().map((c) => c.body.channel as string));
    const inDoubt = sending.filter((r) => delivered.has(dmChannel(r.target_id)));
    expect(inDoubt.length).toBeGreaterThan(0);

    // ---- Second run: finishes the fan-out without sending anything twice.
    const since = e.seq;
    const second = startBot(e.apiUrl);
    const counts = await until(
      () => {
        const db = new BetterSqlite3(DB, { fileMustExist: true });
        try {
          const open = db.prepare("SELECT COUNT(*) n FROM outbox WHERE status IN ('pending', 'sending')").get() as { n: number };
          return open.n === 0 ? (db.prepare('SELECT status, COUNT(*) n FROM outbox GROUP BY status').all() as { status: string; n: number }[]) : undefined;
        } finally {
          db.close();
        }
      },
      20_000,
      'the outbox to empty',
      second,
    );
    second.child.kill('SIGTERM');
    const exit = await Promise.race([second.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    expect(exit, second.output()).toEqual({ code: 0, signal: null });
    expect(second.output()).not.toMatch(/"level":(50|60)/);

    // Every opted-in user: exactly one prompt DM, carrying its outbox key.
    for (const u of USERS) {
      const toUser = dmPosts().filter((c) => c.body.channel === dmChannel(u.id));
      expect(toUser.map((c) => c.response.ok), u.id).toEqual([true]);
      expect(headerOf(toUser[0]!.message!)).toBe('🧘 Stretch break');
      const row = afterKill.find((r) => r.target_id === u.id)!;
      expect(toUser[0]!.message!.metadata).toEqual({ event_type: 'stretch_coach_delivery', event_payload: { key: `ob${row.id}` } });
    }
    for (const channel of CHANNELS) {
      expect(e.calls('chat.postMessage').filter((c) => c.body.channel === channel).map((c) => c.response.ok), channel).toEqual([true]);
    }
    expect(counts).toEqual([{ status: 'sent', n: N + 2 }]);

    // The restarted bot looked up the in-doubt rows (found them: no second post) and sent the rest.
    const history = e.calls('conversations.history', since);
    expect(history.every((c) => c.response.ok)).toBe(true);
    expect(history.map((c) => c.body.channel).sort()).toEqual(sending.map((r) => dmChannel(r.target_id)).sort());
    expect(dmPosts().filter((c) => c.seq >= since).map((c) => c.body.channel).sort()).toEqual(
      afterKill.filter((r) => r.kind === 'dm' && !delivered.has(dmChannel(r.target_id))).map((r) => dmChannel(r.target_id)).sort(),
    );
  }, 60_000); // two real bot processes, a paced fan-out and a restart: give a loaded CI machine room
});
