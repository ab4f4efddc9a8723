/**
 * A local Slack for tests: the Web API methods the bot calls, response_url endpoints, and a
 * Socket Mode websocket. The real Bolt App connects to it through `clientOptions.slackApiUrl`.
 * Methods validate their input the way Slack does (auth, scopes, channels, Block Kit limits),
 * so a payload mistake fails the test instead of failing in production.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RateWindow } from './rate-window.js';

export const BOT_TOKEN = 'xoxb-1-emulator-bot-token';
export const APP_TOKEN = 'xapp-1-A0TEST-emulator-app-token';
export const TEAM_ID = 'T0TEST';
export const BOT_USER_ID = 'U0BOT';
export const APP_ID = 'A0TEST';
/** A public channel the bot is a member of. */
export const CHANNEL_ID = 'C0GENERAL';
/** How long an OAuth code from the authorize page can be exchanged (Slack: 10 minutes). */
export const OAUTH_CODE_TTL_MS = 10 * 60_000;
/** Slack answers within 3 s or shows the user an error; so does the emulator. */
export const ACK_DEADLINE_MS = 3_000;
/** Uses allowed per response_url (Slack: 5 within 30 minutes). */
export const RESPONSE_URL_USES = 5;

export const ALL_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'im:write', 'users:read', 'channels:history', 'groups:history', 'im:history', 'dnd:read'];
/** The scope each emulated bot-token method needs. */
export const METHOD_SCOPES: Record<string, string | undefined> = {
  'auth.test': undefined,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'users.info': 'users:read',
  'dnd.teamInfo': 'dnd:read',
  // Depends on the conversation: channels:history, groups:history or im:history.
  'conversations.history': undefined,
  // Views need no scope: a trigger_id (modals) or the app's own Home tab.
  'views.open': undefined,
  'views.publish': undefined,
};
/** A trigger_id opens one view within this long (Slack: 3 seconds). */
export const TRIGGER_TTL_MS = 3_000;
/** Blocks in a modal or Home tab view. */
export const MAX_VIEW_BLOCKS = 100;

const HISTORY_SCOPE: Record<string, string> = { C: 'channels:history', G: 'groups:history', D: 'im:history' };

export interface SlackUserFixture {
  id: string;
  name: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  /** Error conversations.open returns for this user (e.g. `user_disabled`). */
  dmError?: string;
  /** Profile status as users.info shows it; `expiration` in epoch seconds, 0 for none. */
  status?: { emoji: string; text: string; expiration: number };
  /**
   * The Do Not Disturb window (epoch seconds) as dnd.teamInfo shows it to an app. A manual
   * snooze is shown to nobody but the person, so an app never sees one.
   */
  dnd?: { start: number; end: number };
}

/** A user's profile as users.info and user_change show it. */
const profileOf = (u: SlackUserFixture): Json => ({
  real_name: u.name,
  display_name: u.name,
  status_text: u.status?.text ?? '',
  status_emoji: u.status?.emoji ?? '',
  status_expiration: u.status?.expiration ?? 0,
});

export const DEFAULT_USERS: SlackUserFixture[] = [
  { id: 'U0ALICE', name: 'alice', tz: 'Europe/Berlin' },
  { id: 'U0BOB', name: 'bob', tz: 'America/New_York' },
  { id: 'U0ADMIN', name: 'ada', tz: 'Asia/Tokyo', is_admin: true },
  { id: 'U0GONE', name: 'gone', tz: 'UTC', dmError: 'user_disabled' },
];

type Json = Record<string, any>;

export interface EmulatedMessage {
  channel: string;
  ts: string;
  ephemeral: boolean;
  /** Who sees an ephemeral message. */
  user?: string;
  text: string;
  blocks: Json[];
  metadata?: Json;
  /** Bumped by every chat.update / replace_original. */
  version: number;
  /** The workspace whose bot token posted it (Web API posts only). */
  team?: string;
}

export type LogEntry =
  | { seq: number; kind: 'api'; method: string; body: Json; response: Json; message?: EmulatedMessage; token: string; team?: string }
  | { seq: number; kind: 'respond'; url: string; body: Json; status: number; error?: string; message?: EmulatedMessage }
  | { seq: number; kind: 'ack'; envelopeId: string; payload: Json };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface ResponseUrl {
  channel: string;
  user: string;
  /** The message whose button was clicked (block actions); slash commands have none. */
  message?: EmulatedMessage;
  uses: number;
}

// ---------------------------------------------------------------- Block Kit validation

const TEXT_KEYS: Record<string, string[]> = { plain_text: ['type', 'text', 'emoji', 'verbatim'], mrkdwn: ['type', 'text', 'verbatim'] };
const BLOCK_KEYS: Record<string, string[]> = {
  header: ['type', 'text', 'block_id'],
  section: ['type', 'text', 'fields', 'accessory', 'block_id'],
  context: ['type', 'elements', 'block_id'],
  actions: ['type', 'elements', 'block_id'],
  divider: ['type', 'block_id'],
  image: ['type', 'image_url', 'slack_file', 'alt_text', 'title', 'block_id'],
};
const BUTTON_KEYS = ['type', 'text', 'action_id', 'value', 'style', 'url', 'confirm', 'accessibility_label'];

/** Problems Slack would reject the blocks for (empty when valid); views allow 100 blocks. */
export function blockKitProblems(blocks: unknown, maxBlocks = 50): string[] {
  const problems: string[] = [];
  const p = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (!Array.isArray(blocks)) return ['blocks: must be an array'];
  if (blocks.length > maxBlocks) p('blocks', `${blocks.length} blocks, at most ${maxBlocks}`);
  const actionIds = new Set<string>();

  const text = (where: string, t: unknown, types: string[], max: number) => {
    if (typeof t !== 'object' || t === null) return p(where, 'missing text object');
    const o = t as Json;
    if (!types.includes(o.type)) return p(where, `text type ${o.type} not allowed`);
    for (const k of Object.keys(o)) if (!TEXT_KEYS[o.type]!.includes(k)) p(where, `unknown key ${k}`);
    if (typeof o.text !== 'string' || o.text.length < 1) p(where, 'text must be a non-empty string');
    else if (o.text.length > max) p(where, `text is ${o.text.length} characters, at most ${max}`);
  };

  blocks.forEach((b: Json, i) => {
    const at = `blocks[${i}]`;
    if (typeof b !== 'object' || b === null) return p(at, 'not an object');
    const allowed = BLOCK_KEYS[b.type];
    if (!allowed) return p(at, `unknown block type ${b.type}`);
    for (const k of Object.keys(b)) if (!allowed.includes(k)) p(at, `unknown key ${k}`);
    switch (b.type) {
      case 'header':
        text(`${at}.text`, b.text, ['plain_text'], 150);
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) p(at, 'needs text or fields');
        if (b.text !== undefined) text(`${at}.text`, b.text, ['plain_text', 'mrkdwn'], 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length < 1 || b.fields.length > 10) p(`${at}.fields`, 'must have 1 to 10 items');
          else b.fields.forEach((f: unknown, j: number) => text(`${at}.fields[${j}]`, f, ['plain_text', 'mrkdwn'], 2000));
        }
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 10) p(`${at}.elements`, 'must have 1 to 10 items');
        else b.elements.forEach((e: unknown, j: number) => text(`${at}.elements[${j}]`, e, ['plain_text', 'mrkdwn'], 3000));
        break;
      case 'image':
        // Slack fetches the picture itself, so it must be a full public http(s) address.
        if (typeof b.alt_text !== 'string' || b.alt_text.length < 1) p(at, 'alt_text is required');
        else if (b.alt_text.length > 2000) p(at, `alt_text is ${b.alt_text.length} characters, at most 2000`);
        if (b.slack_file === undefined) {
          if (typeof b.image_url !== 'string' || !/^https?:\/\/[^/\s]+/.test(b.image_url)) p(at, 'image_url must be an absolute http(s) URL');
          else if (b.image_url.length > 3000) p(at, `image_url is ${b.image_url.length} characters, at most 3000`);
        }
        if (b.title !== undefined) text(`${at}.title`, b.title, ['plain_text'], 2000);
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 25) {
          p(`${at}.elements`, 'must have 1 to 25 items');
          break;
        }
        b.elements.forEach((e: Json, j: number) => {
          const w = `${at}.elements[${j}]`;
          if (e?.type !== 'button') return p(w, `unsupported element ${e?.type}`);
          for (const k of Object.keys(e)) if (!BUTTON_KEYS.includes(k)) p(w, `unknown key ${k}`);
          text(`${w}.text`, e.text, ['plain_text'], 75);
          if (typeof e.action_id !== 'string' || e.action_id.length < 1 || e.action_id.length > 255) p(w, 'action_id must be 1 to 255 characters');
          else if (actionIds.has(e.action_id)) p(w, `duplicate action_id ${e.action_id}`);
          else actionIds.add(e.action_id);
          if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000)) p(w, 'value must be at most 2000 characters');
          if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') p(w, `style ${e.style} not allowed`);
        });
        break;
    }
  });
  return problems;
}

const plainText = (t: unknown, max: number): string | undefined => {
  const o = t as Json | undefined;
  if (!o || o.type !== 'plain_text' || typeof o.text !== 'string' || !o.text) return 'must be a plain_text object';
  return o.text.length > max ? `is ${o.text.length} characters, at most ${max}` : undefined;
};
const OPTION_KEYS = ['text', 'value', 'description'];
function optionProblems(where: string, options: unknown, max: number, p: (w: string, what: string) => void): Json[] {
  if (!Array.isArray(options) || options.length < 1 || options.length > max) {
    p(where, `must have 1 to ${max} options`);
    return [];
  }
  options.forEach((o: Json, i) => {
    for (const k of Object.keys(o ?? {})) if (!OPTION_KEYS.includes(k)) p(`${where}[${i}]`, `unknown key ${k}`);
    const bad = plainText(o?.text, 75);
    if (bad) p(`${where}[${i}].text`, bad);
    if (typeof o?.value !== 'string' || o.value.length < 1 || o.value.length > 150) p(`${where}[${i}].value`, 'must be 1 to 150 characters');
  });
  return options as Json[];
}
const sameOption = (a: Json, options: Json[]) => options.some((o) => o.value === a?.value && o.text?.text === a?.text?.text);

/** An `input` block of a modal (Slack: label, one element, optional). */
function inputProblems(at: string, b: Json, p: (w: string, what: string) => void): void {
  for (const k of Object.keys(b)) if (!['type', 'label', 'element', 'block_id', 'hint', 'optional', 'dispatch_action'].includes(k)) p(at, `unknown key ${k}`);
  const bad = plainText(b.label, 2000);
  if (bad) p(`${at}.label`, bad);
  const e = (b.element ?? {}) as Json;
  const w = `${at}.element`;
  if (typeof e.action_id !== 'string' || e.action_id.length < 1 || e.action_id.length > 255) p(w, 'action_id must be 1 to 255 characters');
  switch (e.type) {
    case 'static_select': {
      const options = optionProblems(`${w}.options`, e.options, 100, p);
      if (e.initial_option !== undefined && !sameOption(e.initial_option, options)) p(`${w}.initial_option`, 'must be one of the options');
      break;
    }
    case 'checkboxes': {
      const options = optionProblems(`${w}.options`, e.options, 10, p);
      if (e.initial_options !== undefined && !(Array.isArray(e.initial_options) && e.initial_options.every((o: Json) => sameOption(o, options)))) p(`${w}.initial_options`, 'must be among the options');
      break;
    }
    case 'timepicker':
      if (e.initial_time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(String(e.initial_time))) p(`${w}.initial_time`, 'must be HH:mm');
      break;
    case 'conversations_select':
      if (e.filter !== undefined && (typeof e.filter !== 'object' || !(e.filter.include ?? []).every((x: string) => ['im', 'mpim', 'private', 'public'].includes(x)))) p(`${w}.filter`, 'bad filter');
      break;
    case 'plain_text_input':
      if (e.max_length !== undefined && !(Number.isInteger(e.max_length) && e.max_length >= 1 && e.max_length <= 3000)) p(`${w}.max_length`, 'must be 1 to 3000');
      break;
    default:
      p(w, `unsupported element ${e.type}`);
  }
}

/** Problems Slack would reject a view for: a modal (views.open) or a Home tab (views.publish). */
export function viewProblems(view: unknown, type: 'modal' | 'home'): string[] {
  const v = view as Json;
  if (typeof v !== 'object' || v === null || v.type !== type) return [`view: type must be ${type}`];
  const problems: string[] = [];
  const p = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (type === 'modal') {
    for (const k of ['title', 'submit', 'close'] as const) {
      const bad = v[k] === undefined && k !== 'title' ? undefined : plainText(v[k], 24);
      if (bad) p(`view.${k}`, bad);
    }
  }
  if (v.private_metadata !== undefined && (typeof v.private_metadata !== 'string' || v.private_metadata.length > 3000)) p('view.private_metadata', 'at most 3000 characters');
  if (v.callback_id !== undefined && (typeof v.callback_id !== 'string' || v.callback_id.length > 255)) p('view.callback_id', 'at most 255 characters');
  const blocks = Array.isArray(v.blocks) ? v.blocks : [];
  if (blocks.length > MAX_VIEW_BLOCKS) p('view.blocks', `${blocks.length} blocks, at most ${MAX_VIEW_BLOCKS}`);
  const inputs = blocks.map((b: Json, i: number) => [b, i] as const).filter(([b]) => b?.type === 'input');
  if (type === 'home' && inputs.length) p('view.blocks', 'input blocks are for modals');
  for (const [b, i] of inputs) inputProblems(`view.blocks[${i}]`, b, p);
  problems.push(...blockKitProblems(blocks.filter((b: Json) => b?.type !== 'input'), MAX_VIEW_BLOCKS).map((x) => `view.${x}`));
  return problems;
}

/** Slack's checks for a message body (text + blocks); returns an error code or undefined. */
function messageError(body: Json): { error: string; problems?: string[] } | undefined {
  let blocks = body.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return { error: 'invalid_blocks_format' };
    }
  }
  if (blocks !== undefined) {
    const problems = blockKitProblems(blocks);
    if (problems.length) return { error: 'invalid_blocks', problems };
  }
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (body.text !== undefined && typeof body.text !== 'string') return { error: 'invalid_arguments' };
  if (!hasBlocks && !body.text) return { error: 'no_text' };
  if (typeof body.text === 'string' && body.text.length > 40_000) return { error: 'msg_too_long' };
  return undefined;
}

// ---------------------------------------------------------------- helpers for tests

/** Header text of a message's first header block. */
export function headerOf(m: { blocks: Json[] }): string | undefined {
  return m.blocks.find((b) => b.type === 'header')?.text?.text;
}

/** All visible text of a message's blocks, one block a line. */
export function textOf(m: { blocks: Json[] }): string {
  const t = (o: Json | undefined) => (o && typeof o.text === 'string' ? o.text : '');
  return m.blocks
    .map((b) => {
      if (b.type === 'header') return t(b.text);
      if (b.type === 'section') return [t(b.text), ...(b.fields ?? []).map(t)].filter(Boolean).join('\n');
      if (b.type === 'context') return b.elements.map(t).join(' ');
      if (b.type === 'actions') return b.elements.map((e: Json) => `[${e.text.text}]`).join(' ');
      return '';
    })
    .join('\n');
}

export function buttonsOf(m: { blocks: Json[] }): Json[] {
  return m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
}

export function buttonLabels(m: { blocks: Json[] }): string[] {
  return buttonsOf(m).map((b) => b.text.text);
}

// ---------------------------------------------------------------- the emulator

export interface EmulatorOptions {
  users?: SlackUserFixture[];
  /** Scopes granted to the bot token; methods needing another scope fail with missing_scope. */
  botScopes?: string[];
  /** See SlackEmulator.responseDelay. */
  responseDelay?: ResponseDelay;
  /** Web API calls per second the workspace allows; over it, HTTP 429 with Retry-After. None when unset. */
  rateLimit?: number;
  /** The app's OAuth credentials (Basic Information → App Credentials); OAuth is refused without them. */
  oauthApp?: { clientId: string; clientSecret: string };
}

/** A workspace the app can be installed into. */
export interface EmulatedTeam {
  id: string;
  name: string;
}

interface OauthCode {
  team: EmulatedTeam;
  user: string;
  scopes: string[];
  redirectUri?: string;
  expiresAt: number;
  used: boolean;
}

/**
 * How long (ms) to hold a Web API response. The call takes effect (a message is posted) at
 * once; only the answer is late, like a slow network: a client that dies while waiting has
 * sent the message without knowing it.
 */
export type ResponseDelay = (method: string, body: Json) => number;

export class SlackEmulator {
  readonly log: LogEntry[] = [];
  readonly messages: EmulatedMessage[] = [];
  readonly users: Map<string, SlackUserFixture>;
  readonly botScopes: Set<string>;
  /** Channels the bot can post in: a public channel it joined plus DMs it opened. */
  readonly botChannels = new Set<string>([CHANNEL_ID]);

  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private sockets = new Set<WebSocket>();
  private pendingAcks = new Map<string, { resolve: (p: Json) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private responseUrls = new Map<string, ResponseUrl>();
  private listeners = new Set<() => void>();
  private failures = new Map<string, string[]>();
  private tsCounter = 0;
  private port = 0;
  private delayed = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  connections = 0;
  /** The workspace each live bot token belongs to, and the scopes it was granted. */
  readonly tokens = new Map<string, { team: string; scopes: Set<string> }>();
  readonly oauthApp: { clientId: string; clientSecret: string } | undefined;
  /** The app's Redirect URL (OAuth & Permissions); set it once the bot's port is known. */
  redirectUrl: string | undefined;
  private codes = new Map<string, OauthCode>();
  /** The workspace's rate limit, with the calls it counted and answered 429; unlimited when not configured. */
  readonly rateLimited: RateWindow;
  private dmGeneration = new Map<string, number>();
  /** trigger_ids handed out with interactions: when, and whether one was used. */
  private triggers = new Map<string, { at: number; used: boolean; user: string }>();
  /** Open modals by view id, with the user they were opened for. */
  readonly modals = new Map<string, { user: string; view: Json }>();
  /** Each user's published Home tab. */
  readonly homes = new Map<string, Json & { blocks: Json[] }>();
  private viewCounter = 0;
  /** Holds Web API responses (not their effect) for this long; may be changed while running. */
  responseDelay: ResponseDelay | undefined;

  constructor(opts: EmulatorOptions = {}) {
    this.users = new Map((opts.users ?? DEFAULT_USERS).map((u) => [u.id, u]));
    this.botScopes = new Set(opts.botScopes ?? ALL_BOT_SCOPES);
    this.responseDelay = opts.responseDelay;
    this.oauthApp = opts.oauthApp;
    this.tokens.set(BOT_TOKEN, { team: TEAM_ID, scopes: this.botScopes });
    this.rateLimited = new RateWindow(opts.rateLimit ?? Infinity);
  }

  /** Slack no longer knows the bot's DM with this user: its id is channel_not_found; opening it again gives a new one. */
  forgetDm(userId: string): void {
    this.botChannels.delete(this.dmIdOf(userId));
    this.dmGeneration.set(userId, (this.dmGeneration.get(userId) ?? 0) + 1);
  }

  /** The DM as if the bot had opened it earlier (seeding benchmarks without the requests). */
  openDmFor(userId: string): string {
    const id = this.dmIdOf(userId);
    this.botChannels.add(id);
    return id;
  }

  /** The id conversations.open gives for a DM with this user. */
  dmIdOf(userId: string): string {
    const generation = this.dmGeneration.get(userId);
    return `D${generation ? `${generation}X` : ''}${userId.slice(1)}`;
  }

  /**
   * Counted per wall-clock second; a call over the limit gets what Slack sends: HTTP 429 with
   * Retry-After in whole seconds and no effect.
   */
  private overLimit(method: string): number | undefined {
    if (method === 'apps.connections.open') return undefined;
    const waitMs = this.rateLimited.hit();
    return waitMs === undefined ? undefined : Math.max(1, Math.ceil(waitMs / 1000));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What SLACK_API_URL is set to. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get seq(): number {
    return this.log.length;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ noServer: true });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket-mode')) return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.wss!.emit('connection', ws, req));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const { reject, timer } of this.pendingAcks.values()) {
      clearTimeout(timer);
      reject(new Error('emulator stopped'));
    }
    this.pendingAcks.clear();
    for (const d of this.delayed) {
      clearTimeout(d.timer);
      d.resolve();
    }
    this.delayed.clear();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    }
    this.server = undefined;
    this.wss = undefined;
  }

  /** Makes the next call of `method` fail with `error` (e.g. `ratelimited`, `fatal_error`). */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  // ------------------------------------------------------------ waiting

  /** Resolves with the first value `probe` returns that is not undefined, re-checking on every change. */
  waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000, what = 'condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const v = probe();
        if (v === undefined) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; log tail: ${JSON.stringify(this.log.slice(-4).map(summary))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The first log entry after `since` matching `pred`. */
  waitForEntry<E extends LogEntry = LogEntry>(since: number, pred: (e: LogEntry) => boolean, what = 'a log entry'): Promise<E> {
    return this.waitFor(() => this.log.slice(since).find(pred) as E | undefined, 5_000, what);
  }

  /** Web API calls after `since`, optionally of one method. */
  calls(method?: string, since = 0): Extract<LogEntry, { kind: 'api' }>[] {
    return this.log.slice(since).filter((e): e is Extract<LogEntry, { kind: 'api' }> => e.kind === 'api' && (!method || e.method === method));
  }

  responses(since = 0): Extract<LogEntry, { kind: 'respond' }>[] {
    return this.log.slice(since).filter((e): e is Extract<LogEntry, { kind: 'respond' }> => e.kind === 'respond');
  }

  waitForConnection(): Promise<void> {
    return this.waitFor(() => (this.sockets.size > 0 ? true : undefined), 5_000, 'a Socket Mode connection').then(() => undefined);
  }

  private record(entry: DistributiveOmit<LogEntry, 'seq'>): LogEntry {
    const full = { ...entry, seq: this.log.length } as LogEntry;
    this.log.push(full);
    for (const l of [...this.listeners]) l();
    return full;
  }

  private hold(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.delayed.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.delayed.add(entry);
    });
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_760_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private addMessage(m: Omit<EmulatedMessage, 'ts' | 'version'>): EmulatedMessage {
    const msg = { ...m, ts: this.nextTs(), version: 0 };
    this.messages.push(msg);
    return msg;
  }

  // ------------------------------------------------------------ Socket Mode

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connections += 1;
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const l of [...this.listeners]) l();
    });
    ws.on('message', (data) => {
      let msg: Json;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      const pending = typeof msg.envelope_id === 'string' ? this.pendingAcks.get(msg.envelope_id) : undefined;
      this.record({ kind: 'ack', envelopeId: msg.envelope_id, payload: msg.payload ?? {} });
      if (pending) {
        clearTimeout(pending.timer);
        this.pendingAcks.delete(msg.envelope_id);
        pending.resolve(msg.payload ?? {});
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    for (const l of [...this.listeners]) l();
  }

  /** Sends a raw frame on every open Socket Mode connection (e.g. a `disconnect` or garbage). */
  sendRaw(frame: string): void {
    for (const ws of this.sockets) ws.send(frame);
  }

  /** Pushes an envelope and resolves with the ack's payload; rejects if the bot misses Slack's 3 s deadline. */
  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Json): Promise<Json> {
    const ws = [...this.sockets][0];
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const envelopeId = randomUUID();
    return new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`envelope ${type} was not acked within ${ACK_DEADLINE_MS} ms`));
      }, ACK_DEADLINE_MS);
      this.pendingAcks.set(envelopeId, { resolve, reject, timer });
      ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
    });
  }

  private newResponseUrl(binding: Omit<ResponseUrl, 'uses'>): string {
    const id = randomUUID();
    this.responseUrls.set(id, { ...binding, uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  /** The payload Slack sends for `/stretch <text>`; its response_url points at this emulator. */
  slashCommandPayload(opts: { text: string; user?: string; channel?: string; channelName?: string; team?: string }): Json {
    const user = opts.user ?? 'U0ALICE';
    const channel = opts.channel ?? CHANNEL_ID;
    return {
      token: 'legacy-verification-token',
      team_id: opts.team ?? TEAM_ID,
      team_domain: 'emulated',
      channel_id: channel,
      channel_name: opts.channelName ?? (channel.startsWith('D') ? 'directmessage' : 'general'),
      user_id: user,
      user_name: this.users.get(user)?.name ?? 'someone',
      command: '/stretch',
      text: opts.text,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: this.newResponseUrl({ channel, user }),
      trigger_id: this.newTrigger(user),
    };
  }

  private newTrigger(user: string): string {
    const id = `trigger-${randomUUID()}`;
    this.triggers.set(id, { at: Date.now(), used: false, user });
    return id;
  }

  /** The person opens the app's Home tab: Slack sends `app_home_opened` (Events API). */
  sendAppHomeOpened(user: string): Promise<Json> {
    return this.sendEnvelope('events_api', {
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      api_app_id: APP_ID,
      type: 'event_callback',
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
    });
  }

  /** A click on a button of the user's Home tab (block_actions from a view: no channel, no response_url). */
  homeActionPayload(user: string, label: string): Json {
    const home = this.homes.get(user);
    if (!home) throw new Error(`${user} has no Home tab`);
    const button = buttonsOf(home).find((b) => b.text.text === label || b.action_id === label);
    if (!button) throw new Error(`no button "${label}" on the Home tab: ${buttonLabels(home).join(', ')}`);
    return {
      type: 'block_actions',
      user: { id: user, username: this.users.get(user)?.name ?? 'someone', name: this.users.get(user)?.name ?? 'someone', team_id: TEAM_ID },
      api_app_id: APP_ID,
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: home.id },
      trigger_id: this.newTrigger(user),
      team: { id: TEAM_ID, domain: 'emulated' },
      enterprise: null,
      is_enterprise_install: false,
      view: home,
      actions: [{ action_id: button.action_id, block_id: 'emulated', text: button.text, value: button.value ?? button.action_id, type: 'button', action_ts: `${Date.now() / 1000}` }],
    };
  }

  /**
   * The person submits an open modal with these answers (block id → element state, as Slack
   * sends it); resolves with the ack's payload (`response_action: errors` when refused).
   */
  submitView(viewId: string, values: Record<string, Json>): Promise<Json> {
    const open = this.modals.get(viewId);
    if (!open) throw new Error(`no open modal ${viewId}`);
    const state: Json = {};
    for (const b of open.view.blocks as Json[]) {
      if (b.type !== 'input') continue;
      state[b.block_id] = { [b.element.action_id]: { type: b.element.type, ...(values[b.block_id] ?? {}) } };
    }
    return this.sendEnvelope('interactive', {
      type: 'view_submission',
      team: { id: TEAM_ID, domain: 'emulated' },
      user: { id: open.user, username: this.users.get(open.user)?.name ?? 'someone', name: this.users.get(open.user)?.name ?? 'someone', team_id: TEAM_ID },
      api_app_id: APP_ID,
      token: 'legacy-verification-token',
      trigger_id: this.newTrigger(open.user),
      view: { ...open.view, id: viewId, team_id: TEAM_ID, app_id: APP_ID, state: { values: state }, hash: `h${viewId}` },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  sendSlashCommand(opts: Parameters<SlackEmulator['slashCommandPayload']>[0]): Promise<Json> {
    return this.sendEnvelope('slash_commands', this.slashCommandPayload(opts));
  }

  /** The block_actions payload for clicking the button labelled `label` (or with that action_id) on `message`. */
  blockActionPayload(message: EmulatedMessage, label: string, opts: { user?: string; team?: string; actionId?: string } = {}): Json {
    const user = opts.user ?? message.user ?? 'U0ALICE';
    const button = buttonsOf(message).find((b) => b.text.text === label || b.action_id === label);
    if (!button && !opts.actionId) throw new Error(`no button "${label}" on message: ${buttonLabels(message).join(', ')}`);
    const actionId = opts.actionId ?? button!.action_id;
    return {
      type: 'block_actions',
      user: { id: user, username: this.users.get(user)?.name ?? 'someone', name: this.users.get(user)?.name ?? 'someone', team_id: opts.team ?? TEAM_ID },
      api_app_id: APP_ID,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: message.ephemeral },
      trigger_id: this.newTrigger(user),
      team: { id: opts.team ?? TEAM_ID, domain: 'emulated' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : 'general' },
      // Slack leaves the message out of clicks on ephemeral messages.
      ...(message.ephemeral ? {} : { message: { type: 'message', user: BOT_USER_ID, ts: message.ts, text: message.text, blocks: message.blocks } }),
      state: { values: {} },
      response_url: this.newResponseUrl({ channel: message.channel, user, message }),
      actions: [
        {
          action_id: actionId,
          block_id: 'emulated',
          text: button?.text ?? { type: 'plain_text', text: label, emoji: true },
          value: button?.value ?? actionId,
          ...(button?.style ? { style: button.style } : {}),
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  sendBlockAction(message: EmulatedMessage, label: string, opts: Parameters<SlackEmulator['blockActionPayload']>[2] = {}): Promise<Json> {
    return this.sendEnvelope('interactive', this.blockActionPayload(message, label, opts));
  }

  // ------------------------------------------------------------ OAuth and events

  /**
   * Plays a person in `team` opening the app's authorize URL (where /slack/install redirected)
   * and pressing Allow (or Cancel): checks the request the way Slack's authorize page does
   * and returns where Slack redirects the browser, with a code bound to that team.
   */
  authorize(authorizeUrl: string, opts: { team: EmulatedTeam; user?: string; deny?: boolean }): string {
    const url = new URL(authorizeUrl);
    if (url.origin !== this.baseUrl || url.pathname !== '/oauth/v2/authorize') throw new Error(`not this emulator's authorize page: ${url.origin}${url.pathname}`);
    if (!this.oauthApp || url.searchParams.get('client_id') !== this.oauthApp.clientId) throw new Error('authorize: invalid_client_id');
    const requested = url.searchParams.get('redirect_uri') ?? undefined;
    const redirect = requested ?? this.redirectUrl;
    if (!redirect) throw new Error('authorize: no redirect_uri and no Redirect URL configured');
    if (requested && this.redirectUrl && requested !== this.redirectUrl) throw new Error('authorize: bad_redirect_uri');
    const scopes = (url.searchParams.get('scope') ?? '').split(',').filter(Boolean);
    const unknown = scopes.filter((sc) => !ALL_BOT_SCOPES.includes(sc));
    if (unknown.length) throw new Error(`authorize: invalid_scope ${unknown.join(',')}`);
    const back = new URL(redirect);
    const state = url.searchParams.get('state');
    if (opts.deny) back.searchParams.set('error', 'access_denied');
    else {
      const code = `code-${randomUUID()}`;
      this.codes.set(code, { team: opts.team, user: opts.user ?? 'U0ADMIN', scopes, redirectUri: requested, expiresAt: Date.now() + OAUTH_CODE_TTL_MS, used: false });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    return back.href;
  }

  private exchangeCode(body: Json, authHeader: string): { response: Json; message?: EmulatedMessage } {
    const fail = (error: string) => ({ response: { ok: false, error } });
    // Credentials come in the body or as HTTP Basic auth, as Slack accepts both.
    let { client_id: id, client_secret: secret } = body as { client_id?: string; client_secret?: string };
    if (authHeader.startsWith('Basic ')) [id, secret] = Buffer.from(authHeader.slice(6), 'base64').toString().split(':');
    if (!this.oauthApp || id !== this.oauthApp.clientId) return fail('invalid_client_id');
    if (secret !== this.oauthApp.clientSecret) return fail('bad_client_secret');
    const grant = this.codes.get(String(body.code ?? ''));
    if (!grant || grant.used || grant.expiresAt < Date.now()) return fail('invalid_code');
    if (grant.redirectUri !== undefined && body.redirect_uri !== grant.redirectUri) return fail('bad_redirect_uri');
    grant.used = true;
    const token = `xoxb-${grant.team.id}-${randomUUID()}`;
    this.tokens.set(token, { team: grant.team.id, scopes: new Set(grant.scopes) });
    return {
      response: {
        ok: true,
        access_token: token,
        token_type: 'bot',
        scope: grant.scopes.join(','),
        bot_user_id: BOT_USER_ID,
        app_id: APP_ID,
        team: { id: grant.team.id, name: grant.team.name },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: grant.user },
      },
    };
  }

  /** The live bot token of a workspace (the newest install), if any. */
  tokenOf(team: string): string | undefined {
    return [...this.tokens].reverse().find(([, t]) => t.team === team)?.[0];
  }

  /** Revokes every bot token of `team`, as removing the app (or revoking its tokens) does. */
  revokeTokens(team: string): string[] {
    const revoked = [...this.tokens].filter(([, t]) => t.team === team).map(([token]) => token);
    for (const token of revoked) this.tokens.delete(token);
    return revoked;
  }

  /**
   * Delivers an Events API callback to the app's Request URL the way Slack does over HTTP:
   * JSON body, signed with the signing secret. Resolves with the HTTP status.
   */
  async deliverEvent(requestUrl: string, signingSecret: string, team: string, event: Json): Promise<number> {
    const body = JSON.stringify(this.eventCallback(team, event));
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(requestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** The Events API envelope Slack wraps an event in. */
  eventCallback(team: string, event: Json): Json {
    return {
      token: 'legacy-verification-token',
      team_id: team,
      api_app_id: APP_ID,
      event: { ...event, event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
    };
  }

  /**
   * Removes the app from `team`: its tokens stop working and `app_uninstalled` goes to the app,
   * over HTTP (signed, to `to.requestUrl`) or, without it, over Socket Mode.
   */
  async uninstall(team: string, to: { requestUrl: string; signingSecret: string } | 'socket'): Promise<number> {
    this.revokeTokens(team);
    return this.sendEventTo(to, team, { type: 'app_uninstalled' });
  }

  /** Revokes the bot token of `team` and sends `tokens_revoked` listing it. */
  async revoke(team: string, to: { requestUrl: string; signingSecret: string } | 'socket'): Promise<number> {
    this.revokeTokens(team);
    return this.sendEventTo(to, team, { type: 'tokens_revoked', tokens: { bot: [BOT_USER_ID] } });
  }

  /**
   * The person changes their profile status (`expiration` in epoch seconds, 0 for none; no
   * status clears it): users.info shows it from now on and `user_change` goes to the app.
   */
  async changeStatus(userId: string, status: SlackUserFixture['status'], to: { requestUrl: string; signingSecret: string } | 'socket' = 'socket'): Promise<number> {
    const u = this.users.get(userId);
    if (!u) throw new Error(`no user ${userId}`);
    const next = { ...u, status };
    if (!status) delete next.status;
    this.users.set(userId, next);
    return this.sendEventTo(to, TEAM_ID, { type: 'user_change', user: { id: u.id, team_id: TEAM_ID, name: u.name, tz: u.tz ?? null, deleted: false, is_bot: false, profile: profileOf(next) } });
  }

  /** Resolves with the HTTP status, or 200 once a Socket Mode envelope is acked. */
  private async sendEventTo(to: { requestUrl: string; signingSecret: string } | 'socket', team: string, event: Json): Promise<number> {
    if (to !== 'socket') return this.deliverEvent(to.requestUrl, to.signingSecret, team, event);
    await this.sendEnvelope('events_api', this.eventCallback(team, event));
    return 200;
  }

  // ------------------------------------------------------------ HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of req) chunks.push(c as Buffer);
    } catch {
      // The client went away mid-request (a killed process): Slack never saw the call.
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.baseUrl);
    const send = (status: number, body: Json) => {
      if (res.destroyed || res.socket?.destroyed !== false) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return send(405, { ok: false, error: 'method_not_allowed' });

    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      const body = parseBody(raw, req.headers['content-type']);
      const header = String(req.headers.authorization ?? '');
      const auth = header.replace(/^Bearer\s+/i, '') || String(body.token ?? '');
      delete body.token;
      const retryAfter = this.overLimit(method);
      if (retryAfter !== undefined) {
        if (res.destroyed) return;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      const { response, message } = method === 'oauth.v2.access' ? this.exchangeCode(body, header) : this.callMethod(method, body, auth);
      // Secrets never reach the log, as in Slack's own audit logs.
      if (method === 'oauth.v2.access') delete body.client_secret;
      this.record({ kind: 'api', method, body, response, message, token: header.startsWith('Basic ') ? '' : auth, team: this.tokens.get(auth)?.team });
      const delay = this.responseDelay?.(method, body) ?? 0;
      if (delay > 0) await this.hold(delay);
      // Like Slack: platform errors are HTTP 200 with ok:false.
      return send(200, response);
    }

    if (url.pathname.startsWith('/response/')) {
      const id = url.pathname.slice('/response/'.length);
      let body: Json = {};
      try {
        body = JSON.parse(raw) as Json;
      } catch {
        this.record({ kind: 'respond', url: url.href, body: { raw }, status: 400, error: 'invalid_payload' });
        return send(400, { ok: false, error: 'invalid_payload' });
      }
      const { status, error, message } = this.respondTo(id, body);
      this.record({ kind: 'respond', url: url.href, body, status, error, message });
      return send(status, error ? { ok: false, error } : { ok: true });
    }
    send(404, { ok: false, error: 'not_found' });
  }

  private respondTo(id: string, body: Json): { status: number; error?: string; message?: EmulatedMessage } {
    const binding = this.responseUrls.get(id);
    if (!binding) return { status: 404, error: 'expired_url' };
    if (++binding.uses > RESPONSE_URL_USES) return { status: 404, error: 'used_url' };
    const invalid = messageError(body);
    if (invalid) return { status: 400, error: invalid.error };
    const blocks = (typeof body.blocks === 'string' ? JSON.parse(body.blocks) : body.blocks) ?? [];
    const text = typeof body.text === 'string' ? body.text : '';
    if (body.replace_original === true || body.replace_original === 'true') {
      const m = binding.message;
      if (!m) return { status: 404, error: 'message_not_found' };
      m.text = text;
      m.blocks = blocks;
      m.version += 1;
      return { status: 200, message: m };
    }
    if (body.response_type === 'in_channel') {
      return { status: 200, message: this.addMessage({ channel: binding.channel, ephemeral: false, text, blocks }) };
    }
    return { status: 200, message: this.addMessage({ channel: binding.channel, ephemeral: true, user: binding.user, text, blocks }) };
  }

  private callMethod(method: string, body: Json, token: string): { response: Json; message?: EmulatedMessage } {
    const fail = (error: string, extra: Json = {}) => ({ response: { ok: false, error, ...extra } });
    if (method === 'apps.connections.open') {
      if (token !== APP_TOKEN) return fail('invalid_auth');
      return { response: { ok: true, url: `ws://127.0.0.1:${this.port}/socket-mode?ticket=${randomUUID()}` } };
    }
    if (!(method in METHOD_SCOPES)) return fail('unknown_method');
    const injected = this.failures.get(method)?.shift();
    if (injected) return fail(injected);
    const granted = this.tokens.get(token);
    if (!granted) return fail(token ? 'invalid_auth' : 'not_authed');
    // Each call is answered for the token's workspace, with the scopes that install granted.
    const team = granted.team;
    const botScopes = granted.scopes;
    const scope = METHOD_SCOPES[method];
    if (scope && !botScopes.has(scope)) return fail('missing_scope', { needed: scope, provided: [...botScopes].join(',') });

    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    const canPost = (c: string | undefined) =>
      !c ? 'channel_not_found' : this.botChannels.has(c) ? undefined : c.startsWith('C') && !botScopes.has('chat:write.public') ? 'not_in_channel' : c.startsWith('C') ? undefined : 'channel_not_found';

    switch (method) {
      case 'auth.test':
        return { response: { ok: true, url: 'https://emulated.slack.com/', team: 'Emulated', user: 'stretch_coach', team_id: team, user_id: BOT_USER_ID, bot_id: 'B0BOT', is_enterprise_install: false } };

      case 'users.info': {
        const u = this.users.get(String(body.user ?? ''));
        if (!u) return fail('user_not_found');
        return {
          response: {
            ok: true,
            user: {
              id: u.id,
              team_id: team,
              name: u.name,
              real_name: u.name,
              tz: u.tz,
              tz_label: u.tz,
              tz_offset: 0,
              is_admin: Boolean(u.is_admin),
              is_owner: Boolean(u.is_owner),
              is_bot: false,
              deleted: false,
              profile: profileOf(u),
            },
          },
        };
      }

      case 'dnd.teamInfo': {
        // Up to 50 people a call; each one's next (or current) scheduled window, 1s for none.
        const ids = String(body.users ?? '').split(',').filter(Boolean);
        if (!ids.length) return fail('no_users_provided');
        if (ids.length > 50) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] users: at most 50 users'] } });
        const users: Record<string, Json> = {};
        for (const id of ids) {
          const u = this.users.get(id);
          if (!u) return fail('user_not_found');
          users[id] = { dnd_enabled: u.dnd !== undefined, next_dnd_start_ts: u.dnd?.start ?? 1, next_dnd_end_ts: u.dnd?.end ?? 1 };
        }
        return { response: { ok: true, users } };
      }

      case 'views.open': {
        const trigger = this.triggers.get(String(body.trigger_id ?? ''));
        if (!trigger) return fail('invalid_trigger_id');
        if (trigger.used) return fail('exchanged_trigger_id');
        if (Date.now() - trigger.at > TRIGGER_TTL_MS) return fail('expired_trigger_id');
        const view = typeof body.view === 'string' ? (JSON.parse(body.view) as Json) : (body.view as Json);
        const problems = viewProblems(view, 'modal');
        if (problems.length) return fail('invalid_arguments', { response_metadata: { messages: problems } });
        trigger.used = true;
        const id = `V0MODAL${++this.viewCounter}`;
        this.modals.set(id, { user: trigger.user, view });
        return { response: { ok: true, view: { ...view, id, state: { values: {} } } } };
      }

      case 'views.publish': {
        const user = String(body.user_id ?? '');
        if (!this.users.has(user)) return fail('user_not_found');
        const view = typeof body.view === 'string' ? (JSON.parse(body.view) as Json) : (body.view as Json);
        const problems = viewProblems(view, 'home');
        if (problems.length) return fail('invalid_arguments', { response_metadata: { messages: problems } });
        const id = this.homes.get(user)?.id ?? `V0HOME${++this.viewCounter}`;
        this.homes.set(user, { ...view, id, blocks: view.blocks });
        return { response: { ok: true, view: { ...view, id } } };
      }

      case 'conversations.open': {
        const ids = String(body.users ?? '').split(',').filter(Boolean);
        if (ids.length !== 1) return fail(ids.length ? 'not_implemented' : 'users_list_not_supplied');
        if (ids[0] === BOT_USER_ID) return fail('cannot_dm_bot');
        const u = this.users.get(ids[0]!);
        if (!u) return fail('user_not_found');
        if (u.dmError) return fail(u.dmError);
        const id = this.dmIdOf(u.id);
        this.botChannels.add(id);
        return { response: { ok: true, channel: { id } } };
      }

      case 'chat.postMessage': {
        const bad = canPost(channel) ?? messageError(body)?.error;
        if (bad) return fail(bad, { response_metadata: { messages: messageError(body)?.problems ?? [] } });
        let metadata: Json | undefined;
        if (body.metadata !== undefined) {
          try {
            metadata = typeof body.metadata === 'string' ? (JSON.parse(body.metadata) as Json) : (body.metadata as Json);
          } catch {
            return fail('invalid_metadata_format');
          }
          if (typeof metadata?.event_type !== 'string' || typeof metadata.event_payload !== 'object') return fail('invalid_metadata_schema');
        }
        const m = this.addMessage({ channel: channel!, ephemeral: false, text: String(body.text ?? ''), blocks: parseBlocks(body.blocks), metadata, team });
        return { response: { ok: true, channel, ts: m.ts, message: { type: 'message', user: BOT_USER_ID, ts: m.ts, text: m.text, blocks: m.blocks } }, message: m };
      }

      case 'chat.postEphemeral': {
        const user = typeof body.user === 'string' ? body.user : undefined;
        if (!user || !this.users.has(user)) return fail('user_not_found');
        const bad = (channel && this.botChannels.has(channel) ? undefined : canPost(channel)) ?? messageError(body)?.error;
        if (bad) return fail(bad, { response_metadata: { messages: messageError(body)?.problems ?? [] } });
        const m = this.addMessage({ channel: channel!, ephemeral: true, user, text: String(body.text ?? ''), blocks: parseBlocks(body.blocks) });
        return { response: { ok: true, message_ts: m.ts }, message: m };
      }

      case 'conversations.history': {
        const needed = HISTORY_SCOPE[channel?.[0] ?? ''];
        if (!channel || !needed) return fail('channel_not_found');
        if (!botScopes.has(needed)) return fail('missing_scope', { needed, provided: [...botScopes].join(',') });
        if (!this.botChannels.has(channel)) return fail('not_in_channel');
        const all = String(body.include_all_metadata) === 'true';
        const limit = Math.min(Number(body.limit) || 100, 999);
        const messages = this.messages
          .filter((m) => m.channel === channel && !m.ephemeral && (m.team === undefined || m.team === team))
          .reverse()
          .slice(0, limit)
          .map((m) => ({ type: 'message', user: BOT_USER_ID, ts: m.ts, text: m.text, ...(all && m.metadata ? { metadata: m.metadata } : {}) }));
        return { response: { ok: true, messages, has_more: false } };
      }

      case 'chat.update': {
        if (!channel) return fail('channel_not_found');
        const m = this.messages.find((x) => x.channel === channel && x.ts === body.ts);
        if (!m) return fail('message_not_found');
        if (m.ephemeral) return fail('cant_update_message');
        const bad = messageError(body);
        if (bad) return fail(bad.error, { response_metadata: { messages: bad.problems ?? [] } });
        m.text = String(body.text ?? '');
        m.blocks = parseBlocks(body.blocks);
        m.version += 1;
        return { response: { ok: true, channel, ts: m.ts, text: m.text }, message: m };
      }
    }
    return fail('unknown_method');
  }
}

function parseBody(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw) as Json;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function parseBlocks(blocks: unknown): Json[] {
  if (typeof blocks === 'string') return JSON.parse(blocks) as Json[];
  return Array.isArray(blocks) ? (blocks as Json[]) : [];
}

function summary(e: LogEntry): Json {
  if (e.kind === 'api') return { api: e.method, ok: e.response.ok, error: e.response.error, problems: e.response.response_metadata?.messages };
  if (e.kind === 'respond') return { respond: e.status, error: e.error, header: e.message && headerOf(e.message) };
  return { ack: e.envelopeId };
}
