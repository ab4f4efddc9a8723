/**
 * The bot's footprint against a bare client doing the same clicks, per platform, in one run:
 * the bundled bot (dist/, as `npm start` runs it) with 10,000 users, 1,000 schedules and
 * 1,000 open sessions in its database, and a bare discord.js client / Bolt app (bench/bare-*.mjs)
 * that answers a static message, each a child process against a fresh emulator. Reports peak
 * RSS of all the process's tree after 200 clicks, time from spawn to connected, and ack
 * latency p50/p99 for 200 clicks in waves of 20, as bot ÷ bare.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DISCORD_WORKSPACE_ID } from '../src/adapters/discord/parse.js';
import { encodeAction } from '../src/core/action-id.js';
import { loadCatalogue } from '../src/content/loader.js';
import { newSession } from '../src/core/session.js';
import { createPictureStore } from '../src/pictures/store.js';
import { openStorage } from '../src/storage/open.js';
import { DiscordEmulator, type EmuUser } from '../test/emulators/discord-emulator.js';
import { APP_TOKEN, BOT_TOKEN, CHANNEL_ID, SlackEmulator, TEAM_ID } from '../test/emulators/slack-emulator.js';
import { silentLogger } from '../test/support/coach.js';
import { cleanEnv, COMPILED_ENTRY, ROOT } from '../test/support/run-bot.js';
import { insertSchedules, leapDayOnly } from '../test/support/schedule-rows.js';

const USERS = 10_000;
const SCHEDULES = 1_000;
const SESSIONS = 1_000;
const CLICKS = 200;
const WAVE = 20;
const T = Date.UTC(2026, 10, 24, 9);

type Platform = 'discord' | 'slack';
interface Figures {
  /** Clicks the subject really handled (bot: sessions moved on a step). */
  handled: number;
  rssMb: number;
  /** Peak RSS once connected, before any click: what start-up alone costs. */
  readyRssMb: number;
  readyMs: number;
  p50: number;
  p99: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/** Peak resident memory (VmHWM) of a process and every process under it, MB. */
function peakRssMb(pid: number): number {
  const kids = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  const own = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return own + kids.reduce((sum, k) => sum + peakRssMb(k), 0);
}

async function until(probe: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A database as a team in full swing would have it; returns the open sessions' owners and ids. */
async function seed(path: string, platform: Platform, userIds: string[], workspaceId: string, channelId: string): Promise<Array<{ user: string; session: string }>> {
  const storage = await openStorage({ databasePath: path }, silentLogger());
  const db = storage.db;
  for (let i = 0; i < USERS; i += 500) {
    await db
      .insertInto('users')
      .values(Array.from({ length: Math.min(500, USERS - i) }, (_, j) => ({ platform, workspace_id: workspaceId, user_id: userIds[i + j] ?? `X${i + j}`, created_at: T, updated_at: T })))
      .execute();
  }
  const schedules = leapDayOnly(SCHEDULES, T).map((s) => ({ ...s, platform, workspaceId }));
  await insertSchedules(storage, schedules);
  const open: Array<{ user: string; session: string }> = [];
  for (let i = 0; i < SESSIONS; i++) {
    const id = `bench${i}`;
    await storage.sessions.insert(
      newSession({ id, platform, workspaceId, userId: userIds[i]!, channelId, surface: 'channel', routineId: 'desk', exerciseIds: ['neck-rolls', 'shoulder-roll'], now: T }),
    );
    open.push({ user: userIds[i]!, session: id });
  }
  await storage.close();
  return open;
}

async function run(platform: Platform, subject: 'bot' | 'bare', dir: string): Promise<Figures> {
  const discord = platform === 'discord' ? new DiscordEmulator() : undefined;
  const slack = platform === 'slack' ? new SlackEmulator({ users: [] }) : undefined;
  await (discord ?? slack)!.start();
  let child: ChildProcess | undefined;
  try {
    const discordUsers: EmuUser[] = discord ? Array.from({ length: SESSIONS }, (_, i) => discord.user(`u${i}`)) : [];
    const userIds = discord ? discordUsers.map((u) => u.id) : Array.from({ length: USERS }, (_, i) => `U0B${i}`);
    if (slack) for (const id of userIds.slice(0, SESSIONS)) slack.users.set(id, { id, name: id.toLowerCase(), tz: 'UTC' });
    const dbPath = join(dir, `${platform}-${subject}.db`);
    const open = subject === 'bot' ? await seed(dbPath, platform, userIds, discord ? DISCORD_WORKSPACE_ID : TEAM_ID, discord ? discord.channelId : CHANNEL_ID) : [];
    const env: Record<string, string> = discord
      ? { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl }
      : { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: slack!.apiUrl };
    // A restart, not a first start: the pictures were drawn when the bot first ran (see benchFootprint).
    if (subject === 'bot') env.PICTURES_DIR = join(dir, 'pictures');
    const entry = subject === 'bot' ? COMPILED_ENTRY : resolve(ROOT, `bench/bare-${platform}.mjs`);

    const t0 = performance.now();
    // BENCH_BOT_NODE_FLAGS: try V8 or Node flags on the bot alone (e.g. --max-semi-space-size=4).
    const flags = subject === 'bot' ? (process.env.BENCH_BOT_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
    child = spawn(process.execPath, [...flags, entry], { cwd: dir, env: cleanEnv({ ...env, DATABASE_PATH: dbPath, CONTENT_DIR: resolve(ROOT, 'content') }), stdio: 'ignore' });
    await until(() => (discord ? discord.identifies.length > 0 : slack!.openSockets > 0), 30_000, `${platform} ${subject} to connect`);
    const readyMs = performance.now() - t0;
    // READY (Discord) or the hello (Slack) is on its way; let the client take it in.
    await new Promise((r) => setTimeout(r, 500));
    const readyRssMb = peakRssMb(child.pid!);

    const acks: number[] = [];
    for (let w = 0; w < CLICKS / WAVE; w++) {
      await Promise.all(
        Array.from({ length: WAVE }, async (_, k) => {
          const i = w * WAVE + k;
          const target = open[i] ?? { user: userIds[i]!, session: `none${i}` };
          const customId = encodeAction({ kind: 'session', sessionId: target.session, step: 0, verb: 'next' });
          if (discord) {
            const posted = await fetch(`${discord.apiUrl}/v10/channels/${discord.channelId}/messages`, {
              method: 'POST',
              headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ content: 'Step 1', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Next', custom_id: customId }] }] }),
            });
            const message = discord.messages.get(((await posted.json()) as { id: string }).id)!;
            const r = await discord.click({ user: discordUsers[i]!, message, customId });
            acks.push(r.ackMs);
          } else {
            const message = { channel: CHANNEL_ID, ts: `${1_700_000_000 + i}.000100`, ephemeral: true, user: target.user, text: 'Step 1', blocks: [], version: 1 };
            const sent = performance.now();
            await slack!.sendBlockAction(message, 'Next', { user: target.user, actionId: customId });
            acks.push(performance.now() - sent);
          }
        }),
      );
    }
    // Let the last answers (chat.update, response_url) finish before reading the peak.
    await new Promise((r) => setTimeout(r, 1000));
    const rssMb = peakRssMb(child.pid!);
    let handled = acks.length;
    if (subject === 'bot') {
      const storage = await openStorage({ databasePath: dbPath }, silentLogger());
      handled = Number((await storage.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('step', '=', 1).executeTakeFirst())?.n ?? 0);
      await storage.close();
    }
    return { handled, rssMb, readyRssMb, readyMs, p50: quantile(acks, 0.5), p99: quantile(acks, 0.99) };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await (discord ?? slack)!.stop();
  }
}

export async function benchFootprint(report: (name: string, value: string) => void): Promise<void> {
  // `npm start` runs dist/: build it from the current source first.
  const built = spawnSync(process.execPath, [resolve(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const dir = mkdtempSync(join(tmpdir(), 'stretch-footprint-'));
  try {
    // The first start ever draws every picture once (seconds of resvg and GIF encoding); every
    // later start finds them on disk. Measured here: a later start, as a deployment restarts.
    await createPictureStore({ catalogue: loadCatalogue(resolve(ROOT, 'content')), cacheDir: join(dir, 'pictures') }).warm();
    for (const platform of ['discord', 'slack'] as const) {
      const bare = await run(platform, 'bare', dir);
      const bot = await run(platform, 'bot', dir);
      const line = (what: string, b: number, o: number, unit: string, goal: string) =>
        report(`${platform}: ${what}, bot / bare (goal ${goal})`, `${o.toFixed(unit === 'MB' ? 0 : 1)} / ${b.toFixed(unit === 'MB' ? 0 : 1)} ${unit} = ${(o / b).toFixed(2)}×`);
      if (bot.handled !== CLICKS) throw new Error(`${platform}: the bot moved ${bot.handled} of ${CLICKS} sessions on`);
      line('peak RSS after 200 clicks', bare.rssMb, bot.rssMb, 'MB', '≤ 1.1');
      line('  of which by the time it was ready', bare.readyRssMb, bot.readyRssMb, 'MB', 'none');
      line('start to connected', bare.readyMs, bot.readyMs, 'ms', '≤ 1.2');
      line('ack p50, 200 clicks in waves of 20', bare.p50, bot.p50, 'ms', '≤ 1.2');
      line('ack p99', bare.p99, bot.p99, 'ms', '≤ 1.5');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFootprint((n, v) => console.log(`${n.padEnd(58)} ${v}`));
