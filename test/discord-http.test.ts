/**
 * Discord over HTTP (DISCORD_MODE=http): the emulator plays Discord, POSTing signed
 * interactions to the bot's /discord/interactions; the bot answers in the HTTP response and
 * follows up through the REST API with the bot token. No gateway connection is made.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDiscordAdapter } from '../src/adapters/discord/transport.js';
import type { Coach } from '../src/core/coach.js';
import { createHttpServer, type HttpServer } from '../src/http/server.js';
import { DiscordEmulator, type StoredMessage } from './emulators/discord-emulator.js';
import { buttonsOf, dmOpensFor, title } from './support/discord.js';
import { createTestCoach, silentLogger, type TestCoach } from './support/coach.js';
import { databases } from './support/databases.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_HEX = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const signed = (timestamp: string, body: string) => sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
const EPHEMERAL = 64;

let emu: DiscordEmulator;
const started: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  emu = new DiscordEmulator();
  await emu.start();
});
afterAll(async () => {
  for (const s of started.reverse()) await s.stop();
  await emu.stop();
});

const discordEnv = () => ({
  DISCORD_TOKEN: emu.token,
  DISCORD_APPLICATION_ID: emu.applicationId,
  DISCORD_API_URL: emu.apiUrl,
  DISCORD_MODE: 'http',
  DISCORD_PUBLIC_KEY: PUBLIC_HEX,
  PORT: '0',
});

async function bot(env: Record<string, string> = {}): Promise<{ t: TestCoach; url: string }> {
  const t = await createTestCoach({ env: { ...discordEnv(), ...env } });
  await t.app.start();
  started.push(t.app);
  const address = t.app.http!.server.address();
  return { t, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/discord/interactions` };
}

/** Waits until the message with this id satisfies `ok` (an edit through the REST API). */
async function eventually(id: string, ok: (m: StoredMessage) => boolean): Promise<StoredMessage> {
  for (let i = 0; i < 100; i++) {
    const m = emu.messages.get(id);
    if (m && ok(m)) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`message ${id} never became what was expected: ${JSON.stringify(emu.messages.get(id)?.embeds)}`);
}

const post = (url: string, body: string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('Discord interactions over HTTP', () => {
  let url: string;
  let t: TestCoach;
  beforeAll(async () => {
    const gatewayConnections = emu.identifies.length;
    ({ url, t } = await bot());
    // No gateway connection in HTTP mode.
    expect(emu.identifies.length).toBe(gatewayConnections);
  });

  it('answers PING with PONG', async () => {
    const body = JSON.stringify({ id: '1', token: 't', type: 1, application_id: emu.applicationId });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await post(url, body, { 'x-signature-ed25519': signed(ts, body), 'x-signature-timestamp': ts });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('answers a bad or missing signature with 401 and does nothing', async () => {
    const payload = emu.slashPayload({ user: emu.user('mallory'), sub: 'start', options: { routine: 'neck' } });
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(Date.now() / 1000));
    const before = emu.requests.length;
    const other = generateKeyPairSync('ed25519').privateKey;
    for (const headers of <Record<string, string>[]>[
      {},
      { 'x-signature-timestamp': ts },
      { 'x-signature-ed25519': signed(ts, body) },
      { 'x-signature-ed25519': sign(null, Buffer.from(ts + body), other).toString('hex'), 'x-signature-timestamp': ts },
      { 'x-signature-ed25519': signed(ts, body), 'x-signature-timestamp': String(Number(ts) + 1) },
    ]) {
      expect((await post(url, body, headers)).status).toBe(401);
    }
    expect((await post(url, body.replace('neck', 'full'), { 'x-signature-ed25519': signed(ts, body), 'x-signature-timestamp': ts })).status).toBe(401);
    expect(emu.requests.length).toBe(before);
  });

  it('runs a slash command and a click end to end: the picture step is deferred in the HTTP answer and put on @original', async () => {
    const ana = emu.user('ana');
    const first = await emu.postInteraction(url, emu.slashPayload({ user: ana, sub: 'start', options: { routine: 'neck' } }), signed);
    // Files cannot ride in the HTTP answer: a private deferral, then the card with its GIF on @original.
    expect(first.type).toBe(5);
    expect(first.data.flags & EPHEMERAL).toBe(EPHEMERAL);
    const step1 = await eventually(first.record.originalMessageId!, (m) => title(m) === 'Neck Rolls (warm-up)');
    expect(step1.embeds[0].image.url).toBe(`attachment://${step1.attachments[0]!.filename}`);

    const next = buttonsOf(step1).find((b) => b.label === 'Next')!;
    const click = await emu.postInteraction(url, emu.clickPayload({ user: ana, message: step1, customId: next.custom_id }), signed);
    expect(click.type).toBe(6);
    const step2 = await eventually(step1.id, (m) => title(m) === 'Neck Flexion');
    expect(step2.attachments).toHaveLength(1);
    expect(step2.attachments[0]!.filename).not.toBe(step1.history[0]?.attachments[0]?.filename ?? '');
  });

  it('a group session posted as the interaction response learns its message from @original, for edits before any click', async () => {
    const first = await emu.postInteraction(url, emu.slashPayload({ user: emu.user('gus'), sub: 'group', options: { routine: 'neck' } }), signed);
    // The picture rides on @original: a public deferral in the HTTP answer, then the card.
    expect(first.type).toBe(5);
    const msg = await eventually(first.record.originalMessageId!, (m) => title(m) === 'Neck Rolls (warm-up)');
    expect(msg.flags & EPHEMERAL).toBe(0);
    const live = () => t.storage.db.selectFrom('group_sessions').select('message_ref').where('status', '=', 'live').execute();
    await vi.waitFor(async () => expect(await live()).toEqual([{ message_ref: JSON.stringify({ channel: msg.channel_id, message: msg.id }) }]));
  });

  it('answers a card without files in the HTTP response itself, and DMs through the REST API with the bot token', async () => {
    const bo = emu.user('bo');
    const list = await emu.postInteraction(url, emu.slashPayload({ user: bo, sub: 'list' }), signed);
    expect(list.type).toBe(4);
    expect(title(list.message)).toBe('Routines');

    const dm = await emu.postInteraction(url, emu.slashPayload({ user: bo, sub: 'dm', options: { routine: 'neck' } }), signed);
    expect(title(dm.message)).toBe('Check your DMs');
    expect(dmOpensFor(emu, bo.id)).toHaveLength(1);
    const dmChannel = emu.dmChannelOf(bo.id)!;
    expect(emu.messagesIn(dmChannel).map(title)).toEqual(['Neck Rolls (warm-up)']);
  });

  it('defers a slow command inside 3 s and follows up through the REST API', async () => {
    const http = createHttpServer({ port: 0, logger: silentLogger() });
    const t = await createTestCoach();
    const slow: Coach = {
      ...t.coach,
      handleCommand: async (cmd) => {
        await new Promise((r) => setTimeout(r, 2_000));
        return t.coach.handleCommand(cmd);
      },
    };
    const adapter = createDiscordAdapter({
      config: { token: emu.token, applicationId: emu.applicationId, apiUrl: emu.apiUrl, mode: 'http', publicKey: PUBLIC_HEX },
      coach: slow,
      http,
      logger: silentLogger(),
    });
    const port = await http.listen();
    await adapter.start();
    started.push({ stop: async () => (await adapter.stop(), await http.close(), await t.app.stop()) });
    const r = await emu.postInteraction(`http://127.0.0.1:${port}/discord/interactions`, emu.slashPayload({ user: emu.user('cy'), sub: 'list' }), signed);
    expect(r.type).toBe(5);
    expect(r.ackMs).toBeLessThan(3_000);
    expect(title(await eventually(r.record.originalMessageId!, (m) => title(m) === 'Routines'))).toBe('Routines');
  });
});

describe.each(databases().filter((d) => d.dialect === 'postgres'))('two replicas in Discord HTTP mode on $label', (db) => {
  it.skipIf(db.skip)('alternate requests between them and continue one session across them', async () => {
    const fresh = await db.create();
    started.push({ stop: fresh.drop });
    const a = await bot(fresh.env);
    const b = await bot(fresh.env);
    const dee = emu.user('dee');
    const first = await emu.postInteraction(a.url, emu.slashPayload({ user: dee, sub: 'start', options: { routine: 'neck' } }), signed);
    let msg = await eventually(first.record.originalMessageId!, (m) => title(m) === 'Neck Rolls (warm-up)');
    const expected = ['Neck Flexion', 'Shoulder Roll'];
    for (const [k, url] of [b.url, a.url].entries()) {
      const next = buttonsOf(msg).find((x) => x.label === 'Next')!;
      await emu.postInteraction(url, emu.clickPayload({ user: dee, message: msg, customId: next.custom_id }), signed);
      msg = await eventually(msg.id, (m) => title(m) === expected[k]);
    }
    expect(title(msg)).toBe('Shoulder Roll');
  });
});
