/**
 * The real Bolt App (Socket Mode) against the local Slack emulator: every command and click
 * goes over the websocket the way Slack sends it, and every reply is checked where Slack
 * would receive it (Web API call or response_url POST).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../src/adapters/slack/transport.js';
import { DeliveryError } from '../src/core/notifier.js';
import { notice } from '../src/core/card.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonLabels,
  buttonsOf,
  CHANNEL_ID,
  headerOf,
  METHOD_SCOPES,
  SlackEmulator,
  TEAM_ID,
  textOf,
} from './emulators/slack-emulator.js';
import { createTestCoach, type TestCoach } from './support/coach.js';
import { capturingLogger, readManifest, slackFlows } from './support/slack.js';

const FULL = [
  'Running on the Spot (warm-up)',
  'Jumping Jacks (warm-up)',
  'Neck Rolls (warm-up)',
  'Neck Flexion',
  'Shoulder Roll',
  "Child's Pose",
  'Thoracic Extension',
  'Trunk Rotation',
  'Overhead Arm Reach',
  'Cat-Cow',
  'Knee to Chest',
  'Wall Stretch',
];
const NECK = ['Neck Rolls (warm-up)', 'Neck Flexion', 'Shoulder Roll', 'Wall Stretch'];
const ACTIVE = ['Skip', 'Pause', 'Stop', 'It hurts'];

const manifest = readManifest();
const log = capturingLogger();
let emu: SlackEmulator;
let tc: TestCoach;
let adapter: SlackAdapter;
const flows = slackFlows(() => emu);
const { command, ephemeralReply, clickResponded, clickUpdated, responded, called } = flows;

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

  it('answers a bare /stretch with the routine picker, ephemeral', async () => {
    const since = emu.seq;
    const picker = await ephemeralReply('');
    expect(headerOf(picker)).toBe('Time for a stretch break');
    expect(textOf(picker)).toContain('Pick a routine:');
    expect(buttonLabels(picker).map((l) => l.replace(/ \(about \d+ min\)$/, ''))).toEqual(['Full routine', 'Desk break', 'Neck and shoulders', 'Floor stretches']);
    expect(buttonsOf(picker)[0]!.style).toBe('primary');
    expect(emu.calls('chat.postMessage', since)).toEqual([]);

    // Picking a routine turns the picker itself into step 1.
    const neck = buttonsOf(picker).find((b) => b.text.text.startsWith('Neck and shoulders'))!;
    const e = await clickResponded(picker, neck.action_id);
    expect(e.body.replace_original).toBe(true);
    expect(e.message).toBe(picker);
    expect(headerOf(picker)).toBe(NECK[0]);
  });

  it('walks `start full` through all 12 exercises with Next to the completion summary', async () => {
    const since = emu.seq;
    const msg = await ephemeralReply('start full');
    for (let i = 0; i < FULL.length; i += 1) {
      const last = i === FULL.length - 1;
      expect(headerOf(msg)).toBe(FULL[i]);
      expect(textOf(msg)).toContain(`Step ${i + 1} of 12`);
      expect(buttonLabels(msg)).toEqual([last ? 'Done' : 'Next', ...(i > 0 ? ['Back'] : []), ...ACTIVE]);
      const version = msg.version;
      const e = await clickResponded(msg, last ? 'Done' : 'Next');
      expect(e).toMatchObject({ status: 200, body: { replace_original: true } });
      expect(e.message).toBe(msg);
      expect(msg.version).toBe(version + 1);
    }
    expect(headerOf(msg)).toBe('🎉 Routine complete');
    expect(textOf(msg)).toContain('Full routine: 12 of 12 exercises done.');
    expect(buttonLabels(msg)).toEqual(['Go again']);
    // Ephemeral messages are only ever changed through their response_url.
    expect(emu.calls('chat.update', since)).toEqual([]);
    expect(emu.calls('chat.postMessage', since)).toEqual([]);

    await clickResponded(msg, 'Go again');
    expect(headerOf(msg)).toBe(FULL[0]);
    expect(textOf(msg)).toContain('Step 1 of 12');
  });

  it('handles Back, Skip, Pause, Resume, "It hurts" and Stop as the core specifies', async () => {
    const msg = await ephemeralReply('start neck');
    await clickResponded(msg, 'Next');
    expect(headerOf(msg)).toBe(NECK[1]);
    const stale = structuredClone(msg);

    await clickResponded(msg, 'Back');
    expect(headerOf(msg)).toBe(NECK[0]);
    expect(textOf(msg)).toContain('Step 1 of 4');

    // A button from an older copy of the message is refused, and the message is left alone.
    const old = await clickResponded(stale, 'Next');
    expect(old.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(headerOf(old.message!)).toBe('Old button');
    expect(headerOf(msg)).toBe(NECK[0]);

    await clickResponded(msg, 'Skip');
    expect(headerOf(msg)).toBe(NECK[1]);

    await clickResponded(msg, 'Pause');
    expect(headerOf(msg)).toBe(NECK[1]);
    expect(textOf(msg)).toContain('⏸ Paused');
    expect(buttonLabels(msg)).toEqual(['Resume', 'Stop']);
    await clickResponded(msg, 'Resume');
    expect(buttonLabels(msg)).toEqual(['Next', 'Back', ...ACTIVE]);

    await clickResponded(msg, 'It hurts');
    expect(headerOf(msg)).toBe(`Stop ${NECK[1]} now`);
    expect(textOf(msg)).toContain('Pain means stop.');
    expect(buttonLabels(msg)).toEqual(['Skip this exercise', 'End session']);
    await clickResponded(msg, 'Skip this exercise');
    expect(headerOf(msg)).toBe(NECK[2]);

    await clickResponded(msg, 'Stop');
    expect(headerOf(msg)).toBe('Session ended');
    expect(textOf(msg)).toContain('Neck and shoulders: 0 of 4 exercises done, 1 skipped, 1 stopped because it hurt, 2 not reached.');
    expect(textOf(msg)).toContain('talk to a doctor');
  });

  it('runs `dm neck` in a DM: conversations.open, chat.postMessage, and its buttons update it with chat.update', async () => {
    const since = await command('dm neck');
    const post = await called(since, 'chat.postMessage');
    const note = await responded(since);
    expect(note.seq).toBeGreaterThan(post.seq);
    expect(emu.calls('conversations.open', since).map((c) => c.body.users)).toEqual(['U0ALICE']);
    const dm = post.message!;
    expect(dm).toMatchObject({ channel: 'D0ALICE', ephemeral: false });
    expect(headerOf(dm)).toBe(NECK[0]);
    expect(note.body.response_type).toBe('ephemeral');
    expect(headerOf(note.message!)).toBe('Check your DMs');
    expect(textOf(note.message!)).toContain('Neck and shoulders');

    const clicks = emu.seq;
    for (let i = 0; i < NECK.length; i += 1) {
      expect(headerOf(dm)).toBe(NECK[i]);
      const u = await clickUpdated(dm, i === NECK.length - 1 ? 'Done' : 'Next');
      expect(u.body).toMatchObject({ channel: 'D0ALICE', ts: dm.ts });
      expect(u.response.ok).toBe(true);
    }
    expect(headerOf(dm)).toBe('🎉 Routine complete');
    expect(textOf(dm)).toContain('Neck and shoulders: 4 of 4 exercises done.');
    expect(emu.responses(clicks)).toEqual([]);

    // The DM channel id is cached: the next DM session costs one call, not two.
    const again = await command('dm desk');
    await called(again, 'chat.postMessage');
    await responded(again);
    expect(emu.calls('conversations.open', again)).toEqual([]);
  });

  it('`dm` without a routine offers the picker; picking sends the routine by DM and turns the picker into a note', async () => {
    const picker = await ephemeralReply('dm');
    expect(headerOf(picker)).toBe('Time for a stretch break');
    const desk = buttonsOf(picker).find((b) => b.text.text.startsWith('Desk break'))!;
    const since = emu.seq;
    await emu.sendBlockAction(picker, desk.action_id);
    const post = await called(since, 'chat.postMessage');
    const replaced = await responded(since);
    expect(post.body.channel).toBe('D0ALICE');
    expect(headerOf(post.message!)).toBe('Neck Rolls (warm-up)');
    expect(textOf(post.message!)).toContain('Step 1 of 5');
    expect(replaced.body.replace_original).toBe(true);
    expect(headerOf(picker)).toBe('Check your DMs');
  });

  it('posts a session started inside the bot DM as a normal message there', async () => {
    const since = await command('start floor', { channel: 'D0ALICE' });
    const post = await called(since, 'chat.postMessage');
    expect(post.body.channel).toBe('D0ALICE');
    expect(headerOf(post.message!)).toBe("Child's Pose");
    await clickUpdated(post.message!, 'Next');
    expect(headerOf(post.message!)).toBe('Trunk Rotation');
  });

  it('falls back to an ephemeral reply in a DM the bot is not part of', async () => {
    const since = await command('start floor', { channel: 'D0SOMEONEELSE' });
    const e = await responded(since);
    expect(emu.calls('chat.postMessage', since).map((c) => c.response.error)).toEqual(['channel_not_found']);
    expect(e.body.response_type).toBe('ephemeral');
    expect(headerOf(e.message!)).toBe("Child's Pose");
  });

  it('explains, ephemerally, when Slack will not let it DM the user', async () => {
    const since = await command('dm neck', { user: 'U0GONE' });
    const e = await responded(since);
    expect(headerOf(e.message!)).toBe("I can't DM you");
    expect(textOf(e.message!)).toContain('user_disabled');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.responses(since)).toHaveLength(1);
    expect(emu.calls('chat.postMessage', since)).toEqual([]);
  });

  it('answers an unknown routine with an ephemeral error listing the routines', async () => {
    const msg = await ephemeralReply('start yoga');
    expect(headerOf(msg)).toBe('Unknown routine');
    expect(textOf(msg)).toContain('I don\'t have a routine called "yoga". Try one of: full, desk, neck, floor');
  });

  it('answers list and help', async () => {
    const list = await ephemeralReply('list');
    expect(headerOf(list)).toBe('Routines');
    expect(textOf(list)).toContain('Full routine (full): 12 exercises');
    expect(textOf(list)).toContain('/stretch start &lt;routine&gt;');
    const help = await ephemeralReply('help');
    expect(headerOf(help)).toBe('Stretch coach');
    expect(textOf(help)).toContain('/stretch dm [routine]');
    const unknown = await ephemeralReply('dance');
    expect(textOf(unknown)).toContain('I don\'t know "dance"');
  });

  it('refuses a forged action id politely and leaves the message alone', async () => {
    const picker = await ephemeralReply('');
    for (const [actionId, title] of [
      ['s:zzzzzzzzzz:0:next', 'Session not found'],
      ['s:zzzzzzzzzz:0:explode', 'Unknown button'],
      ["'; drop table sessions; --", 'Unknown button'],
      ['x'.repeat(255), 'Unknown button'],
    ] as const) {
      const e = await clickResponded(picker, 'forged', { actionId });
      expect(e.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(headerOf(e.message!)).toBe(title);
    }
    expect(picker.version).toBe(0);
    expect(headerOf(picker)).toBe('Time for a stretch break');
  });

  it("refuses another user's click on someone's session", async () => {
    const since = await command('dm neck');
    const dm = (await called(since, 'chat.postMessage')).message!;
    await responded(since); // "Check your DMs"
    const clicks = emu.seq;
    const e = await clickResponded(dm, 'Next', { user: 'U0BOB' });
    expect(e.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(e.message).toMatchObject({ ephemeral: true, user: 'U0BOB' });
    expect(headerOf(e.message!)).toBe('Not your session');
    expect(dm.version).toBe(0);
    expect(emu.calls('chat.update', clicks)).toEqual([]);

    // The same on an ephemeral session message whose payload names another user.
    const mine = await ephemeralReply('start desk');
    const theirs = await clickResponded(mine, 'Next', { user: 'U0BOB' });
    expect(headerOf(theirs.message!)).toBe('Not your session');
    expect(headerOf(mine)).toBe('Neck Rolls (warm-up)');
  });

  it('posts /stretch group in the channel; another user joins with their own ephemeral session', async () => {
    const since = await command('group neck');
    const posted = await responded(since, (e) => e.body.response_type === 'in_channel');
    const note = await responded(since, (e) => e.body.response_type === 'ephemeral');
    expect(headerOf(note.message!)).toBe('Invitation posted');
    expect(note.seq).toBeGreaterThan(posted.seq);
    const prompt = posted.message!;
    expect(prompt).toMatchObject({ channel: CHANNEL_ID, ephemeral: false });
    expect(buttonLabels(prompt)).toEqual(['Start in DM', 'Join', 'Snooze 10 min', 'Not today']);

    const join = await clickResponded(prompt, 'Join', { user: 'U0BOB' });
    expect(join.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(join.message).toMatchObject({ ephemeral: true, user: 'U0BOB' });
    expect(headerOf(join.message!)).toBe(NECK[0]);
    expect(prompt.version).toBe(0);
    await clickResponded(join.message!, 'Next', { user: 'U0BOB' });
    expect(headerOf(join.message!)).toBe(NECK[1]);
  });

  it('reads the time zone and admin flag from users.info, once per user', async () => {
    const since = emu.seq;
    const first = await ephemeralReply('settings', { user: 'U0ADMIN' });
    expect(textOf(first)).toContain('Asia/Tokyo (your profile)');
    const second = await ephemeralReply('settings', { user: 'U0ADMIN' });
    expect(textOf(second)).toContain('Asia/Tokyo (your profile)');
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
    for (const [p, permanent, text] of [
      [adapter.notifier.sendDm(TEAM_ID, 'U0GONE', card), true, 'user_disabled'],
      [adapter.notifier.sendDm(TEAM_ID, 'U0NOBODY', card), true, 'user_not_found'],
      [adapter.notifier.postToChannel(TEAM_ID, 'G0PRIVATE', card), true, 'channel_not_found'],
    ] as const) {
      const err = await failure(p);
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
