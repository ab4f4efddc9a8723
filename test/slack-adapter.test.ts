/**
 * What only Slack does, with the real Bolt App (Socket Mode) against the local Slack
 * emulator: connection and reconnection, users.info profiles, SLACK_ADMIN_USER_IDS, Block Kit
 * details, failure handling, the notifier, the manifest's scopes. Every command and click goes
 * over the websocket the way Slack sends it. Behaviour both platforms share is tested once for
 * both in test/adapters-*.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../src/adapters/slack/transport.js';
import { DeliveryError } from '../src/core/notifier.js';
import { notice } from '../src/core/card.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonsOf,
  CHANNEL_ID,
  headerOf,
  METHOD_SCOPES,
  SlackEmulator,
  TEAM_ID,
  textOf,
} from './emulators/slack-emulator.js';
import { createTestCoach, type TestCoach } from './support/coach.js';
import { capturingLogger, readManifest, slackFlows, type ApiEntry } from './support/slack.js';

const manifest = readManifest();
const log = capturingLogger();
let emu: SlackEmulator;
let tc: TestCoach;
let adapter: SlackAdapter;
const flows = slackFlows(() => emu);
const { command, ephemeralReply, responded } = flows;

beforeAll(async () => {
  // The emulator grants exactly the manifest's scopes, so a call the manifest does not cover fails.
  emu = new SlackEmulator({ botScopes: manifest.oauth_config.scopes.bot });
  await emu.start();
  tc = await createTestCoach();
  adapter = createSlackAdapter({
    config: { botToken: BOT_TOKEN, appToken: APP_TOKEN, mode: 'socket', port: 3000, apiUrl: emu.apiUrl, adminUserIds: ['U0BOB'] },
    // A handler that throws: `stats` stands in for any command whose storage fails.
    coach: {
      ...tc.coach,
      handleCommand: (cmd) => (cmd.command.name === 'stats' ? Promise.reject(new Error('database is on fire')) : tc.coach.handleCommand(cmd)),
    },
    logger: log.logger,
  });
  await adapter.start();
  await emu.waitForConnection();
});

afterAll(async () => {
  await adapter?.stop();
  await emu?.stop();
  await tc?.app.stop();
});

describe('Slack adapter over Socket Mode', () => {
  it('connects through SLACK_API_URL: auth.test, then apps.connections.open with the app token, then the websocket', () => {
    expect(emu.calls().map((c) => c.method).slice(0, 2)).toEqual(['auth.test', 'apps.connections.open']);
    expect(emu.connections).toBe(1);
  });

  it('renders Block Kit details: a primary first picker button, escaped mrkdwn', async () => {
    const picker = await ephemeralReply('');
    expect(buttonsOf(picker).map((b) => b.style)).toEqual(['primary', undefined, undefined, undefined]);
    // `<` would start a link or mention in mrkdwn.
    expect(textOf(await ephemeralReply('list'))).toContain('/stretch start &lt;routine&gt;');
  });

  it('falls back to an ephemeral reply in a DM the bot is not part of', async () => {
    const since = await command('start floor', { channel: 'D0SOMEONEELSE' });
    const e = await responded(since);
    expect(emu.calls('chat.postMessage', since).map((c) => c.response.error)).toEqual(['channel_not_found']);
    expect(e.body.response_type).toBe('ephemeral');
    expect(headerOf(e.message!)).toBe("Child's Pose");
  });

  it('posts a group session with chat.postMessage so it knows the ts; where the bot may not post, answers in the channel untracked', async () => {
    let since = await command('group neck', { channel: CHANNEL_ID });
    const posted = await emu.waitForEntry<ApiEntry>(since, (e) => e.kind === 'api' && e.method === 'chat.postMessage', 'the group post');
    const stored = () => tc.storage.db.selectFrom('group_sessions').select(['channel_id', 'message_ref']).where('status', '=', 'live').execute();
    await vi.waitFor(async () => expect(await stored()).toEqual([{ channel_id: CHANNEL_ID, message_ref: JSON.stringify({ channel: CHANNEL_ID, ts: posted.response.ts }) }]));

    // A private channel the bot is not in: Slack refuses chat.postMessage; the response_url still reaches it.
    since = await command('group neck', { channel: 'G0PRIVATE' });
    const e = await responded(since);
    expect(emu.calls('chat.postMessage', since).map((c) => c.response.error)).toEqual(['channel_not_found']);
    expect(e.body.response_type).toBe('in_channel');
    expect(headerOf(e.message!)).toBe('Neck Rolls (warm-up)');
    const privateGroup = await tc.storage.groups.liveIn({ platform: 'slack', workspaceId: TEAM_ID, channelId: 'G0PRIVATE' });
    expect(privateGroup?.messageRef).toBeUndefined();
  });

  it('reads the time zone and admin flag from users.info, once per user', async () => {
    const since = emu.seq;
    // (A bare `settings` opens the settings form on Slack; a pause answers in the profile's zone.)
    const first = await ephemeralReply('pause 2h', { user: 'U0ADMIN' });
    expect(textOf(first)).toContain('(Asia/Tokyo)');
    const second = await ephemeralReply('pause 2h', { user: 'U0ADMIN' });
    expect(textOf(second)).toContain('(Asia/Tokyo)');
    expect(headerOf(await ephemeralReply('resume', { user: 'U0ADMIN' }))).toBe('DMs back on');
    // A Slack admin may add schedules; SLACK_ADMIN_USER_IDS makes bob one; alice is neither.
    expect(headerOf(await ephemeralReply('schedule add weekdays 10:30 neck', { user: 'U0ADMIN' }))).toMatch(/^Schedule [a-z0-9]+ added$/);
    expect(headerOf(await ephemeralReply('schedule add daily 15:00', { user: 'U0BOB' }))).toMatch(/^Schedule [a-z0-9]+ added$/);
    expect(headerOf(await ephemeralReply('schedule add daily 15:00', { user: 'U0ALICE' }))).toBe('Admins only');
    expect(emu.calls('users.info', since).map((c) => c.body.user).sort()).toEqual(['U0ADMIN', 'U0ALICE', 'U0BOB']);
  });

  it('logs a failing handler with context and answers with a short ephemeral apology', async () => {
    const msg = await ephemeralReply('stats');
    expect(headerOf(msg)).toBe('Sorry');
    expect(textOf(msg)).toContain('Something went wrong');
    const entry = log.lines.find((l) => l.msg === 'slack command failed');
    expect(entry).toMatchObject({ level: 50, team: TEAM_ID, user: 'U0ALICE', channel: CHANNEL_ID, subcommand: 'stats', err: { message: 'database is on fire' } });
  });

  it('survives bad payloads and keeps working', async () => {
    const since = emu.seq;
    emu.sendRaw('this is not json');
    emu.sendRaw(JSON.stringify({ type: 'something_new', envelope_id: 'x' }));
    // Acked, then ignored with a warning: no ids and no response_url to answer on.
    await emu.sendEnvelope('slash_commands', { command: '/stretch', text: 'list' });
    await emu.sendEnvelope('slash_commands', { command: '/stretch', text: 42, team_id: ['T'], user_id: {}, channel_id: null });
    // A click whose action id is not a string, and one with no actions at all.
    const picker = await ephemeralReply('');
    const bad = emu.blockActionPayload(picker, 'x', { actionId: 'x' });
    bad.actions[0].action_id = 42;
    await emu.sendEnvelope('interactive', bad);
    const unreadable = await responded(since, (e) => headerOf(e.body as never) === 'Sorry');
    expect(textOf(unreadable.message!)).toContain('could not read that request');
    const empty = emu.blockActionPayload(picker, 'x', { actionId: 'x' });
    empty.actions = [];
    // Bolt finds no listener for a click without actions and never acks it (Slack would retry, then give up).
    let dropped = 'not acked';
    void emu.sendEnvelope('interactive', empty).then(
      () => (dropped = 'acked'),
      () => undefined,
    );

    expect(log.lines.some((l) => l.msg === 'slack slash command without team, user or channel ignored')).toBe(true);
    expect(headerOf(await ephemeralReply('list'))).toBe('Routines');
    expect(dropped).toBe('not acked');
    expect(headerOf(await ephemeralReply('help'))).toBe('Stretch coach');
    expect(emu.openSockets).toBe(1);
    expect(emu.connections).toBe(1);
  });

  it('delivers scheduled prompts through its notifier, with DeliveryError for failures', async () => {
    const card = notice('🧘 Stretch break', 'Time for a stretch break.');
    const since = emu.seq;
    await adapter.notifier.postToChannel(TEAM_ID, CHANNEL_ID, card, { key: 'ob1', maybeSent: false });
    const post = emu.calls('chat.postMessage', since)[0]!;
    expect(post.message!.metadata).toEqual({ event_type: 'stretch_coach_delivery', event_payload: { key: 'ob1' } });
    // chat:write.public: a public channel the bot was never invited to.
    await adapter.notifier.postToChannel(TEAM_ID, 'C0ELSEWHERE', card);
    expect(emu.calls('chat.postMessage', since).map((c) => c.response.ok)).toEqual([true, true]);

    await adapter.notifier.sendDm(TEAM_ID, 'U0BOB', card);
    await adapter.notifier.sendDm(TEAM_ID, 'U0BOB', card);
    expect(emu.calls('conversations.open', since).map((c) => c.body.users)).toEqual(['U0BOB']);

    const failure = (p: Promise<void>) => p.then(() => undefined, (e: unknown) => e);
    // One at a time: each is awaited as soon as it starts, so none rejects unobserved.
    for (const [send, permanent, text] of [
      [() => adapter.notifier.sendDm(TEAM_ID, 'U0GONE', card), true, 'user_disabled'],
      [() => adapter.notifier.sendDm(TEAM_ID, 'U0NOBODY', card), true, 'user_not_found'],
      [() => adapter.notifier.postToChannel(TEAM_ID, 'G0PRIVATE', card), true, 'channel_not_found'],
    ] as const) {
      const err = await failure(send());
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ permanent, message: expect.stringContaining(text) });
    }
    emu.failNext('chat.postMessage', 'fatal_error');
    expect(await failure(adapter.notifier.postToChannel(TEAM_ID, CHANNEL_ID, card))).toMatchObject({ permanent: false, message: expect.stringContaining('fatal_error') });
  });

  it('after a crash mid-send, finds the earlier attempt by its metadata instead of sending twice', async () => {
    const card = notice('🧘 Stretch break', 'Time for a stretch break.');
    // DMs: the manifest's im:history lets the bot see its own DM history.
    let since = emu.seq;
    await adapter.notifier.sendDm(TEAM_ID, 'U0BOB', card, { key: 'ob8', maybeSent: false });
    await adapter.notifier.sendDm(TEAM_ID, 'U0BOB', card, { key: 'ob8', maybeSent: true });
    await adapter.notifier.sendDm(TEAM_ID, 'U0BOB', card, { key: 'ob9', maybeSent: true });
    expect(emu.calls(undefined, since).map((c) => [c.method, c.response.error])).toEqual([
      ['chat.postMessage', undefined],
      ['conversations.history', undefined],
      ['conversations.history', undefined],
      ['chat.postMessage', undefined],
    ]);
    // Channel prompts: without channels:history an interrupted post can't be ruled out, so it
    // is not posted again (a prompt is posted at most once) and the failure is permanent.
    await adapter.notifier.postToChannel(TEAM_ID, CHANNEL_ID, card, { key: 'ob7', maybeSent: false });
    since = emu.seq;
    const err = await adapter.notifier.postToChannel(TEAM_ID, CHANNEL_ID, card, { key: 'ob7', maybeSent: true }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ permanent: true, message: expect.stringContaining('not re-posted') });
    expect(emu.calls(undefined, since).map((c) => [c.method, c.response.error])).toEqual([['conversations.history', 'missing_scope']]);
    // Where an admin grants channels:history, the check finds the earlier post.
    emu.botScopes.add('channels:history');
    try {
      since = emu.seq;
      await adapter.notifier.postToChannel(TEAM_ID, CHANNEL_ID, card, { key: 'ob7', maybeSent: true });
      expect(emu.calls(undefined, since).map((c) => c.method)).toEqual(['conversations.history']);
    } finally {
      emu.botScopes.delete('channels:history');
    }
  });

  it('reconnects once when Slack asks it to (type: disconnect), without spamming apps.connections.open', async () => {
    const since = emu.seq;
    emu.sendRaw(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'emulator' } }));
    await emu.waitFor(() => (emu.connections === 2 && emu.openSockets === 1 ? true : undefined), 15_000, 'a reconnect');
    expect(emu.calls('apps.connections.open', since)).toHaveLength(1);
    expect(headerOf(await ephemeralReply('list'))).toBe('Routines');
  });

  it('asks dnd.teamInfo about many people at once, 50 a request; a refused batch is left out, not guessed', async () => {
    const now = Date.now();
    const ids = Array.from({ length: 120 }, (_, i) => `U0MANY${i}`);
    for (const id of ids) emu.users.set(id, { id, name: id.toLowerCase() });
    emu.users.set(ids[7]!, { id: ids[7]!, name: 'dozing', dnd: { start: Math.floor(now / 1000) - 60, end: Math.floor(now / 1000) + 600 } });
    const since = emu.seq;
    const said = await adapter.notifier.busyOf!(TEAM_ID, ids, now);
    const asked = emu.calls('dnd.teamInfo', since);
    expect(asked.map((c) => String(c.body.users).split(',').length)).toEqual([50, 50, 20]);
    expect([...said.keys()]).toEqual(ids);
    expect([...said].filter(([, busy]) => busy)).toEqual([[ids[7], { reason: 'do not disturb', until: (Math.floor(now / 1000) + 600) * 1000 }]]);
    // A batch Slack refuses (here: an id it does not know) leaves its people unanswered.
    const mixed = await adapter.notifier.busyOf!(TEAM_ID, [...ids.slice(0, 50), 'U0NOBODY', ids[60]!], now);
    expect([...mixed.keys()]).toEqual(ids.slice(0, 50));
    for (const id of ids) emu.users.delete(id);
  });

  it('uses exactly the bot scopes the manifest grants', () => {
    const used = new Set(emu.calls().map((c) => METHOD_SCOPES[c.method]).filter((s): s is string => Boolean(s)));
    used.add('commands'); // the slash command itself
    used.add('chat:write.public'); // posting to C0ELSEWHERE above succeeded only because of it
    // The crash check reads DM history (im:history); channel history was only read while the
    // test granted channels:history on top of the manifest.
    if (emu.calls('conversations.history').some((c) => !c.response.error && String(c.body.channel).startsWith('D'))) used.add('im:history');
    expect([...used].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    const missing = emu.calls().filter((c) => c.response.error === 'missing_scope' && c.method !== 'conversations.history');
    expect(missing).toEqual([]);
  });

  it('never logs a token', () => {
    const raw = log.raw();
    expect(raw.length).toBeGreaterThan(1000);
    for (const secret of [BOT_TOKEN, APP_TOKEN, 'legacy-verification-token']) expect(raw).not.toContain(secret);
  });

  it('stops cleanly: the websocket closes and it does not reconnect', async () => {
    const connections = emu.connections;
    await adapter.stop();
    await emu.waitFor(() => (emu.openSockets === 0 ? true : undefined), 5_000, 'the socket to close');
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.connections).toBe(connections);
  });
});
