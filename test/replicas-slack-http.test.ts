/**
 * Two replicas on one PostgreSQL in Slack HTTP mode with OAuth, as behind a load balancer:
 * the install goes through one, then requests alternate between them, and one guided session
 * continues across both, each call made with the workspace's token read from the database.
 *
 * Needs TEST_DATABASE_URL (see test/support/databases.ts); skipped without it, failing under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerOf, SlackEmulator, textOf, type EmulatedTeam } from './emulators/slack-emulator.js';
import { createTestCoach, rows, type TestCoach } from './support/coach.js';
import { postgresDatabase, type FreshDatabase } from './support/databases.js';
import { formOf, installThroughBrowser, interactiveForm, postSigned, type ApiEntry } from './support/slack.js';

const pg = postgresDatabase();
const SECRET = 'emulated-signing-secret';
const OAUTH = { clientId: '1111.2222', clientSecret: 'emulated-client-secret' };
const TEAM: EmulatedTeam = { id: 'T0REPL', name: 'Replicated' };

let emu: SlackEmulator;
let fresh: FreshDatabase;
const replicas: { tc: TestCoach; base: string }[] = [];

async function replica(): Promise<{ tc: TestCoach; base: string }> {
  const tc = await createTestCoach({
    databaseUrl: fresh.env.DATABASE_URL,
    env: {
      PORT: '0', SLACK_MODE: 'http', SLACK_SIGNING_SECRET: SECRET, SLACK_CLIENT_ID: OAUTH.clientId, SLACK_CLIENT_SECRET: OAUTH.clientSecret,
      SLACK_STATE_SECRET: 'shared-state-secret-0123456789', SLACK_API_URL: emu.apiUrl,
    },
  });
  await tc.app.start();
  const address = tc.app.http!.server.address();
  return { tc, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe.skipIf(pg.skip)(`two replicas on one PostgreSQL, Slack HTTP mode with OAuth${pg.skip ? ` (skipped: ${pg.skip})` : ''}`, () => {
  beforeAll(async () => {
    emu = new SlackEmulator({ oauthApp: OAUTH });
    await emu.start();
    fresh = await pg.create();
    replicas.push(await replica(), await replica());
  });
  afterAll(async () => {
    for (const r of replicas) await r.tc.app.stop();
    await fresh?.drop();
    await emu?.stop();
  });

  it('installs through one, then continues one session with requests alternating between them', async () => {
    const [a, b] = replicas as [{ tc: TestCoach; base: string }, { tc: TestCoach; base: string }];
    // The browser's two steps land on different replicas: the signed state and cookie hold, no server memory.
    emu.redirectUrl = `${a.base}/slack/oauth_redirect`;
    expect((await installThroughBrowser(emu, a.base, TEAM, { finishAt: b.base })).status).toBe(200);
    const token = emu.tokenOf(TEAM.id)!;
    expect(await rows(a.tc, 'select install_key from slack_installations')).toEqual([{ install_key: TEAM.id }]);

    let since = emu.seq;
    expect((await postSigned(`${a.base}/slack/events`, formOf(emu.slashCommandPayload({ text: 'dm neck', team: TEAM.id })), SECRET)).status).toBe(200);
    const dm = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
    const message = dm.message!;
    expect(textOf(message)).toContain('Step 1 of 4');

    const headers: string[] = [];
    for (const [i, r] of [b, a, b].entries()) {
      since = emu.seq;
      const click = interactiveForm(emu.blockActionPayload(message, 'Next', { team: TEAM.id }));
      expect((await postSigned(`${r.base}/slack/events`, click, SECRET)).status).toBe(200);
      const update = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.update', `update ${i + 1}`);
      expect(update.response.ok).toBe(true);
      expect(textOf(message)).toContain(`Step ${i + 2} of 4`);
      headers.push(headerOf(message)!);
    }
    expect(new Set(headers).size).toBe(3);
    expect(new Set(emu.calls().filter((c) => c.method !== 'oauth.v2.access').map((c) => c.token))).toEqual(new Set([token]));
    const [session] = await rows<{ step: number; status: string; version: number }>(a.tc, `select step, status, version from sessions where workspace_id = '${TEAM.id}'`);
    expect(session).toMatchObject({ step: 3, status: 'active' });
  });
});
