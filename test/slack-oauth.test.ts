/**
 * Slack OAuth against the local emulator: the real Bolt App and @slack/oauth InstallProvider
 * in HTTP mode on the bot's one HTTP server, installed into two workspaces through
 * /slack/install → Slack's authorize page → /slack/oauth_redirect. Every call must carry the
 * token of the workspace it concerns; uninstalling one workspace leaves the other working.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_ID, headerOf, SlackEmulator, type EmulatedMessage, type EmulatedTeam } from './emulators/slack-emulator.js';
import { createTestCoach, FakeClock, rows, row, sql, type TestCoach } from './support/coach.js';
import { formOf, installThroughBrowser, interactiveForm, postSigned, readManifest, type ApiEntry } from './support/slack.js';
import { SLACK_BOT_SCOPES } from '../src/adapters/slack/oauth.js';

const SECRET = 'emulated-signing-secret';
const OAUTH = { clientId: '1111.2222', clientSecret: 'emulated-client-secret' };
const ACME: EmulatedTeam = { id: 'T0ACME', name: 'Acme' };
const BETA: EmulatedTeam = { id: 'T0BETA', name: 'Beta <Corp>' };

const dir = mkdtempSync(join(tmpdir(), 'stretch-oauth-'));
const clock = new FakeClock(Date.UTC(2026, 10, 24, 9, 0, 0));
let emu: SlackEmulator;
let tc: TestCoach;
let base: string;

async function startBot(): Promise<void> {
  tc = await createTestCoach({
    dbPath: join(dir, 'bot.db'),
    clock,
    env: {
      PORT: '0',
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_CLIENT_ID: OAUTH.clientId,
      SLACK_CLIENT_SECRET: OAUTH.clientSecret,
      SLACK_STATE_SECRET: 'emulated-state-secret-0123456789',
      SLACK_API_URL: emu.apiUrl,
    },
  });
  await tc.app.start();
  const address = tc.app.http!.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  emu.redirectUrl = `${base}/slack/oauth_redirect`;
}

const install = (team: EmulatedTeam, opts: { deny?: boolean } = {}) => installThroughBrowser(emu, base, team, opts);

/** `/stretch <text>` as Slack posts it to /slack/events for `team`. */
async function command(team: EmulatedTeam, text: string, user = 'U0ALICE'): Promise<number> {
  const since = emu.seq;
  const res = await postSigned(`${base}/slack/events`, formOf(emu.slashCommandPayload({ text, user, team: team.id })), SECRET);
  expect(res.status).toBe(200);
  return since;
}

const apiCalls = (since: number): ApiEntry[] => emu.calls(undefined, since).filter((c) => c.method !== 'oauth.v2.access');
const installations = () => rows<{ install_key: string; bot_token: string; team_name: string; scopes: string; installer_user_id: string }>(tc, 'select * from slack_installations order by install_key');

beforeAll(async () => {
  emu = new SlackEmulator({ oauthApp: OAUTH });
  await emu.start();
  await startBot();
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await tc?.app.stop();
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Slack OAuth: install to any workspace', () => {
  it('asks for the manifest\'s bot scopes', () => {
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...readManifest().oauth_config.scopes.bot].sort());
  });

  it('refuses a forged state with a clear page and stores nothing', async () => {
    const since = emu.seq;
    const forged = await fetch(`${base}/slack/oauth_redirect?code=code-made-up&state=forged`, { headers: { cookie: 'slack-app-oauth-state=forged' } });
    expect(forged.status).toBe(400);
    const html = await forged.text();
    expect(html).toContain('Stretch Coach was not installed');
    expect(html).toContain('expired or was not started here');
    expect(html).toContain('href="/slack/install"');
    // A real state from another browser (no cookie) is refused too.
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const back = emu.authorize(start.headers.get('location')!, { team: ACME });
    expect((await fetch(back)).status).toBe(400);
    expect(emu.calls('oauth.v2.access', since)).toEqual([]);
    expect(await installations()).toEqual([]);
  });

  it('refuses a stale state (older than 10 minutes) and stores nothing', async () => {
    const since = emu.seq;
    const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const back = emu.authorize(start.headers.get('location')!, { team: ACME });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const late = await fetch(back, { headers: { cookie } });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('expired');
    expect(emu.calls('oauth.v2.access', since)).toEqual([]);
    expect(await installations()).toEqual([]);
  });

  it('tells the installer when they cancelled on Slack, and stores nothing', async () => {
    const { status, html } = await install(ACME, { deny: true });
    expect(status).toBe(403);
    expect(html).toContain('cancelled');
    expect(await installations()).toEqual([]);
  });

  it('installs into two workspaces: success page with the next step, one row each with its own token', async () => {
    const acme = await install(ACME);
    expect(acme.status).toBe(200);
    expect(acme.html).toContain('Stretch Coach is installed');
    expect(acme.html).toContain('<strong>Acme</strong>');
    expect(acme.html).toContain('/stretch');
    const beta = await install(BETA);
    expect(beta.status).toBe(200);
    // Workspace names are shown escaped.
    expect(beta.html).toContain('Beta &#60;Corp&#62;');

    const [a, b] = await installations();
    expect(a).toMatchObject({ install_key: ACME.id, bot_token: emu.tokenOf(ACME.id), team_name: 'Acme', installer_user_id: 'U0ADMIN' });
    expect(b).toMatchObject({ install_key: BETA.id, bot_token: emu.tokenOf(BETA.id) });
    expect(a!.bot_token).not.toBe(b!.bot_token);
    expect(a!.scopes.split(',').sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    // oauth.v2.access went to SLACK_API_URL (the emulator) with the app's credentials.
    expect(emu.calls('oauth.v2.access').filter((c) => c.response.ok)).toHaveLength(2);
  });

  it('answers a command in each workspace with that workspace\'s token (DM, profile look-up)', async () => {
    for (const team of [ACME, BETA]) {
      const since = await command(team, 'dm neck');
      const post = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
      expect(headerOf(post.message!)).toBe('Neck Rolls (warm-up)');
      const calls = apiCalls(since);
      expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['conversations.open', 'chat.postMessage']));
      expect(new Set(calls.map((c) => c.token))).toEqual(new Set([emu.tokenOf(team.id)]));
    }
    // Sessions are kept per workspace.
    const sessions = await rows<{ workspace_id: string }>(tc, "select workspace_id from sessions where user_id = 'U0ALICE' order by workspace_id");
    expect(sessions.map((s) => s.workspace_id)).toEqual([ACME.id, BETA.id]);
  });

  it('continues a session with clicks answered with the right token', async () => {
    const since = await command(BETA, 'dm desk');
    const dm = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
    const clickAt = emu.seq;
    const click = interactiveForm(emu.blockActionPayload(dm.message!, 'Next', { team: BETA.id }));
    expect((await postSigned(`${base}/slack/events`, click, SECRET)).status).toBe(200);
    const update = await emu.waitForEntry<ApiEntry>(clickAt, (e) => e.kind === 'api' && e.method === 'chat.update', 'the update');
    expect(update.token).toBe(emu.tokenOf(BETA.id));
    expect(update.message!.version).toBe(1);
  });

  it('fires a schedule only in its workspace, with its token, also after a restart; opt-ins are per workspace', async () => {
    // Alice opts in to Acme's prompts by DM only.
    let since = await command(ACME, 'optin');
    await emu.waitForEntry(since, (e) => e.kind === 'respond', 'the opt-in answer');
    expect(await rows(tc, "select workspace_id from optins where user_id = 'U0ALICE'")).toEqual([{ workspace_id: ACME.id }]);
    since = await command(ACME, 'schedule add daily 10:00 desk UTC', 'U0ADMIN');
    const added = await emu.waitForEntry(since, (e) => e.kind === 'respond', 'the answer');
    expect(headerOf((added as { message: EmulatedMessage }).message)).toMatch(/added$/);
    // The admin check asked Acme's users.info with Acme's token.
    expect(apiCalls(since).filter((c) => c.method === 'users.info').map((c) => c.token)).toEqual([emu.tokenOf(ACME.id)]);
    // Beta does not see Acme's schedule.
    since = await command(BETA, 'schedule list');
    const list = await emu.waitForEntry(since, (e) => e.kind === 'respond', 'the list');
    expect(JSON.stringify((list as { message: unknown }).message)).not.toContain('desk');

    clock.set(Date.UTC(2026, 10, 24, 10, 0, 30));
    expect(await tc.app.firing.sweep()).toMatchObject({ queued: 1 });
    // Restart between the fire and the send: the new process reads the token from the database.
    await tc.app.stop();
    await startBot();
    since = emu.seq;
    await tc.app.outbox.drain();
    const posts = emu.calls('chat.postMessage', since);
    expect(posts.map((p) => p.body.channel).sort()).toEqual([CHANNEL_ID, 'D0ALICE']);
    expect(new Set(apiCalls(since).map((c) => c.token))).toEqual(new Set([emu.tokenOf(ACME.id)]));
    expect(new Set(posts.map((p) => p.team))).toEqual(new Set([ACME.id]));
  });

  it('app_uninstalled removes that installation, pauses its schedules and skips its pending outbox rows; the other workspace keeps working', async () => {
    // Beta has a schedule too, and both have a prompt waiting in the outbox.
    let since = await command(BETA, 'schedule add daily 11:00 desk UTC', 'U0ADMIN');
    await emu.waitForEntry(since, (e) => e.kind === 'respond', 'the answer');
    clock.set(Date.UTC(2026, 10, 25, 10, 0, 30));
    await tc.app.firing.sweep();
    clock.set(Date.UTC(2026, 10, 25, 11, 0, 30));
    await tc.app.firing.sweep();
    expect(await rows(tc, "select workspace_id, kind from outbox where status = 'pending' order by workspace_id, kind")).toEqual([
      { workspace_id: ACME.id, kind: 'channel' },
      { workspace_id: ACME.id, kind: 'dm' },
      { workspace_id: BETA.id, kind: 'channel' },
    ]);

    expect(await emu.uninstall(ACME.id, { requestUrl: `${base}/slack/events`, signingSecret: SECRET })).toBe(200);
    await vi.waitFor(async () => expect((await installations()).map((i) => i.install_key)).toEqual([BETA.id]));
    expect(await rows(tc, sql`select workspace_id, paused, next_fire_at from schedules where removed_at is null order by workspace_id`)).toEqual([
      { workspace_id: ACME.id, paused: 1, next_fire_at: null },
      { workspace_id: BETA.id, paused: 0, next_fire_at: expect.any(Number) },
    ]);
    expect(await rows(tc, sql`select kind, status, detail from outbox where workspace_id = ${ACME.id} and fire_id in (select id from fires where fire_at = ${Date.UTC(2026, 10, 25, 10, 0)}) order by kind`)).toEqual([
      { kind: 'channel', status: 'skipped', detail: 'app_uninstalled' },
      { kind: 'dm', status: 'skipped', detail: 'app_uninstalled' },
    ]);

    since = emu.seq;
    await tc.app.outbox.drain();
    const posts = emu.calls('chat.postMessage', since);
    expect(posts.map((p) => p.token)).toEqual([emu.tokenOf(BETA.id)]);

    since = await command(BETA, 'dm neck');
    const dm = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
    expect(dm.response.ok).toBe(true);
    expect(dm.token).toBe(emu.tokenOf(BETA.id));
  });

  it('a command from the uninstalled workspace is answered privately, changes nothing and calls no Web API method', async () => {
    const before = await rows(tc, "select count(*) as n from sessions where workspace_id = 'T0ACME'");
    const since = emu.seq;
    const payload = emu.slashCommandPayload({ text: 'dm neck', team: ACME.id });
    expect((await postSigned(`${base}/slack/events`, formOf(payload), SECRET)).status).toBe(200);
    const answer = await emu.waitForEntry(since, (e) => e.kind === 'respond' && e.url === payload.response_url, 'the answer');
    expect(answer).toMatchObject({ status: 200, body: { response_type: 'ephemeral' } });
    expect(headerOf((answer as { message: EmulatedMessage }).message)).toBe('Not installed here');
    expect(apiCalls(since)).toEqual([]);
    expect(await rows(tc, "select count(*) as n from sessions where workspace_id = 'T0ACME'")).toEqual(before);
  });

  it('tokens_revoked does the same with its own reason; reinstalling brings the workspace back with a new token', async () => {
    const oldToken = emu.tokenOf(BETA.id);
    clock.set(Date.UTC(2026, 10, 26, 11, 0, 30));
    await tc.app.firing.sweep();
    expect(await emu.revoke(BETA.id, { requestUrl: `${base}/slack/events`, signingSecret: SECRET })).toBe(200);
    await vi.waitFor(async () => expect(await installations()).toEqual([]));
    expect(await row(tc, sql`select status, detail from outbox where workspace_id = ${BETA.id} order by id desc limit 1`)).toEqual({ status: 'skipped', detail: 'tokens_revoked' });
    expect(await row(tc, sql`select paused from schedules where workspace_id = ${BETA.id}`)).toEqual({ paused: 1 });

    expect((await install(BETA)).status).toBe(200);
    expect(emu.tokenOf(BETA.id)).not.toBe(oldToken);
    const since = await command(BETA, 'dm neck');
    const dm = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the DM');
    expect(dm.token).toBe(emu.tokenOf(BETA.id));
  });
});
