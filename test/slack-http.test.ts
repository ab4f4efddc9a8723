/**
 * HTTP mode (SLACK_MODE=http): the real Bolt App serves /slack/events and checks Slack's
 * request signature; the Web API and response_url still point at the local emulator.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter } from '../src/adapters/slack/transport.js';
import { BOT_TOKEN, buttonLabels, headerOf, SlackEmulator, textOf } from './emulators/slack-emulator.js';
import { createTestCoach, type TestCoach } from './support/coach.js';
import { capturingLogger, slackFlows } from './support/slack.js';

const SECRET = 'emulated-signing-secret';
const log = capturingLogger();
let emu: SlackEmulator;
let tc: TestCoach;
let adapter: SlackAdapter;
const { responded } = slackFlows(() => emu);

function signed(body: string, opts: { ts?: number; secret?: string } = {}): Record<string, string> {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', opts.secret ?? SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
}

function post(body: string, headers: Record<string, string>, path = SLACK_EVENTS_PATH): Promise<Response> {
  return fetch(`http://127.0.0.1:${adapter.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

const formOf = (payload: Record<string, unknown>) => new URLSearchParams(payload as Record<string, string>).toString();
const interactiveForm = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

beforeAll(async () => {
  emu = new SlackEmulator();
  await emu.start();
  tc = await createTestCoach();
  adapter = createSlackAdapter({
    config: { botToken: BOT_TOKEN, signingSecret: SECRET, mode: 'http', port: 0, apiUrl: emu.apiUrl, adminUserIds: [] },
    coach: tc.coach,
    logger: log.logger,
  });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await emu?.stop();
  await tc?.app.stop();
});

describe('Slack adapter in HTTP mode', () => {
  it('listens on the configured port (0 = any) and uses no websocket', () => {
    expect(adapter.port).toBeGreaterThan(0);
    expect(emu.calls().map((c) => c.method)).toEqual(['auth.test']);
  });

  it('accepts a correctly signed slash command, acks with 200 and answers on the response_url; buttons work too', async () => {
    const since = emu.seq;
    const body = formOf(emu.slashCommandPayload({ text: 'start neck' }));
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const reply = await responded(since);
    expect(reply.body.response_type).toBe('ephemeral');
    const msg = reply.message!;
    expect(headerOf(msg)).toBe('Neck Rolls (warm-up)');
    expect(textOf(msg)).toContain('Step 1 of 4');

    const click = interactiveForm(emu.blockActionPayload(msg, 'Next'));
    const clicked = await post(click, signed(click));
    expect(clicked.status).toBe(200);
    const update = await responded(reply.seq + 1);
    expect(update.body.replace_original).toBe(true);
    expect(headerOf(msg)).toBe('Neck Flexion');
    expect(buttonLabels(msg)).toEqual(['Next', 'Back', '⏱ Start timer (30 s)', 'Skip', 'Pause', 'Stop', 'It hurts']);
  });

  it('answers 401 to a wrong signature and does nothing', async () => {
    const since = emu.seq;
    const body = formOf(emu.slashCommandPayload({ text: 'list' }));
    expect((await post(body, signed(body, { secret: 'not-the-secret' }))).status).toBe(401);
    // A valid signature over a different body (tampered request).
    expect((await post(body.replace('list', 'help'), signed(body))).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.log.slice(since)).toEqual([]);
    expect(log.lines.some((l) => String(l.msg).includes('signature mismatch'))).toBe(true);
  });

  it('answers 401 to a stale timestamp (more than 5 minutes old), even when correctly signed', async () => {
    const since = emu.seq;
    const body = formOf(emu.slashCommandPayload({ text: 'list' }));
    const res = await post(body, signed(body, { ts: Math.floor(Date.now() / 1000) - 6 * 60 }));
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.log.slice(since)).toEqual([]);
    expect(log.lines.some((l) => String(l.msg).includes('stale'))).toBe(true);
  });

  it('serves only /slack/events', async () => {
    const body = formOf(emu.slashCommandPayload({ text: 'list' }));
    expect((await post(body, signed(body), '/other')).status).toBe(404);
  });

  it('stops listening on stop()', async () => {
    const port = adapter.port;
    await adapter.stop();
    await expect(fetch(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, { method: 'POST' })).rejects.toThrow();
  });
});
