/**
 * OAuth with Socket Mode: the install pages are still served on the bot's one HTTP server
 * (PORT), commands arrive over the websocket and are answered with the installing workspace's
 * token, and app_uninstalled over the websocket removes the installation.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_TOKEN, SlackEmulator, type EmulatedTeam } from './emulators/slack-emulator.js';
import { createTestCoach, rows, type TestCoach } from './support/coach.js';
import { installThroughBrowser, type ApiEntry } from './support/slack.js';

const OAUTH = { clientId: '1111.2222', clientSecret: 'emulated-client-secret' };
const TEAM: EmulatedTeam = { id: 'T0SOCK', name: 'Sockets' };
let emu: SlackEmulator;
let tc: TestCoach;
let base: string;

beforeAll(async () => {
  emu = new SlackEmulator({ oauthApp: OAUTH });
  await emu.start();
  tc = await createTestCoach({
    env: {
      PORT: '0', SLACK_APP_TOKEN: APP_TOKEN, SLACK_CLIENT_ID: OAUTH.clientId, SLACK_CLIENT_SECRET: OAUTH.clientSecret,
      SLACK_STATE_SECRET: 'emulated-state-secret-0123456789', SLACK_API_URL: emu.apiUrl,
    },
  });
  await tc.app.start();
  await emu.waitForConnection();
  const address = tc.app.http!.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  emu.redirectUrl = `${base}/slack/oauth_redirect`;
});
afterAll(async () => {
  await tc?.app.stop();
  await emu?.stop();
});

describe('Slack OAuth in Socket Mode', () => {
  it('installs through PORT, answers over the websocket with the workspace token, and forgets the workspace on app_uninstalled', async () => {
    expect((await installThroughBrowser(emu, base, TEAM)).status).toBe(200);
    const token = emu.tokenOf(TEAM.id);

    const since = emu.seq;
    await emu.sendSlashCommand({ text: 'dm neck', team: TEAM.id });
    const dm = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
    expect(dm.token).toBe(token);
    expect(dm.team).toBe(TEAM.id);

    expect(await emu.uninstall(TEAM.id, 'socket')).toBe(200);
    await vi.waitFor(async () => expect(await rows(tc, 'select install_key from slack_installations')).toEqual([]));
  });
});
