/**
 * The Slack driver: the real app (a Bolt App over Socket Mode, built by createApp from
 * SLACK_* variables) against the Slack emulator. Commands and clicks go over the websocket as
 * Slack sends them; replies are read where Slack would receive them (response_url POSTs and
 * Web API calls).
 */
import {
  APP_TOKEN,
  BOT_TOKEN,
  buttonLabels,
  buttonsOf,
  CHANNEL_ID,
  headerOf,
  SlackEmulator,
  TEAM_ID,
  type EmulatedMessage,
  type LogEntry,
} from '../../emulators/slack-emulator.js';
import { readManifest, type ApiEntry, type RespondEntry } from '../slack.js';
import type { App } from '../../../src/app.js';
import { AppDriver, findButton, type ClickResult, type DriverOptions, type CommandOptions, type Msg, type PlatformDriver, type Request, type ShownPicture, type User, type UserSpec } from './driver.js';

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const dmChannel = (userId: string) => `D${userId.slice(1)}`;
const isReply = (e: LogEntry): e is RespondEntry => e.kind === 'respond';
/** Errors a test provokes on purpose (a user whose DMs are closed). */
/** Calls that only read (a profile, the connection); requestsSince leaves them out. */
const READS = new Set(['auth.test', 'apps.connections.open', 'users.info', 'dnd.teamInfo', 'conversations.history']);
const EXPECTED_ERRORS = new Set(['user_disabled']);

/** Where the Slack tests say the bot is reachable; image URLs start with it. */
export const TEST_PUBLIC_URL = 'https://stretch.example.test';

/** Fetches an image URL the bot gave Slack from the bot's own HTTP server, as Slack would from PUBLIC_URL. */
export async function fetchFromBot(app: App, url: string): Promise<Response> {
  if (!url.startsWith(`${TEST_PUBLIC_URL}/`)) throw new Error(`${url} is not under PUBLIC_URL`);
  const address = app.http?.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no HTTP server listening');
  return fetch(`http://127.0.0.1:${address.port}${url.slice(TEST_PUBLIC_URL.length)}`);
}

class SlackMsg implements Msg {
  constructor(
    readonly raw: EmulatedMessage,
    private readonly app: () => App,
  ) {}
  get title() {
    return headerOf(this.raw) ?? '';
  }
  get text() {
    const t = (o: { text?: unknown } | undefined) => (o && typeof o.text === 'string' ? unescape(o.text) : '');
    // A field is rendered as `*label*` over its value; read it as `label: value`, as on Discord.
    const field = (o: { text?: unknown }) => t(o).replace(/^\*(.+?)\*\n/, '$1: ');
    return this.raw.blocks
      .flatMap((b) => (b.type === 'section' ? [t(b.text), ...(b.fields ?? []).map(field)] : b.type === 'context' ? [b.elements.map(t).join(' ')] : []))
      .filter(Boolean)
      .join('\n');
  }
  get buttons() {
    return buttonLabels(this.raw);
  }
  get buttonIds() {
    return buttonsOf(this.raw).map((b) => String(b.action_id));
  }
  get ephemeral() {
    return this.raw.ephemeral;
  }
  get visibleTo() {
    return this.raw.ephemeral ? this.raw.user : undefined;
  }
  get where() {
    return this.raw.channel.startsWith('D') ? ('dm' as const) : ('channel' as const);
  }
  get edits() {
    return this.raw.version;
  }
  async picture(): Promise<ShownPicture | undefined> {
    const images = this.raw.blocks.filter((b) => b.type === 'image');
    if (images.length > 1) throw new Error(`${images.length} image blocks in one message`);
    const image = images[0];
    if (!image) return undefined;
    const res = await fetchFromBot(this.app(), String(image.image_url));
    if (res.status !== 200) throw new Error(`${image.image_url} answered ${res.status}`);
    const name = decodeURIComponent(new URL(String(image.image_url)).pathname.split('/').pop()!);
    return { name, alt: String(image.alt_text), bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? '' };
  }
}

export class SlackDriver extends AppDriver implements PlatformDriver {
  readonly name = 'slack' as const;
  readonly says = { notAdmin: 'Admins only', cannotDm: { title: "I can't DM you", mentions: 'user_disabled' } };
  readonly maxActionId = 255;
  readonly channelId = CHANNEL_ID;
  readonly workspaceId = TEAM_ID;
  /** The emulator grants exactly the manifest's scopes, so a call the manifest does not cover fails. */
  readonly emu: SlackEmulator;
  private checked = 0;

  /**
   * `adminUserIds`: SLACK_ADMIN_USER_IDS, for the Slack-only tests of that setting.
   * `noPublicUrl`: run as on a laptop (Socket Mode, no PUBLIC_URL, no PORT), so without pictures.
   */
  constructor(private readonly opts: DriverOptions & { adminUserIds?: string[]; noPublicUrl?: boolean } = {}) {
    super();
    this.emu = new SlackEmulator({ users: [], botScopes: readManifest().oauth_config.scopes.bot, rateLimit: opts.rateLimit });
  }

  rateLimited(): number {
    return this.emu.rateLimited.limited;
  }
  rateCounted(): number {
    return this.emu.rateLimited.counted;
  }
  openDmFor(user: User): string {
    return this.emu.openDmFor(user.id);
  }
  private readonly views = new WeakMap<EmulatedMessage, SlackMsg>();

  protected startEmulator() {
    return this.emu.start();
  }
  protected stopEmulator() {
    return this.emu.stop();
  }
  protected env(): Record<string, string> {
    const admins: Record<string, string> = this.opts.adminUserIds?.length ? { SLACK_ADMIN_USER_IDS: this.opts.adminUserIds.join(',') } : {};
    // PORT 0 and a PUBLIC_URL turn pictures on; fetchFromBot maps PUBLIC_URL to the bound port.
    const pictures: Record<string, string> = this.opts.noPublicUrl ? {} : { PORT: '0', PUBLIC_URL: TEST_PUBLIC_URL };
    return { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: this.emu.apiUrl, ...pictures, ...admins, ...this.opts.env };
  }
  protected async connected() {
    await this.emu.waitFor(() => (this.emu.openSockets === 1 ? true : undefined), 5_000, 'a Socket Mode connection');
  }
  protected async disconnected() {
    await this.emu.waitFor(() => (this.emu.openSockets === 0 ? true : undefined), 5_000, 'the old connection to close');
  }

  user(name: string, spec: UserSpec = {}): User {
    const id = `U0${name.toUpperCase()}`;
    this.emu.users.set(id, { id, name, tz: 'UTC', is_admin: Boolean(spec.admin), ...(spec.dmsClosed ? { dmError: 'user_disabled' } : {}) });
    return { id, name };
  }

  private view(m: EmulatedMessage): SlackMsg {
    let v = this.views.get(m);
    if (!v) this.views.set(m, (v = new SlackMsg(m, () => this.app)));
    return v;
  }

  async command(as: User, text: string, opts: CommandOptions = {}): Promise<Msg> {
    return (await this.commandReplies(as, text, 1, opts))[0]!;
  }

  async commandReplies(as: User, text: string, count: number, opts: CommandOptions = {}): Promise<Msg[]> {
    const channel = opts.in === 'dm' ? dmChannel(as.id) : CHANNEL_ID;
    // Someone typing in the bot's DM is talking in a conversation the bot is part of.
    if (opts.in === 'dm') this.emu.botChannels.add(channel);
    const since = this.emu.seq;
    await this.emu.sendSlashCommand({ text, user: as.id, channel });
    const inThisConversation = (e: LogEntry) =>
      (isReply(e) && !e.body.replace_original) || (e.kind === 'api' && e.method === 'chat.postMessage' && e.body.channel === channel && e.response.ok);
    const entries = await this.emu.waitFor(() => {
      const found = this.emu.log.slice(since).filter(inThisConversation);
      return found.length >= count ? found.slice(0, count) : undefined;
    }, 5_000, `${count} repl${count === 1 ? 'y' : 'ies'} to /stretch ${text}`);
    return entries.map((e) => {
      if (isReply(e)) {
        if (e.status !== 200 || !e.message) throw new Error(`response_url POST failed: ${JSON.stringify(e)}`);
        // An ephemeral reply is for the person who typed the command, in that conversation.
        if (e.message.ephemeral && (e.message.user !== as.id || e.message.channel !== channel)) throw new Error(`ephemeral reply shown to the wrong person: ${JSON.stringify(e.message)}`);
      }
      return this.view((e as RespondEntry | ApiEntry).message!);
    });
  }

  click(as: User, msg: Msg, label: string): Promise<ClickResult> {
    const i = findButton(msg.buttons, label, msg.title);
    return this.clickId(as, msg, msg.buttonIds[i]!);
  }

  async clickId(as: User, msg: Msg, actionId: string): Promise<ClickResult> {
    const clicked = (msg as SlackMsg).raw;
    const version = clicked.version;
    const since = this.emu.seq;
    const payload = this.emu.blockActionPayload(clicked, actionId, { user: as.id, actionId });
    await this.emu.sendEnvelope('interactive', payload);
    // This click's answer: a POST to its own response_url, or a chat.update of the clicked message.
    const e = await this.emu.waitForEntry(
      since,
      (x) => (isReply(x) && x.url === payload.response_url) || (x.kind === 'api' && x.method === 'chat.update' && x.body.ts === clicked.ts),
      `an answer to the click on ${actionId}`,
    );
    if (e.kind === 'api') {
      const u = e as ApiEntry;
      // Normal messages (DMs, channel posts) are changed with chat.update, never through a response_url.
      if (clicked.ephemeral || !u.response.ok || u.body.channel !== clicked.channel || u.message !== clicked) throw new Error(`bad chat.update: ${JSON.stringify(u)}`);
      if (this.emu.responses(since).some((r) => r.url === payload.response_url)) throw new Error('a click on a normal message was also answered through its response_url');
      return this.updated(clicked, version);
    }
    const r = e as RespondEntry;
    if (r.status !== 200 || !r.message) throw new Error(`response_url POST failed: ${JSON.stringify(r)}`);
    if (r.body.replace_original === true) {
      // Ephemeral messages are only ever changed through their response_url.
      if (!clicked.ephemeral || r.message !== clicked) throw new Error(`replace_original on a message that is not the clicked ephemeral one: ${JSON.stringify(r)}`);
      return this.updated(clicked, version);
    }
    if (r.body.response_type !== 'ephemeral' || r.body.replace_original !== false || !r.message.ephemeral || r.message.user !== as.id) {
      throw new Error(`a click answer that is neither an update nor a private reply: ${JSON.stringify(r.body)}`);
    }
    return { updated: false, reply: this.view(r.message) };
  }

  private updated(m: EmulatedMessage, version: number): ClickResult {
    if (m.version !== version + 1) throw new Error(`the clicked message changed ${m.version - version} times, not once`);
    return { updated: true };
  }

  dms(user: User): Msg[] {
    return this.emu.messages.filter((m) => this.dmIds(user.id).has(m.channel) && !m.ephemeral).map((m) => this.view(m));
  }

  /** Every DM id the user has had: forgetDm gives a new one. */
  private dmIds(userId: string): Set<string> {
    return new Set([dmChannel(userId), ...this.forgotten.filter((f) => f.userId === userId).flatMap((f) => [f.id, this.emu.dmIdOf(userId)])]);
  }
  private readonly forgotten: Array<{ userId: string; id: string }> = [];

  forgetDm(user: User): void {
    this.forgotten.push({ userId: user.id, id: this.emu.dmIdOf(user.id) });
    this.emu.forgetDm(user.id);
  }

  channelPosts(): Msg[] {
    return this.emu.messages.filter((m) => m.channel === CHANNEL_ID && !m.ephemeral).map((m) => this.view(m));
  }

  dmOpens(user: User, mark = 0): number {
    return this.emu.calls('conversations.open', mark).filter((c) => c.body.users === user.id).length;
  }

  mark(): number {
    return this.emu.seq;
  }

  requestsSince(mark: number): Request[] {
    return this.emu.log.slice(mark).flatMap((e): Request[] => {
      if (e.kind === 'ack' || (e.kind === 'api' && READS.has(e.method))) return [];
      if (e.kind === 'respond') return [e.body.replace_original ? 'update' : 'reply'];
      if (e.method === 'conversations.open') return ['open dm'];
      if (e.method === 'chat.postMessage') return [String(e.body.channel).startsWith('D') ? 'post dm' : 'post channel'];
      if (e.method === 'chat.update') return ['update'];
      return [e.method];
    });
  }

  /** A post to a DM Slack forgot (forgetDm) is refused on purpose. */
  private onForgottenDm(e: LogEntry): boolean {
    return e.kind === 'api' && e.response.error === 'channel_not_found' && this.forgotten.some((f) => f.id === e.body.channel);
  }

  verify(): void {
    const since = this.checked;
    this.checked = this.emu.seq;
    const refused = this.emu.log
      .slice(since)
      .filter((e) => (e.kind === 'api' && !e.response.ok && !EXPECTED_ERRORS.has(e.response.error) && !this.onForgottenDm(e)) || (e.kind === 'respond' && e.status !== 200));
    if (refused.length) throw new Error(`Slack refused what the bot sent: ${JSON.stringify(refused)}`);
  }
}
