/**
 * A local stand-in for Discord, good enough for the real discord.js Client to log in and
 * handle interactions: an HTTP server for the REST routes the bot uses and a `ws` gateway
 * (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACK, INTERACTION_CREATE dispatch).
 *
 * It checks what the bot sends the way Discord does (message limits → 400 code 50035 with
 * Discord's error shape, a second interaction response → 40060, a response after 3 s → 10062)
 * and records everything, so tests assert on what actually went over the wire.
 *
 * Files: every message route also takes multipart/form-data (`payload_json` plus `files[n]`),
 * as discord.js sends uploads. Uploads are stored on the message as attachments; an edit keeps
 * only the attachments its `attachments` list names (old ones by id, new ones by upload index);
 * an embed image `attachment://name` that names no attachment of the message is refused, since
 * Discord would show no picture.
 * Listens on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { RateWindow } from './rate-window.js';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export const PERMISSIONS = {
  member: ((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 31n)).toString(),
  manager: ((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 31n)).toString(),
  administrator: ((1n << 3n) | (1n << 10n) | (1n << 11n)).toString(),
  app: ((1n << 10n) | (1n << 11n) | (1n << 14n)).toString(),
} as const;

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  rows: 5,
  rowComponents: 5,
  customId: 100,
  label: 80,
  choices: 25,
} as const;

const EPHEMERAL = 64;
const LOADING = 128;
/** Discord's hard limit for the first response to an interaction. */
export const ACK_DEADLINE_MS = 3000;

export interface EmuUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

/** A file uploaded with a message. */
export interface StoredAttachment {
  id: string;
  filename: string;
  description?: string;
  content_type: string;
  size: number;
  bytes: Buffer;
}

/** A `files[n]` part of a multipart request. */
export interface Upload {
  index: number;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  content: string;
  embeds: any[];
  components: any[];
  attachments: StoredAttachment[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  /** The interaction whose response or follow-up this is, if any. */
  interactionId?: string;
  nonce?: string;
  /** Earlier versions, oldest first; `loading`: a deferred answer's placeholder ("… is thinking"). */
  history: Array<{ content: string; embeds: any[]; components: any[]; attachments: StoredAttachment[]; loading: boolean }>;
  deleted?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: any;
  /** The `files[n]` parts of a multipart request. */
  files?: Upload[];
  status: number;
  response: any;
  at: number;
  /** Answered by failNext / rateLimitNext rather than by the route. */
  injected?: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  payload: any;
  kind: 'command' | 'component' | 'autocomplete' | 'modal';
  channelId: string;
  /** For a component interaction: the message its button is on. */
  componentMessageId?: string;
  dispatchedAt: number;
  callback?: { type: number; data: any; at: number };
  ackMs?: number;
  /** The message `@original` refers to. */
  originalMessageId?: string;
  /** Edits of `@original` through the interaction's webhook (a deferred answer filled in, say). */
  originalEdits: number;
  /** After a deferral, what the bot did first: edited `@original` or posted a follow-up. */
  firstAnswer?: 'edit' | 'followup';
  followupIds: string[];
  waiters: Array<(r: InteractionRecord) => void>;
}

export interface InteractionResult {
  record: InteractionRecord;
  /** The interaction response type (4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete). */
  type: number;
  data: any;
  ackMs: number;
  /** The message the response created or changed (4, 5, 6, 7). */
  message?: StoredMessage;
}

interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handle: (m: RegExpExecArray, body: any, query: URLSearchParams, files: Upload[]) => { status: number; body?: unknown };
}

class HttpError {
  constructor(
    readonly status: number,
    readonly body: { code: number; message: string; errors?: unknown },
  ) {}
}

const formError = (errors: unknown) => new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors });

/** Discord's modal rules: a title ≤ 45, a custom id, 1–5 Labels each holding a text input or a string select. */
function modalProblems(data: any): Record<string, unknown> | undefined {
  const errors: Record<string, unknown> = {};
  const add = (path: Array<string | number>, message: string) => addError(errors as Errors, path, 'BASE_TYPE_BAD_VALUE', message);
  if (typeof data?.title !== 'string' || data.title.length < 1 || data.title.length > 45) add(['title'], 'Must be between 1 and 45 in length.');
  if (typeof data?.custom_id !== 'string' || data.custom_id.length < 1 || data.custom_id.length > 100) add(['custom_id'], 'Must be between 1 and 100 in length.');
  const comps = Array.isArray(data?.components) ? data.components : [];
  if (comps.length < 1 || comps.length > 5) add(['components'], 'Must be between 1 and 5 in length.');
  const ids = new Set<string>();
  comps.forEach((label: any, i: number) => {
    if (label?.type !== 18) return add(['components', i, 'type'], 'Only Label components are checked here.');
    if (typeof label.label !== 'string' || label.label.length < 1 || label.label.length > 45) add(['components', i, 'label'], 'Must be between 1 and 45 in length.');
    const c = label.component ?? {};
    if (typeof c.custom_id !== 'string' || c.custom_id.length < 1 || c.custom_id.length > 100 || ids.has(c.custom_id)) add(['components', i, 'component', 'custom_id'], 'Must be a unique id of 1 to 100 characters.');
    ids.add(c.custom_id);
    if (c.type === 4) {
      if (c.style !== 1 && c.style !== 2) add(['components', i, 'component', 'style'], 'Must be 1 or 2.');
      if ('label' in c) add(['components', i, 'component', 'label'], 'A text input inside a Label has no label of its own.');
      if (c.value !== undefined && (typeof c.value !== 'string' || c.value.length > (c.max_length ?? 4000))) add(['components', i, 'component', 'value'], 'Too long.');
    } else if (c.type === 3) {
      const options = Array.isArray(c.options) ? c.options : [];
      if (options.length < 1 || options.length > 25) add(['components', i, 'component', 'options'], 'Must be between 1 and 25 in length.');
      for (const [j, o] of options.entries()) {
        if (typeof o?.label !== 'string' || o.label.length < 1 || o.label.length > 100) add(['components', i, 'component', 'options', j, 'label'], 'Must be between 1 and 100 in length.');
        if (typeof o?.value !== 'string' || o.value.length < 1 || o.value.length > 100) add(['components', i, 'component', 'options', j, 'value'], 'Must be between 1 and 100 in length.');
      }
      const max = c.max_values ?? 1;
      if (max < 1 || max > options.length || (c.min_values ?? 1) > max) add(['components', i, 'component', 'max_values'], 'Out of range.');
      if (options.filter((o: any) => o.default).length > max) add(['components', i, 'component', 'options'], 'More defaults than max_values.');
    } else add(['components', i, 'component', 'type'], 'A Label holds a text input or a select here.');
  });
  return Object.keys(errors).length ? errors : undefined;
}

export interface EmulatorOptions {
  token?: string;
  applicationId?: string;
  heartbeatIntervalMs?: number;
  /** Discord's global limit, requests per second (interaction routes are exempt); none when unset. */
  globalRateLimit?: number;
}

export class DiscordEmulator {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly botUser: EmuUser;
  readonly heartbeatIntervalMs: number;
  /** The global limit, with the requests it counted and answered 429; unlimited when not configured. */
  readonly globalLimit: RateWindow;

  readonly requests: RecordedRequest[] = [];
  /** Every 4xx/5xx answer not injected by a test, i.e. something the bot sent that Discord would refuse. */
  readonly rejections: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly messages = new Map<string, StoredMessage>();
  readonly identifies: any[] = [];
  heartbeats = 0;
  readonly commands = { global: [] as any[], guild: new Map<string, any[]>() };

  private readonly failures: Array<{ method: string; path: RegExp; status: number; body: unknown; headers: Record<string, string> }> = [];
  private readonly users = new Map<string, EmuUser>();
  private readonly dmChannels = new Map<string, { id: string; recipientId: string }>();
  private readonly forgottenDms = new Map<string, string>();
  private readonly closedDms = new Set<string>();
  private readonly byToken = new Map<string, InteractionRecord>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private readonly identified = new Set<WebSocket>();
  private seq = 0;
  private port = 0;
  private readonly routes: Route[];

  constructor(opts: EmulatorOptions = {}) {
    this.applicationId = opts.applicationId ?? snowflake();
    // Shaped like a bot token (base64 id . timestamp . hmac); never a real one.
    this.token = opts.token ?? `${Buffer.from(this.applicationId).toString('base64url')}.ZmFrZQ.${randomBytes(20).toString('base64url')}`;
    this.heartbeatIntervalMs = opts.heartbeatIntervalMs ?? 1000;
    this.globalLimit = new RateWindow(opts.globalRateLimit ?? Infinity);
    this.botUser = { id: this.applicationId, username: 'stretch-coach', global_name: null, discriminator: '0', avatar: null, bot: true };
    this.routes = this.buildRoutes();
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    this.server = server;
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
  }

  // ── people and places ──────────────────────────────────────────────────────────────────────

  user(name: string): EmuUser {
    const u: EmuUser = { id: snowflake(), username: name, global_name: name[0]!.toUpperCase() + name.slice(1), discriminator: '0', avatar: null };
    this.users.set(u.id, u);
    return u;
  }

  /** From now on, messages to this user's DMs fail with 50007, like a user who closed DMs. */
  closeDms(userId: string): void {
    this.closedDms.add(userId);
  }

  /** The next request matching method and path gets this answer instead (once). */
  failNext(f: { method: string; path: RegExp; status: number; body: unknown; headers?: Record<string, string> }): void {
    this.failures.push({ headers: {}, ...f });
  }

  /** A 429 the way Discord sends one; discord.js is expected to wait and retry by itself. */
  rateLimitNext(method: string, path: RegExp, retryAfterSeconds = 0.2): void {
    this.failNext({
      method,
      path,
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
      headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(retryAfterSeconds), 'x-ratelimit-bucket': 'emulator' },
    });
  }

  /** Discord forgets the DM channel: its id answers Unknown Channel and the next open gets a new one. */
  forgetDm(userId: string): void {
    const ch = this.dmChannels.get(userId);
    if (ch) this.forgottenDms.set(ch.id, userId);
    this.dmChannels.delete(userId);
  }

  /** The DM channel as if the bot had opened it earlier (seeding benchmarks without the requests). */
  openDmFor(userId: string): string {
    return this.dmChannelFor(userId).id;
  }

  /** Every DM channel this user has had, forgotten ones first. */
  dmChannelsOf(userId: string): string[] {
    const former = [...this.forgottenDms].filter(([, u]) => u === userId).map(([id]) => id);
    const now = this.dmChannelOf(userId);
    return now ? [...former, now] : former;
  }

  /** A DM channel id Discord no longer knows. */
  isForgottenDm(channelId: string): boolean {
    return this.forgottenDms.has(channelId);
  }

  /**
   * The global limit, counted per wall-clock second like Discord's: over it, a 429 with
   * `global: true`, X-RateLimit-Global and X-RateLimit-Scope: global, and Retry-After until
   * the second ends. Interaction callbacks and webhooks are not bound by it.
   */
  private globalLimitHit(path: string): HttpError | undefined {
    if (path.startsWith('/interactions/') || path.startsWith('/webhooks/')) return undefined;
    const waitMs = this.globalLimit.hit();
    if (waitMs === undefined) return undefined;
    return new HttpError(429, { code: 0, message: 'You are being rate limited.', retry_after: waitMs / 1000, global: true } as HttpError['body']);
  }

  dmChannelOf(userId: string): string | undefined {
    return this.dmChannels.get(userId)?.id;
  }

  private dmChannelFor(userId: string) {
    let ch = this.dmChannels.get(userId);
    if (!ch) {
      ch = { id: snowflake(), recipientId: userId };
      this.dmChannels.set(userId, ch);
    }
    return ch;
  }

  private isDmChannel(channelId: string) {
    return [...this.dmChannels.values()].find((c) => c.id === channelId);
  }

  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted);
  }

  /** The message as Discord would serialise it (also what a component interaction carries). */
  messageJson(m: StoredMessage): any {
    const dm = this.isDmChannel(m.channel_id);
    return {
      id: m.id,
      type: 0,
      channel_id: m.channel_id,
      ...(dm ? {} : { guild_id: this.guildId }),
      author: this.botUser,
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        ...(a.description !== undefined ? { description: a.description } : {}),
        content_type: a.content_type,
        size: a.size,
        url: `${this.apiUrl.replace(/\/api$/, '')}/attachments/${m.channel_id}/${a.id}/${a.filename}`,
        proxy_url: `${this.apiUrl.replace(/\/api$/, '')}/attachments/${m.channel_id}/${a.id}/${a.filename}`,
      })),
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: m.timestamp,
      edited_timestamp: m.edited_timestamp,
      flags: m.flags,
      application_id: this.applicationId,
      ...(m.interactionId ? { webhook_id: this.applicationId } : {}),
      ...(m.nonce ? { nonce: m.nonce } : {}),
    };
  }

  // ── interactions ───────────────────────────────────────────────────────────────────────────

  slashPayload(opts: {
    user: EmuUser;
    dm?: boolean;
    command?: string;
    sub?: string;
    group?: string;
    options?: Record<string, string>;
    permissions?: string;
  }): any {
    const opts3 = Object.entries(opts.options ?? {}).map(([name, value]) => ({ name, type: 3, value }));
    let options: any[] = [];
    if (opts.group) options = [{ name: opts.group, type: 2, options: [{ name: opts.sub, type: 1, options: opts3 }] }];
    else if (opts.sub) options = [{ name: opts.sub, type: 1, ...(opts3.length ? { options: opts3 } : {}) }];
    return this.basePayload(2, opts.user, opts.dm ? { dm: true } : { permissions: opts.permissions }, {
      id: snowflake(),
      name: opts.command ?? 'stretch',
      type: 1,
      options,
    });
  }

  clickPayload(opts: { user: EmuUser; message: StoredMessage; customId: string; permissions?: string }): any {
    const dm = this.isDmChannel(opts.message.channel_id);
    const payload = this.basePayload(3, opts.user, dm ? { dm: true, channelId: dm.id } : { permissions: opts.permissions }, {
      custom_id: opts.customId,
      component_type: 2,
    });
    payload.message = this.messageJson(opts.message);
    return payload;
  }

  private basePayload(type: number, user: EmuUser, where: { dm?: boolean; channelId?: string; permissions?: string }, data: any): any {
    this.users.set(user.id, user);
    const common = {
      id: snowflake(),
      application_id: this.applicationId,
      type,
      token: `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`,
      version: 1,
      data,
      app_permissions: PERMISSIONS.app,
      locale: 'en-GB',
      entitlements: [],
      authorizing_integration_owners: where.dm ? {} : { '0': this.guildId },
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (where.dm) {
      const ch = where.channelId ? { id: where.channelId } : this.dmChannelFor(user.id);
      return { ...common, channel_id: ch.id, channel: { id: ch.id, type: 1, last_message_id: null, flags: 0, recipients: [user] }, user, context: 1 };
    }
    return {
      ...common,
      channel_id: this.channelId,
      channel: { id: this.channelId, type: 0, guild_id: this.guildId, name: 'general', position: 0, flags: 0, nsfw: false, parent_id: null, permissions: PERMISSIONS.app, last_message_id: null, rate_limit_per_user: 0, topic: null },
      guild_id: this.guildId,
      guild: { id: this.guildId, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      member: {
        user,
        roles: [],
        permissions: where.permissions ?? PERMISSIONS.member,
        joined_at: new Date(Date.UTC(2025, 0, 1)).toISOString(),
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        nick: null,
        avatar: null,
        communication_disabled_until: null,
      },
      context: 0,
    };
  }

  /** Records an interaction about to be delivered; resolves with the bot's interaction response. */
  private expectResponse(payload: any, timeoutMs: number): Promise<InteractionResult> {
    const kind = payload.type === 3 ? 'component' : payload.type === 4 ? 'autocomplete' : payload.type === 5 ? 'modal' : 'command';
    const rec: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      payload,
      kind,
      channelId: payload.channel?.id ?? payload.channel_id,
      componentMessageId: payload.message?.id,
      dispatchedAt: performance.now(),
      originalEdits: 0,
      followupIds: [],
      waiters: [],
    };
    this.interactions.set(rec.id, rec);
    this.byToken.set(rec.token, rec);
    return new Promise<InteractionResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no interaction response for ${describePayload(payload)} within ${timeoutMs} ms`)), timeoutMs);
      rec.waiters.push((r) => {
        clearTimeout(timer);
        const messageId = r.originalMessageId;
        resolve({ record: r, type: r.callback!.type, data: r.callback!.data, ackMs: r.ackMs!, message: messageId ? this.messages.get(messageId) : undefined });
      });
    });
  }

  /** Dispatches INTERACTION_CREATE and resolves with the bot's interaction response. */
  sendInteraction(payload: any, timeoutMs = 5000): Promise<InteractionResult> {
    const result = this.expectResponse(payload, timeoutMs);
    this.dispatch('INTERACTION_CREATE', payload);
    return result;
  }

  /**
   * The person submits the modal an interaction opened (`answers`: custom id → the values of a
   * select, or the text of a text input), as Discord sends it: a MODAL_SUBMIT interaction whose
   * components are the Labels with what was chosen or typed.
   */
  submitModalPayload(opened: InteractionRecord, answers: Record<string, string | string[]>): any {
    const modal = opened.callback?.type === 9 ? opened.callback.data : undefined;
    if (!modal) throw new Error('that interaction opened no modal');
    const old = opened.payload;
    const components = modal.components.map((label: any, n: number) => {
      const c = label.component;
      const answer = answers[c.custom_id];
      const submitted = c.type === 3 ? { type: 3, id: n * 2 + 2, custom_id: c.custom_id, values: Array.isArray(answer) ? answer : answer ? [answer] : [] } : { type: 4, id: n * 2 + 2, custom_id: c.custom_id, value: Array.isArray(answer) ? answer.join(',') : (answer ?? '') };
      return { type: 18, id: n * 2 + 1, component: submitted };
    });
    return { ...old, id: snowflake(), type: 5, token: `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`, data: { custom_id: modal.custom_id, components } };
  }

  /**
   * As Discord does for an app with an Interactions Endpoint URL: POSTs the interaction there,
   * signed with the application's Ed25519 key, and takes the HTTP response body as the
   * interaction response (JSON only: Discord refuses files in it). Resolves with that response
   * and the HTTP status.
   */
  async postInteraction(endpoint: string, payload: any, sign: (timestamp: string, body: string) => string, timeoutMs = 5000): Promise<InteractionResult & { status: number }> {
    const result = this.expectResponse(payload, timeoutMs);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-ed25519': sign(timestamp, body), 'x-signature-timestamp': timestamp },
      body,
    });
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.startsWith('application/json')) {
      this.interactions.delete(payload.id);
      throw new Error(`interactions endpoint answered ${res.status} (${type || 'no content type'}): ${await res.text()}`);
    }
    try {
      this.interactionCallback(payload.id, payload.token, await res.json(), []);
    } catch (err) {
      throw new Error(`interaction response refused: ${JSON.stringify((err as HttpError).body ?? String(err))}`);
    }
    return { ...(await result), status: res.status };
  }

  slash(opts: Parameters<DiscordEmulator['slashPayload']>[0]): Promise<InteractionResult> {
    return this.sendInteraction(this.slashPayload(opts));
  }

  click(opts: Parameters<DiscordEmulator['clickPayload']>[0]): Promise<InteractionResult> {
    return this.sendInteraction(this.clickPayload(opts));
  }

  /**
   * The message the bot's answer is in: a reply or update at once; after a deferral (5 or 6),
   * the first thing the bot did next: `@original` edited (the answer filled in), or a follow-up
   * posted (a deferred click answered with a new message instead).
   */
  async answered(r: InteractionResult, timeoutMs = 3000): Promise<StoredMessage> {
    if (!r.message) throw new Error(`interaction response type ${r.type} shows no message`);
    if (r.type !== 5 && r.type !== 6) return r.message;
    const first = await this.waitFor(() => r.record.firstAnswer, timeoutMs, 'the deferred answer');
    return first === 'edit' ? r.message : this.messages.get(r.record.followupIds[0]!)!;
  }

  /** Sends any gateway dispatch to the connected client(s). */
  dispatch(event: string, d: unknown): void {
    if (this.identified.size === 0) throw new Error('no identified gateway connection');
    for (const ws of this.identified) this.send(ws, { op: 0, t: event, s: ++this.seq, d });
  }

  /** Polls until `check` returns a value (not undefined/false). */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 3000, what = 'condition'): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ── gateway ────────────────────────────────────────────────────────────────────────────────

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.identified.delete(ws);
    });
    ws.on('error', () => undefined);
    this.send(ws, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
    ws.on('message', (raw) => {
      let msg: any;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (msg.op) {
        case 1:
          this.heartbeats++;
          this.send(ws, { op: 11, d: null, s: null, t: null });
          break;
        case 2:
          if (msg.d?.token !== this.token) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          this.identifies.push(msg.d);
          this.identified.add(ws);
          this.seq = 0;
          this.send(ws, {
            op: 0,
            t: 'READY',
            s: ++this.seq,
            d: {
              v: 10,
              user: this.botUser,
              guilds: [{ id: this.guildId, unavailable: true }],
              session_id: randomBytes(16).toString('hex'),
              resume_gateway_url: this.gatewayUrl,
              shard: [0, 1],
              application: { id: this.applicationId, flags: 0 },
              private_channels: [],
              presences: [],
              relationships: [],
              user_settings: {},
              guild_join_requests: [],
              geo_ordered_rtc_regions: [],
            },
          });
          this.send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildJson() });
          break;
        case 6:
          // No resuming here: tell the client to identify afresh.
          this.send(ws, { op: 9, d: false, s: null, t: null });
          break;
        default:
          break;
      }
    });
  }

  private guildJson(): any {
    return {
      id: this.guildId,
      name: 'Stretch Test Server',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      features: [],
      roles: [
        { id: this.guildId, name: '@everyone', color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, position: 0, permissions: PERMISSIONS.member, managed: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null },
      ],
      emojis: [],
      stickers: [],
      channels: [
        { id: this.channelId, type: 0, guild_id: this.guildId, name: 'general', position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, parent_id: null, rate_limit_per_user: 0, flags: 0 },
      ],
      threads: [],
      members: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      member_count: 3,
      large: false,
      unavailable: false,
      joined_at: new Date(Date.UTC(2025, 0, 1)).toISOString(),
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
    };
  }

  // ── REST ───────────────────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const bytes = Buffer.concat(chunks);
    let body: any;
    let files: Upload[] = [];
    let status = 200;
    let response: any;
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      ({ body, files } = await readMultipart(bytes, contentType));
    } else {
      const raw = bytes.toString('utf8');
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
    }
    // discord.js sends `@original` as `%40original`; Discord reads both.
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    let headers: Record<string, string> = {};
    let injected = false;
    try {
      const failure = this.failures.findIndex((f) => f.method === method && f.path.test(path));
      if (failure >= 0) {
        const f = this.failures.splice(failure, 1)[0]!;
        headers = f.headers;
        injected = true;
        throw new HttpError(f.status, f.body as HttpError['body']);
      }
      if (!url.pathname.startsWith('/api/v10/')) throw new HttpError(404, { code: 0, message: '404: Not Found' });
      const limited = this.globalLimitHit(path);
      if (limited) {
        const after = String((limited.body as unknown as { retry_after: number }).retry_after);
        headers = { 'retry-after': after, 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' };
        injected = true;
        throw limited;
      }
      const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) throw new HttpError(404, { code: 0, message: '404: Not Found' });
      if (route.auth && req.headers.authorization !== `Bot ${this.token}`) throw new HttpError(401, { code: 0, message: '401: Unauthorized' });
      const out = route.handle(route.pattern.exec(path)!, body, url.searchParams, files);
      status = out.status;
      response = out.body;
    } catch (err) {
      if (err instanceof HttpError) {
        status = err.status;
        response = err.body;
      } else {
        status = 500;
        response = { code: 0, message: `emulator bug: ${(err as Error).message}` };
      }
    }
    const record: RecordedRequest = {
      method,
      path,
      query: url.search,
      body,
      ...(files.length ? { files } : {}),
      status,
      response,
      at: performance.now(),
      ...(injected ? { injected } : {}),
    };
    this.requests.push(record);
    if (status >= 400 && !injected) this.rejections.push(record);
    if (status === 204) {
      res.writeHead(204).end();
    } else {
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(response ?? null));
    }
  }

  private buildRoutes(): Route[] {
    const app = '(\\d+)';
    const tok = '([^/]+)';
    const r = (method: string, pattern: string, auth: boolean, handle: Route['handle']): Route => ({ method, pattern: new RegExp(`^${pattern}$`), auth, handle });
    return [
      r('GET', '/gateway/bot', true, () => ({
        status: 200,
        body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } },
      })),
      r('GET', '/gateway', false, () => ({ status: 200, body: { url: this.gatewayUrl } })),
      r('GET', '/users/@me', true, () => ({ status: 200, body: this.botUser })),
      r('POST', `/interactions/${app}/${tok}/callback`, false, (m, body, _q, files) => this.interactionCallback(m[1]!, m[2]!, body, files)),
      r('GET', `/webhooks/${app}/${tok}/messages/([^/]+)`, false, (m) => ({ status: 200, body: this.messageJson(this.webhookMessage(m[1]!, m[2]!, m[3]!)) })),
      r('PATCH', `/webhooks/${app}/${tok}/messages/([^/]+)`, false, (m, body, _q, files) => this.editWebhookMessage(m[1]!, m[2]!, m[3]!, body, files)),
      r('DELETE', `/webhooks/${app}/${tok}/messages/([^/]+)`, false, (m) => {
        this.webhookMessage(m[1]!, m[2]!, m[3]!).deleted = true;
        return { status: 204 };
      }),
      r('POST', `/webhooks/${app}/${tok}`, false, (m, body, _q, files) => this.followup(m[1]!, m[2]!, body, files)),
      r('POST', '/users/@me/channels', true, (_m, body) => this.openDm(body)),
      r('POST', '/channels/(\\d+)/messages', true, (m, body, _q, files) => this.createChannelMessage(m[1]!, body, files)),
      r('PATCH', '/channels/(\\d+)/messages/(\\d+)', true, (m, body, _q, files) => {
        const msg = this.messages.get(m[2]!);
        if (!msg || msg.channel_id !== m[1] || msg.deleted) throw new HttpError(404, { code: 10008, message: 'Unknown Message' });
        return { status: 200, body: this.messageJson(this.applyEdit(msg, body, files)) };
      }),
      r('PUT', `/applications/${app}/commands`, true, (m, body) => this.putCommands(m[1]!, undefined, body)),
      r('PUT', `/applications/${app}/guilds/(\\d+)/commands`, true, (m, body) => this.putCommands(m[1]!, m[2]!, body)),
      r('GET', `/applications/${app}/commands`, true, () => ({ status: 200, body: this.commands.global })),
    ];
  }

  private interactionCallback(id: string, token: string, body: any, files: Upload[]): { status: number; body?: unknown } {
    const rec = this.interactions.get(id);
    if (!rec || rec.token !== token) throw new HttpError(404, { code: 10062, message: 'Unknown interaction' });
    const now = performance.now();
    if (now - rec.dispatchedAt > ACK_DEADLINE_MS) throw new HttpError(404, { code: 10062, message: 'Unknown interaction' });
    if (rec.callback) throw new HttpError(400, { code: 40060, message: 'Interaction has already been acknowledged.' });
    const type = body?.type;
    const data = body?.data;
    switch (type) {
      case 4: {
        const errors = validateMessage(data, true);
        if (errors) throw errors === 'empty' ? emptyMessage() : formError({ data: errors });
        rec.originalMessageId = this.storeMessage(rec.channelId, data, rec.id, false, files, 'data').id;
        break;
      }
      case 5:
        rec.originalMessageId = this.storeMessage(rec.channelId, { content: '', flags: ((data?.flags ?? 0) & EPHEMERAL) | LOADING }, rec.id, true).id;
        break;
      case 6:
        if (rec.kind !== 'component') throw interactionTypeError();
        rec.originalMessageId = rec.componentMessageId;
        break;
      case 7: {
        if (rec.kind !== 'component') throw interactionTypeError();
        const errors = validateMessage(data ?? {}, false);
        if (errors) throw errors === 'empty' ? emptyMessage() : formError({ data: errors });
        const msg = this.messages.get(rec.componentMessageId!);
        if (!msg) throw new HttpError(404, { code: 10008, message: 'Unknown Message' });
        this.applyEdit(msg, data ?? {}, files, 'data');
        rec.originalMessageId = msg.id;
        break;
      }
      case 9: {
        // A modal answers a command or a component, never an autocomplete or another modal.
        if (rec.kind !== 'command' && rec.kind !== 'component') throw interactionTypeError();
        const errors = modalProblems(data);
        if (errors) throw formError({ data: errors });
        break;
      }
      case 8:
        if (rec.kind !== 'autocomplete') throw interactionTypeError();
        if (!Array.isArray(data?.choices) || data.choices.length > LIMITS.choices) {
          throw formError({ data: { choices: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.choices} or fewer in length.` }] } } });
        }
        break;
      default:
        throw interactionTypeError();
    }
    rec.callback = { type, data, at: now };
    rec.ackMs = now - rec.dispatchedAt;
    for (const w of rec.waiters.splice(0)) w(rec);
    return { status: 204 };
  }

  private recordForWebhook(appId: string, token: string): InteractionRecord {
    const rec = this.byToken.get(token);
    if (!rec || appId !== this.applicationId || !rec.callback) throw new HttpError(404, { code: 10015, message: 'Unknown Webhook' });
    return rec;
  }

  private webhookMessage(appId: string, token: string, which: string): StoredMessage {
    const rec = this.recordForWebhook(appId, token);
    const id = which === '@original' ? rec.originalMessageId : rec.followupIds.includes(which) ? which : undefined;
    const msg = id ? this.messages.get(id) : undefined;
    if (!msg || msg.deleted) throw new HttpError(404, { code: 10008, message: 'Unknown Message' });
    return msg;
  }

  private editWebhookMessage(appId: string, token: string, which: string, body: any, files: Upload[]) {
    const msg = this.webhookMessage(appId, token, which);
    const errors = validateMessage(body ?? {}, false);
    if (errors) throw errors === 'empty' ? emptyMessage() : formError(errors);
    const edited = this.applyEdit(msg, body ?? {}, files);
    if (which === '@original') {
      const rec = this.recordForWebhook(appId, token);
      rec.originalEdits++;
      rec.firstAnswer ??= 'edit';
    }
    return { status: 200, body: this.messageJson(edited) };
  }

  private followup(appId: string, token: string, body: any, files: Upload[]) {
    const rec = this.recordForWebhook(appId, token);
    const errors = validateMessage(body, true);
    if (errors) throw errors === 'empty' ? emptyMessage() : formError(errors);
    const msg = this.storeMessage(rec.channelId, body, rec.id, false, files);
    rec.followupIds.push(msg.id);
    rec.firstAnswer ??= 'followup';
    return { status: 200, body: this.messageJson(msg) };
  }

  private openDm(body: any) {
    const recipient = body?.recipient_id;
    if (typeof recipient !== 'string' || !this.users.has(recipient)) throw new HttpError(404, { code: 10013, message: 'Unknown User' });
    const ch = this.dmChannelFor(recipient);
    return { status: 200, body: { id: ch.id, type: 1, last_message_id: null, flags: 0, recipients: [this.users.get(recipient)] } };
  }

  private createChannelMessage(channelId: string, body: any, files: Upload[]) {
    const dm = this.isDmChannel(channelId);
    if (!dm && channelId !== this.channelId) throw new HttpError(404, { code: 10003, message: 'Unknown Channel' });
    if (dm && this.closedDms.has(dm.recipientId)) throw new HttpError(403, { code: 50007, message: 'Cannot send messages to this user' });
    const errors = validateMessage(body, true);
    if (errors) throw errors === 'empty' ? emptyMessage() : formError(errors);
    // enforce_nonce: the same nonce from the same author in this channel returns the first message.
    if (body.enforce_nonce && body.nonce !== undefined) {
      const earlier = this.messagesIn(channelId).find((m) => m.nonce === String(body.nonce));
      if (earlier) return { status: 200, body: this.messageJson(earlier) };
    }
    const msg = this.storeMessage(channelId, body, undefined, false, files);
    if (body.nonce !== undefined) msg.nonce = String(body.nonce);
    return { status: 200, body: this.messageJson(msg) };
  }

  private putCommands(appId: string, guildId: string | undefined, body: any) {
    if (appId !== this.applicationId) throw new HttpError(403, { code: 50001, message: 'Missing Access' });
    if (guildId && guildId !== this.guildId) throw new HttpError(404, { code: 10004, message: 'Unknown Guild' });
    if (!Array.isArray(body)) throw formError({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
    const errors = validateCommands(body);
    if (errors) throw formError(errors);
    const stored = body.map((c: any) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake(), ...(guildId ? { guild_id: guildId } : {}) }));
    if (guildId) this.commands.guild.set(guildId, stored);
    else this.commands.global = stored;
    return { status: 200, body: stored };
  }

  /** `at`: where the message sits in the request body (`data` in an interaction response), for error paths. */
  private storeMessage(channelId: string, body: any, interactionId?: string, placeholder = false, files: Upload[] = [], at?: string): StoredMessage {
    const embeds = body?.embeds ?? [];
    const attachments = resolveAttachments([], body?.attachments, files, at);
    checkAttachmentRefs(embeds, attachments, at);
    const msg: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: body?.content ?? '',
      embeds,
      components: body?.components ?? [],
      attachments,
      flags: placeholder ? body.flags : (body?.flags ?? 0) & EPHEMERAL,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      interactionId,
      history: [],
    };
    this.messages.set(msg.id, msg);
    return msg;
  }

  private applyEdit(msg: StoredMessage, body: any, files: Upload[] = [], at?: string): StoredMessage {
    // Discord keeps only the attachments an edit lists; without a list, uploads are added.
    const attachments = resolveAttachments(msg.attachments, body.attachments, files, at);
    const embeds = body.embeds !== undefined ? (body.embeds ?? []) : msg.embeds;
    checkAttachmentRefs(embeds, attachments, at);
    msg.history.push({ content: msg.content, embeds: msg.embeds, components: msg.components, attachments: msg.attachments, loading: Boolean(msg.flags & LOADING) });
    msg.attachments = attachments;
    if (body.content !== undefined) msg.content = body.content ?? '';
    if (body.embeds !== undefined) msg.embeds = body.embeds ?? [];
    if (body.components !== undefined) msg.components = body.components ?? [];
    msg.flags &= ~LOADING;
    msg.edited_timestamp = new Date().toISOString();
    return msg;
  }
}

function describePayload(p: any): string {
  if (p?.type === 3) return `click ${p.data?.custom_id}`;
  return `/${p?.data?.name} ${JSON.stringify(p?.data?.options ?? [])}`;
}

/** Splits a multipart/form-data body the way Discord reads it: `payload_json` is the JSON body, `files[n]` the uploads. */
async function readMultipart(bytes: Buffer, contentType: string): Promise<{ body: any; files: Upload[] }> {
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  const payload = form.get('payload_json');
  const files: Upload[] = [];
  for (const [key, value] of form.entries()) {
    const n = /^files\[(\d+)\]$/.exec(key);
    if (!n || typeof value === 'string') continue;
    files.push({ index: Number(n[1]), filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body: typeof payload === 'string' ? JSON.parse(payload) : undefined, files };
}

/**
 * The attachments a message has after a create or edit. `listed` (the body's `attachments`)
 * names what to keep: an existing attachment by its id, a new upload by its index (`files[n]`
 * has id "n"). Without a list, a new message gets its uploads and an edit adds them.
 */
function resolveAttachments(existing: StoredAttachment[], listed: unknown, files: Upload[], at?: string): StoredAttachment[] {
  const fromUpload = (f: Upload, entry: any = {}): StoredAttachment => ({
    id: snowflake(),
    filename: typeof entry.filename === 'string' ? entry.filename : f.filename,
    ...(typeof entry.description === 'string' ? { description: entry.description } : {}),
    content_type: f.contentType,
    size: f.bytes.length,
    bytes: f.bytes,
  });
  if (!Array.isArray(listed)) return [...existing, ...files.map((f) => fromUpload(f))];
  const errors: Errors = {};
  const kept: StoredAttachment[] = [];
  const used = new Set<Upload>();
  listed.forEach((entry: any, i) => {
    const id = String(entry?.id);
    const upload = files.find((f) => String(f.index) === id);
    const old = existing.find((a) => a.id === id);
    if (upload) {
      used.add(upload);
      kept.push(fromUpload(upload, entry));
    } else if (old) {
      kept.push(typeof entry.description === 'string' ? { ...old, description: entry.description } : old);
    } else {
      addError(errors, [...(at ? [at] : []), 'attachments', i, 'id'], 'ATTACHMENT_NOT_FOUND', `Unknown attachment ${id}`);
    }
    if (typeof entry?.description === 'string' && entry.description.length > 1024) {
      addError(errors, [...(at ? [at] : []), 'attachments', i, 'description'], 'BASE_TYPE_MAX_LENGTH', maxLen(1024));
    }
  });
  if (Object.keys(errors).length) throw formError(errors);
  return [...kept, ...files.filter((f) => !used.has(f)).map((f) => fromUpload(f))];
}

/** An embed image or thumbnail `attachment://name` must name an attachment of the same message. */
function checkAttachmentRefs(embeds: any[], attachments: StoredAttachment[], at?: string): void {
  const errors: Errors = {};
  const names = new Set(attachments.map((a) => a.filename));
  embeds.forEach((e, i) => {
    for (const part of ['image', 'thumbnail'] as const) {
      const url = e?.[part]?.url;
      if (typeof url === 'string' && url.startsWith('attachment://') && !names.has(url.slice('attachment://'.length))) {
        addError(errors, [...(at ? [at] : []), 'embeds', i, part, 'url'], 'ATTACHMENT_NOT_FOUND', `No attachment named ${url.slice('attachment://'.length)} in this message`);
      }
    }
  });
  if (Object.keys(errors).length) throw formError(errors);
}

const emptyMessage = () => new HttpError(400, { code: 50006, message: 'Cannot send an empty message' });
const interactionTypeError = () =>
  formError({ type: { _errors: [{ code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'Interaction callback type is not valid for this interaction.' }] } });

type Errors = Record<string, any>;

function addError(errors: Errors, path: Array<string | number>, code: string, message: string): void {
  let node = errors;
  for (const key of path) node = node[String(key)] ??= {};
  (node._errors ??= []).push({ code, message });
}

const maxLen = (n: number) => `Must be ${n} or fewer in length.`;

/** Discord's message checks. Returns Discord's nested `errors` object, 'empty', or undefined. */
export function validateMessage(body: any, isNew: boolean): Errors | 'empty' | undefined {
  const errors: Errors = {};
  const content = body?.content;
  const embeds: any[] = body?.embeds ?? [];
  const components: any[] = body?.components ?? [];
  if (isNew && !content && embeds.length === 0 && components.length === 0) return 'empty';
  if (body?.nonce !== undefined && String(body.nonce).length > 25) addError(errors, ['nonce'], 'BASE_TYPE_MAX_LENGTH', maxLen(25));
  if (typeof content === 'string' && content.length > LIMITS.content) addError(errors, ['content'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.content));
  if (embeds.length > LIMITS.embeds) addError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.embeds));
  let total = 0;
  embeds.forEach((e, i) => {
    const check = (value: unknown, max: number, ...path: Array<string | number>) => {
      if (typeof value === 'string' && value.length > max) addError(errors, ['embeds', i, ...path], 'BASE_TYPE_MAX_LENGTH', maxLen(max));
      if (typeof value === 'string') total += value.length;
    };
    check(e.title, LIMITS.title, 'title');
    check(e.description, LIMITS.description, 'description');
    check(e.footer?.text, LIMITS.footer, 'footer', 'text');
    check(e.author?.name, LIMITS.author, 'author', 'name');
    if ((e.fields ?? []).length > LIMITS.fields) addError(errors, ['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.fields));
    (e.fields ?? []).forEach((f: any, j: number) => {
      if (!f.name) addError(errors, ['embeds', i, 'fields', j, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (!f.value) addError(errors, ['embeds', i, 'fields', j, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      check(f.name, LIMITS.fieldName, 'fields', j, 'name');
      check(f.value, LIMITS.fieldValue, 'fields', j, 'value');
    });
    if (e.color !== undefined && (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff)) addError(errors, ['embeds', i, 'color'], 'NUMBER_TYPE_MAX', 'int value should be <= 16777215 and >= 0.');
  });
  if (total > LIMITS.embedTotal) addError(errors, ['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  if (components.length > LIMITS.rows) addError(errors, ['components'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.rows));
  const ids = new Set<string>();
  components.forEach((row, i) => {
    if (row?.type !== 1) return addError(errors, ['components', i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    const children: any[] = row.components ?? [];
    if (children.length === 0) addError(errors, ['components', i, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
    if (children.length > LIMITS.rowComponents) addError(errors, ['components', i, 'components'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.rowComponents));
    children.forEach((b, j) => {
      const at = ['components', i, 'components', j];
      if (b?.type !== 2) return addError(errors, [...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2,).');
      if (![1, 2, 3, 4, 5].includes(b.style)) addError(errors, [...at, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5}.');
      if (b.style === 5) {
        if (!b.url) addError(errors, [...at, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
      } else if (typeof b.custom_id !== 'string' || b.custom_id.length === 0) {
        addError(errors, [...at, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
      } else {
        if (b.custom_id.length > LIMITS.customId) addError(errors, [...at, 'custom_id'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.customId));
        if (ids.has(b.custom_id)) addError(errors, [...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        ids.add(b.custom_id);
      }
      if (!b.label && !b.emoji) addError(errors, [...at, 'label'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (typeof b.label === 'string' && b.label.length > LIMITS.label) addError(errors, [...at, 'label'], 'BASE_TYPE_MAX_LENGTH', maxLen(LIMITS.label));
    });
  });
  return Object.keys(errors).length ? errors : undefined;
}

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord's checks for a bulk command overwrite (the parts this bot could get wrong). */
export function validateCommands(commands: any[]): Errors | undefined {
  const errors: Errors = {};
  if (commands.length > 100) addError(errors, [], 'BASE_TYPE_MAX_LENGTH', maxLen(100));
  const names = new Set<string>();
  commands.forEach((c, i) => {
    if (names.has(c.name)) addError(errors, [i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    names.add(c.name);
    let combined = 0;
    const checkNode = (node: any, path: Array<string | number>, depth: number) => {
      if (typeof node.name !== 'string' || !NAME_RE.test(node.name) || node.name !== node.name.toLowerCase()) {
        addError(errors, [...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
      }
      if (typeof node.description !== 'string' || node.description.length < 1 || node.description.length > 100) {
        addError(errors, [...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      combined += (node.name?.length ?? 0) + (node.description?.length ?? 0);
      const options: any[] = node.options ?? [];
      if (options.length > 25) addError(errors, [...path, 'options'], 'BASE_TYPE_MAX_LENGTH', maxLen(25));
      let seenOptional = false;
      options.forEach((o, j) => {
        const at = [...path, 'options', j];
        if (o.type === 1 || o.type === 2) {
          if (depth >= 2 || (o.type === 2 && depth >= 1)) addError(errors, [...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
        } else {
          if (o.required) {
            if (seenOptional) addError(errors, [...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
          } else {
            seenOptional = true;
          }
          if (o.choices && o.autocomplete) addError(errors, [...at, 'autocomplete'], 'AUTOCOMPLETE_CHOICES_INVALID', 'Autocomplete and choices cannot both be set');
          if ((o.choices ?? []).length > 25) addError(errors, [...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', maxLen(25));
          (o.choices ?? []).forEach((ch: any, k: number) => {
            if (typeof ch.name !== 'string' || ch.name.length < 1 || ch.name.length > 100) addError(errors, [...at, 'choices', k, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
            if (String(ch.value).length > 100) addError(errors, [...at, 'choices', k, 'value'], 'BASE_TYPE_MAX_LENGTH', maxLen(100));
            combined += ch.name.length + String(ch.value).length;
          });
        }
        checkNode(o, at, depth + 1);
      });
    };
    checkNode(c, [i], 0);
    if (combined > 4000) addError(errors, [i], 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
    if (c.default_member_permissions !== undefined && c.default_member_permissions !== null && !/^\d+$/.test(c.default_member_permissions)) {
      addError(errors, [i, 'default_member_permissions'], 'BASE_TYPE_INVALID', 'Invalid permissions');
    }
  });
  return Object.keys(errors).length ? errors : undefined;
}
