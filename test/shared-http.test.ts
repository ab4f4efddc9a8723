/**
 * One HTTP server for everything (PORT): Slack's /slack/events in HTTP mode is mounted on it
 * next to /healthz and /metrics, and the interactions it handles show up in the metrics.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH, type SlackAdapter } from '../src/adapters/slack/transport.js';
import { BOT_TOKEN, headerOf, SlackEmulator } from './emulators/slack-emulator.js';
import { createTestCoach, type TestCoach } from './support/coach.js';
import { slackFlows } from './support/slack.js';

const SECRET = 'shared-server-secret';
let emu: SlackEmulator;
let tc: TestCoach;
let port: number;
const { responded } = slackFlows(() => emu);

function signedPost(body: string, secret = SECRET): Promise<Response> {
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return fetch(`http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
}

beforeAll(async () => {
  emu = new SlackEmulator();
  await emu.start();
  tc = await createTestCoach({ env: { PORT: '0', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_MODE: 'http', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: emu.apiUrl } });
  await tc.app.start();
  const address = tc.app.http!.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : 0;
  port = httpPort;
});

afterAll(async () => {
  await tc?.app.stop();
  await emu?.stop();
});

describe('the shared HTTP server', () => {
  it('serves Slack events, health and metrics on one port', async () => {
    const since = emu.seq;
    const form = new URLSearchParams(emu.slashCommandPayload({ text: 'start neck' }) as Record<string, string>).toString();
    const res = await signedPost(form);
    expect(res.status).toBe(200);
    // Bolt listens on nothing of its own.
    expect((tc.app.adapters[0] as SlackAdapter).port).toBeUndefined();
    expect(headerOf((await responded(since)).message!)).toBe('Neck Rolls (warm-up)');

    expect((await signedPost(form, 'wrong-secret')).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('stretch_interactions_total{platform="slack",kind="command",outcome="ok"} 1');
    expect(metrics).toMatch(/stretch_ack_latency_seconds_count\{platform="slack"\} 1/);
  });
});
