/**
 * What only Discord does, end to end: the real discord.js Client logs in to a local Discord
 * emulator (REST + gateway on 127.0.0.1) and drives a real coach over a temp-file SQLite DB,
 * made slow or failing on demand (deferral, apologies), plus the permission gate, payload
 * guards, autocomplete, the notifier and `npm start`. Behaviour both platforms share is
 * tested once for both in test/adapters-*.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/transport.js';
import { notice, type Card } from '../src/core/card.js';
import type { Coach } from '../src/core/coach.js';
import { DeliveryError } from '../src/core/notifier.js';
import { createLogger } from '../src/logger.js';
import { ACK_DEADLINE_MS, DiscordEmulator, PERMISSIONS, type EmuUser, type RecordedRequest, type StoredMessage } from './emulators/discord-emulator.js';
import { body, dmOpensFor, press as pressButton, title } from './support/discord.js';
import { CONTENT_DIR, createTestCoach, type TestCoach } from './support/coach.js';
import { cleanEnv, ROOT } from './support/run-bot.js';

const EPHEMERAL = 64;
/** Short enough to test the deferral path quickly, long enough that normal work never hits it. */
const DEFER_AFTER_MS = 800;
const SLOW_MS = 1200;

const dir = mkdtempSync(join(tmpdir(), 'stretch-discord-'));
const dbPath = join(dir, 'stretch.db');
const emu = new DiscordEmulator();
const logs: string[] = [];
const logger = createLogger(
  'info',
  new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  }),
);

/** Lets a test make the core slow or failing, and counts what reaches it. */
const control = { delayMs: 0, fail: false, commandCalls: 0 };
function instrumented(coach: Coach): Coach {
  const gate = async () => {
    if (control.delayMs) await new Promise((r) => setTimeout(r, control.delayMs));
    if (control.fail) throw new Error('database is on fire');
  };
  return {
    ...coach,
    async handleCommand(cmd) {
      control.commandCalls++;
      await gate();
      return coach.handleCommand(cmd);
    },
    async handleAction(act) {
      await gate();
      return coach.handleAction(act);
    },
  };
}

const discordEnv = (e: DiscordEmulator) => ({ DISCORD_TOKEN: e.token, DISCORD_APPLICATION_ID: e.applicationId, DISCORD_API_URL: e.apiUrl });

/** Everything started, stopped in reverse order at the end. */
const cleanups: Array<() => Promise<void> | void> = [];
let tc: TestCoach;
let adapter: DiscordAdapter;

/** The adapter over an instrumented coach (slow / failing on demand), with a short deferral time. */
async function startInstrumented(): Promise<void> {
  tc = await createTestCoach({ dbPath });
  const a = createDiscordAdapter({
    config: { token: emu.token, applicationId: emu.applicationId, apiUrl: emu.apiUrl, mode: 'gateway' },
    coach: instrumented(tc.coach),
    logger,
    catalogue: tc.catalogue,
    deferAfterMs: DEFER_AFTER_MS,
    pictures: tc.app.pictures,
  });
  adapter = a;
  const app = tc.app;
  cleanups.push(() => app.stop(), () => a.stop());
  await a.start();
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────

const press = (user: EmuUser, message: StoredMessage, label: string) => pressButton(emu, user, message, label);

const opensFor = (userId: string) => dmOpensFor(emu, userId);

const neckIds = () => tc.catalogue.routines.find((r) => r.id === 'neck')!.exerciseIds;
const pictureOf = (exerciseId: string) => tc.app.pictures.get(exerciseId)!;
const lastRequest = (pred: (r: RecordedRequest) => boolean): RecordedRequest => [...emu.requests].reverse().find(pred)!;

// ── tests ─────────────────────────────────────────────────────────────────────────────────

describe('Discord adapter against the emulator', () => {
  beforeAll(async () => {
    await emu.start();
    await startInstrumented();
  });

  afterEach(() => {
    control.delayMs = 0;
    control.fail = false;
    // Nothing the bot sent may have been refused the way Discord refuses it.
    expect(emu.rejections.map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.response)}`)).toEqual([]);
  });

  afterAll(async () => {
    for (const stop of cleanups.splice(0).reverse()) await stop();
    await emu.stop();
  });

  it('identifies with the Guilds intent only', () => {
    expect(emu.identifies).toHaveLength(1);
    expect(emu.identifies[0].intents).toBe(1);
    expect(adapter.client.isReady()).toBe(true);
  });

  it('colours the "It hurts" safety card red (the shared suite checks its words)', async () => {
    const dan = emu.user('dan');
    const msg = await emu.answered(await emu.slash({ user: dan, sub: 'start', options: { routine: 'floor' } }));
    expect(msg.embeds[0].color).toBe(0x5865f2);
    await press(dan, msg, 'It hurts');
    expect(title(msg)).toMatch(/^Stop .+ now$/);
    expect(msg.embeds[0].color).toBe(0xed4245);
  });

  it('refuses schedule changes to members without Manage Server, in the core\'s one admin gate; list is open', async () => {
    const kim = emu.user('kim');
    const calls = control.commandCalls;
    const refused = await emu.slash({ user: kim, group: 'schedule', sub: 'add', options: { when: 'weekdays 10:30' } });
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(title(refused.message)).toBe('Admins only');
    expect(body(refused.message)).toContain('members with the Manage Server permission');
    const inDm = await emu.slash({ user: kim, dm: true, group: 'schedule', sub: 'remove', options: { id: 'abc123' } });
    expect(title(inDm.message)).toBe('Admins only');
    expect(control.commandCalls).toBe(calls + 2);
    const list = await emu.slash({ user: kim, group: 'schedule', sub: 'list' });
    expect(title(list.message)).toBe('No schedules here');
    expect(control.commandCalls).toBe(calls + 3);

    const admin = await emu.slash({ user: emu.user('lee'), permissions: PERMISSIONS.manager, group: 'schedule', sub: 'list' });
    expect(admin.data.flags).toBe(EPHEMERAL);
    expect(title(admin.message)).toBe('No schedules here');
    const hidden = await emu.slash({ user: emu.user('max'), permissions: PERMISSIONS.administrator, command: 'stretch-schedule', sub: 'list' });
    expect(title(hidden.message)).toBe('No schedules here');
    expect(control.commandCalls).toBe(calls + 5);
  });

  it('survives odd payloads: unknown command, wrong option type, a select menu', async () => {
    const oli = emu.user('oli');
    const unknownCommand = await emu.slash({ user: oli, command: 'dance-party' });
    expect(unknownCommand.data.flags).toBe(EPHEMERAL);
    expect(body(unknownCommand.message)).toContain('/dance-party');
    const p = emu.slashPayload({ user: oli, sub: 'start' });
    p.data.options[0].options = [{ name: 'routine', type: 4, value: 42 }];
    expect(title((await emu.sendInteraction(p)).message)).toBe('Unknown routine');
    const anyMessage = await emu.answered(await emu.slash({ user: oli, sub: 'start', options: { routine: 'neck' } }));
    const select = emu.clickPayload({ user: oli, message: anyMessage, customId: 'menu' });
    select.data = { custom_id: 'menu', component_type: 3, values: ['a'] };
    const r = await emu.sendInteraction(select);
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    // Still fine afterwards.
    expect((await emu.slash({ user: oli, sub: 'list' })).type).toBe(4);
  });

  it('answers structurally broken interaction payloads with an apology instead of crashing', async () => {
    const broken: Array<[string, (p: any) => void]> = [
      ['no entitlements', (p) => delete p.entitlements],
      ['no user at all', (p) => delete p.member.user],
      ['no authorizing_integration_owners', (p) => delete p.authorizing_integration_owners],
      ['permissions that are not a bitfield', (p) => (p.member.permissions = 'lots')],
      ['no data', (p) => delete p.data],
    ];
    for (const [what, breakIt] of broken) {
      const p = emu.slashPayload({ user: emu.user('una'), sub: 'list' });
      breakIt(p);
      const r = await emu.sendInteraction(p);
      expect(r.type, what).toBe(4);
      expect(r.data.flags, what).toBe(EPHEMERAL);
      expect(title(r.message), what).toBe('Sorry, something went wrong');
    }
    const anyMessage = await emu.answered(await emu.slash({ user: emu.user('una'), sub: 'start', options: { routine: 'neck' } }));
    const click = emu.clickPayload({ user: emu.user('una'), message: anyMessage, customId: 'x' });
    delete click.message;
    expect(title((await emu.sendInteraction(click)).message)).toBe('Sorry, something went wrong');
    // Not even answerable (no token): dropped and logged; the bot carries on.
    const tokenless = emu.slashPayload({ user: emu.user('una'), sub: 'list' });
    delete tokenless.token;
    emu.dispatch('INTERACTION_CREATE', tokenless);
    expect((await emu.slash({ user: emu.user('una'), sub: 'list' })).type).toBe(4);
    expect(logs.filter((l) => l.includes('dropped a malformed interaction'))).toHaveLength(broken.length + 2);
  });

  it('autocompletes routine names', async () => {
    const p = emu.slashPayload({ user: emu.user('pam'), sub: 'start' });
    p.type = 4;
    p.data.options[0].options = [{ name: 'routine', type: 3, value: 'neck', focused: true }];
    const r = await emu.sendInteraction(p);
    expect(r.type).toBe(8);
    expect(r.data.choices).toEqual([{ name: 'Neck and shoulders (neck)', value: 'neck' }]);
  });

  it('defers a slow command and fills the placeholder in, all within 3 s', async () => {
    control.delayMs = SLOW_MS;
    const r = await emu.slash({ user: emu.user('quinn'), sub: 'list' });
    expect(r.type).toBe(5);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(r.ackMs).toBeGreaterThanOrEqual(DEFER_AFTER_MS - 50);
    expect(r.ackMs).toBeLessThan(ACK_DEADLINE_MS);
    const msg = await emu.waitFor(() => r.message && title(r.message) === 'Routines' && r.message, 3000, 'the deferred reply');
    expect(msg.flags).toBe(EPHEMERAL);
  });

  it('defers a slow click and then updates the message in place, picture included', async () => {
    const rae = emu.user('rae');
    const msg = await emu.answered(await emu.slash({ user: rae, sub: 'start', options: { routine: 'neck' } }));
    control.delayMs = SLOW_MS;
    const r = await press(rae, msg, 'Next');
    expect(r.type).toBe(6);
    expect(r.message!.id).toBe(msg.id);
    await emu.waitFor(() => body(msg).includes('Step 2 of 4'), 3000, 'the deferred update');
    // The edit of @original (a webhook PATCH) uploaded the new picture and kept nothing else.
    const step2 = pictureOf(neckIds()[1]!);
    expect(msg.attachments.map((a) => a.filename)).toEqual([step2.gifFile]);
    expect(msg.embeds[0].image.url).toBe(`attachment://${step2.gifFile}`);
    const patch = lastRequest((x) => x.method === 'PATCH' && x.path.endsWith('/messages/@original'));
    expect(patch.files?.map((f) => f.filename)).toEqual([step2.gifFile]);
    expect(patch.body.attachments).toEqual([{ id: '0', description: step2.alt }]);
  });

  it('acknowledges a step with a picture at once, then uploads the picture with the message as the edit; a click replaces it, never adds to it', async () => {
    const ben = emu.user('ben');
    const [first, second] = neckIds().map(pictureOf);
    const r = await emu.slash({ user: ben, sub: 'start', options: { routine: 'neck' } });
    // The acknowledgement carries nothing to upload, so it is never late; the step follows.
    expect(r.type).toBe(5);
    const msg = await emu.answered(r);
    const original = `/webhooks/${emu.applicationId}/${r.record.token}/messages/@original`;
    const reply = lastRequest((x) => x.method === 'PATCH' && x.path.replace('%40', '@') === original);
    // What discord.js sends for `files`: multipart, one part per file, each listed by index.
    expect(reply.files).toEqual([{ index: 0, filename: first!.gifFile, contentType: 'image/gif', bytes: readFileSync(first!.gifPath) }]);
    expect(reply.body.attachments).toEqual([{ id: '0', description: first!.alt }]);
    expect(msg.flags).toBe(EPHEMERAL);
    expect(msg.attachments).toHaveLength(1);
    expect(msg.attachments[0]).toMatchObject({ filename: first!.gifFile, description: first!.alt, content_type: 'image/gif' });

    const click = await press(ben, msg, 'Next');
    expect(click.type).toBe(6);
    const update = lastRequest((x) => x.method === 'PATCH' && x.path.replace('%40', '@') === `/webhooks/${emu.applicationId}/${click.record.token}/messages/@original`);
    expect(update.body.attachments).toEqual([{ id: '0', description: second!.alt }]);
    expect(msg.attachments.map((a) => a.filename)).toEqual([second!.gifFile]);
    expect(msg.attachments[0]!.bytes.equals(readFileSync(second!.gifPath))).toBe(true);
    // Stop: the summary has no picture (a plain update), and the old one is gone too.
    expect((await press(ben, msg, 'Stop')).type).toBe(7);
    expect(msg.embeds[0].image).toBeUndefined();
    expect(msg.attachments).toEqual([]);
  });

  it('apologises privately when the handler fails, and logs it with context but no token', async () => {
    const sam = emu.user('sam');
    control.fail = true;
    const r = await emu.slash({ user: sam, sub: 'list' });
    expect(r.type).toBe(4);
    expect(r.data.flags).toBe(EPHEMERAL);
    expect(title(r.message)).toBe('Sorry, something went wrong');
    const line = logs.find((l) => l.includes('discord interaction handler failed') && l.includes(sam.id));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!);
    expect(entry).toMatchObject({ user: sam.id, command: '/stretch list', interaction: r.record.id, err: { message: 'database is on fire' } });
    expect(logs.join('\n')).not.toContain(r.record.token);
    expect(logs.join('\n')).not.toContain(emu.token);

    // After a deferral the apology replaces the placeholder.
    control.delayMs = SLOW_MS;
    const late = await emu.slash({ user: sam, sub: 'list' });
    expect(late.type).toBe(5);
    await emu.waitFor(() => title(late.message) === 'Sorry, something went wrong', 3000, 'the apology');

    // A failing click leaves the message as it was.
    control.delayMs = 0;
    control.fail = false;
    const msg = await emu.answered(await emu.slash({ user: sam, sub: 'start', options: { routine: 'neck' } }));
    control.fail = true;
    const click = await press(sam, msg, 'Next');
    expect(click.type).toBe(4);
    expect(click.data.flags).toBe(EPHEMERAL);
    expect(body(msg)).toContain('Step 1 of 4');
  });

  it('notifier: posts to channels and DMs, one DM open per user, permanent failures marked', async () => {
    const uma = emu.user('uma');
    await adapter.notifier.postToChannel('discord', emu.channelId, notice('Stretch break', 'Time to move.'));
    expect(title(emu.messagesIn(emu.channelId).at(-1))).toBe('Stretch break');

    await adapter.notifier.sendDm('discord', uma.id, notice('Reminder', 'One'));
    await adapter.notifier.sendDm('discord', uma.id, notice('Reminder', 'Two'));
    expect(emu.messagesIn(emu.dmChannelOf(uma.id)!).map(body)).toEqual(['One', 'Two']);
    expect(opensFor(uma.id)).toHaveLength(1);

    const closed = emu.user('vic');
    emu.closeDms(closed.id);
    const dmErr = await adapter.notifier.sendDm('discord', closed.id, notice('Reminder', 'x')).catch((e: unknown) => e);
    expect(dmErr).toBeInstanceOf(DeliveryError);
    expect((dmErr as DeliveryError).permanent).toBe(true);
    const chErr = await adapter.notifier.postToChannel('discord', '123456789012345678', notice('x', 'y')).catch((e: unknown) => e);
    expect((chErr as DeliveryError).permanent).toBe(true);
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, body: { code: 0, message: '500: Internal Server Error' } });
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, body: { code: 0, message: '500: Internal Server Error' } });
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, body: { code: 0, message: '500: Internal Server Error' } });
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, body: { code: 0, message: '500: Internal Server Error' } });
    const transient = await adapter.notifier.postToChannel('discord', emu.channelId, notice('x', 'y')).catch((e: unknown) => e);
    expect(transient).toBeInstanceOf(DeliveryError);
    expect((transient as DeliveryError).permanent).toBe(false);
    emu.rejections.length = 0;
  });

  it('notifier: a card with a picture is posted with it, nonce and all, to channels and DMs', async () => {
    const first = pictureOf('neck-rolls');
    const card: Card = { ...notice('Stretch break', 'Time to move.'), image: { key: 'neck-rolls', alt: first.alt } };
    await adapter.notifier.postToChannel('discord', emu.channelId, card, { key: 'fire-pic:channel', maybeSent: false });
    const post = emu.messagesIn(emu.channelId).at(-1)!;
    expect(post.embeds[0].image.url).toBe(`attachment://${first.gifFile}`);
    expect(post.attachments.map((a) => [a.filename, a.description, a.bytes.equals(readFileSync(first.gifPath))])).toEqual([[first.gifFile, first.alt, true]]);
    const cal = emu.user('cal');
    await adapter.notifier.sendDm('discord', cal.id, card, { key: 'fire-pic:user-cal', maybeSent: false });
    const dm = emu.messagesIn(emu.dmChannelOf(cal.id)!).at(-1)!;
    expect(dm.attachments.map((a) => a.filename)).toEqual([first.gifFile]);
    expect(dm.nonce).toHaveLength(25);
  });

  it('notifier: a delivery key becomes a nonce, so a retried send is not posted twice', async () => {
    const ava = emu.user('ava');
    const key = { key: 'fire-abc:user-ava', maybeSent: true };
    await adapter.notifier.sendDm('discord', ava.id, notice('Break', 'once'), { ...key, maybeSent: false });
    await adapter.notifier.sendDm('discord', ava.id, notice('Break', 'once'), key);
    await adapter.notifier.sendDm('discord', ava.id, notice('Break', 'other'), { key: 'fire-def:user-ava', maybeSent: false });
    expect(emu.messagesIn(emu.dmChannelOf(ava.id)!).map(body)).toEqual(['once', 'other']);
    const sent = emu.requests.filter((r) => r.path === `/channels/${emu.dmChannelOf(ava.id)}/messages`);
    expect(sent.map((r) => [typeof r.body.nonce, r.body.nonce.length, r.body.enforce_nonce])).toEqual([
      ['string', 25, true],
      ['string', 25, true],
      ['string', 25, true],
    ]);
    expect(sent[0]!.body.nonce).toBe(sent[1]!.body.nonce);

    const before = emu.messagesIn(emu.channelId).length;
    await adapter.notifier.postToChannel('discord', emu.channelId, notice('Prompt', 'p'), { key: 'fire-ghi:channel', maybeSent: false });
    await adapter.notifier.postToChannel('discord', emu.channelId, notice('Prompt', 'p'), { key: 'fire-ghi:channel', maybeSent: true });
    expect(emu.messagesIn(emu.channelId).length).toBe(before + 1);
  });

  it('notifier: leaves a 429 to discord.js, and reopens a DM channel Discord forgot', async () => {
    const wes = emu.user('wes');
    emu.rateLimitNext('POST', /^\/channels\/\d+\/messages$/, 0.2);
    const before = emu.requests.length;
    await adapter.notifier.postToChannel('discord', emu.channelId, notice('After a 429', 'z'));
    const posts = emu.requests.slice(before).filter((r) => r.method === 'POST' && r.path === `/channels/${emu.channelId}/messages`);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(title(emu.messagesIn(emu.channelId).at(-1))).toBe('After a 429');

    await adapter.notifier.sendDm('discord', wes.id, notice('Hi', 'one'));
    emu.failNext({ method: 'POST', path: new RegExp(`^/channels/${emu.dmChannelOf(wes.id)}/messages$`), status: 404, body: { code: 10003, message: 'Unknown Channel' } });
    await adapter.notifier.sendDm('discord', wes.id, notice('Hi', 'two'));
    expect(opensFor(wes.id)).toHaveLength(2);
    expect(emu.messagesIn(emu.dmChannelOf(wes.id)!).map(body)).toEqual(['one', 'two']);
  });

  it('the emulator refuses what Discord refuses', async () => {
    const post = (path: string, payload: unknown) =>
      fetch(`${emu.apiUrl}/v10${path}`, { method: 'POST', headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const tooLong = await (await post(`/channels/${emu.channelId}/messages`, { content: 'x'.repeat(2001) })).json();
    expect(tooLong).toEqual({ code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } });
    const button = (id: string) => ({ type: 2, style: 1, custom_id: id, label: 'b' });
    const rows = await (await post(`/channels/${emu.channelId}/messages`, { components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [button(`r${i}`)] })) })).json();
    expect(rows.errors.components._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    const wide = await (await post(`/channels/${emu.channelId}/messages`, { components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => button(`b${i}`)) }] })).json();
    expect(wide.errors.components['0'].components._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    const id = await (await post(`/channels/${emu.channelId}/messages`, { components: [{ type: 1, components: [button('x'.repeat(101)), { ...button('d'), label: 'l'.repeat(81) }] }] })).json();
    expect(id.errors.components['0'].components['0'].custom_id._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    expect(id.errors.components['0'].components['1'].label._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    const desc = await (await post(`/channels/${emu.channelId}/messages`, { embeds: [{ description: 'd'.repeat(4097) }] })).json();
    expect(desc.errors.embeds['0'].description._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
    const total = await (await post(`/channels/${emu.channelId}/messages`, { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] })).json();
    expect(total.errors.embeds._errors[0].code).toBe('MAX_EMBED_SIZE_EXCEEDED');

    // Files: an embed image must name an attachment of its own message; an edit keeps only what it lists.
    const upload = (method: string, path: string, payload: unknown, files: string[]) => {
      const form = new FormData();
      files.forEach((name, i) => form.append(`files[${i}]`, new Blob([Buffer.from('GIF89a')], { type: 'image/gif' }), name));
      form.append('payload_json', JSON.stringify(payload));
      return fetch(`${emu.apiUrl}/v10${path}`, { method, headers: { authorization: `Bot ${emu.token}` }, body: form });
    };
    const orphan = await (await post(`/channels/${emu.channelId}/messages`, { embeds: [{ title: 't', image: { url: 'attachment://a.gif' } }] })).json();
    expect(orphan.errors.embeds['0'].image.url._errors[0].code).toBe('ATTACHMENT_NOT_FOUND');
    const wrong = await (await upload('POST', `/channels/${emu.channelId}/messages`, { embeds: [{ title: 't', image: { url: 'attachment://b.gif' } }] }, ['a.gif'])).json();
    expect(wrong.errors.embeds['0'].image.url._errors[0].code).toBe('ATTACHMENT_NOT_FOUND');
    const made = await (await upload('POST', `/channels/${emu.channelId}/messages`, { embeds: [{ title: 't', image: { url: 'attachment://a.gif' } }], attachments: [{ id: '0', description: 'A' }] }, ['a.gif'])).json();
    expect(made.attachments.map((a: { filename: string; description: string }) => [a.filename, a.description])).toEqual([['a.gif', 'A']]);
    const edit = (payload: unknown, files: string[] = []) => upload('PATCH', `/channels/${emu.channelId}/messages/${made.id}`, payload, files);
    // Without an `attachments` list an upload is added; with one, only what it lists stays.
    expect((await (await edit({ content: 'more' }, ['b.gif'])).json()).attachments.map((a: { filename: string }) => a.filename)).toEqual(['a.gif', 'b.gif']);
    expect((await (await edit({ embeds: [{ title: 't', image: { url: 'attachment://c.gif' } }], attachments: [{ id: '0' }] }, ['c.gif'])).json()).attachments.map((a: { filename: string }) => a.filename)).toEqual(['c.gif']);
    // Dropping the attachment an embed still shows is refused.
    expect((await edit({ attachments: [] })).status).toBe(400);

    const r = await emu.slash({ user: emu.user('xena'), sub: 'list' });
    const again = await post(`/interactions/${r.record.id}/${r.record.token}/callback`, { type: 4, data: { content: 'again' } });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ code: 40060, message: 'Interaction has already been acknowledged.' });
    const unknown = await post(`/interactions/${r.record.id}/not-the-token/callback`, { type: 4, data: { content: 'x' } });
    expect(((await unknown.json()) as { code: number }).code).toBe(10062);
    emu.rejections.length = 0;
  });

  it('acknowledged every interaction once, within 3 s', () => {
    const all = [...emu.interactions.values()];
    expect(all.length).toBeGreaterThan(25);
    for (const rec of all) {
      expect(rec.callback, `interaction ${rec.id}`).toBeDefined();
      expect(rec.ackMs!).toBeLessThan(ACK_DEADLINE_MS);
    }
  });

});

describe('npm start with DISCORD_TOKEN and DISCORD_APPLICATION_ID', () => {
  const emu2 = new DiscordEmulator();
  beforeAll(() => emu2.start());
  afterAll(async () => {
    await emu2.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the Discord adapter from src/index.ts, answers /stretch, and stops cleanly on SIGTERM', async () => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(ROOT, 'src/index.ts')], {
      // A scratch cwd, so a developer's .env is never read.
      cwd: dir,
      env: cleanEnv({ ...discordEnv(emu2), DATABASE_PATH: join(dir, 'process.db'), CONTENT_DIR, LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    try {
      await emu2.waitFor(() => emu2.identifies.length > 0, 15_000, `the bot process to log in. Output:\n${output}`);
      const r = await emu2.slash({ user: emu2.user('zoe'), sub: 'start', options: { routine: 'neck' } });
      const step = await emu2.answered(r);
      expect(step.flags).toBe(EPHEMERAL);
      expect(body(step)).toContain('Step 1 of 4');
      expect(emu2.identifies[0].intents).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(emu2.rejections).toEqual([]);
    expect(output).not.toContain(emu2.token);
  });
});
