/**
 * The Discord driver: the real app (a discord.js Client, built by createApp from DISCORD_*
 * variables) logged in to the Discord emulator. `/stretch <text>` becomes the slash command
 * with typed options the Discord client would send; replies are the interaction responses,
 * follow-ups and channel messages the emulator stored.
 */
import { DISCORD_WORKSPACE_ID, interactionToCommand, type InvokedOption } from '../../../src/adapters/discord/parse.js';
import { parseCommandText } from '../../../src/core/commands/text.js';
import { parseWhen } from '../../../src/core/schedule/when.js';
import { ACK_DEADLINE_MS, DiscordEmulator, PERMISSIONS, type EmuUser, type InteractionResult, type RecordedRequest, type StoredMessage } from '../../emulators/discord-emulator.js';
import { buttonsOf, dmOpensFor } from '../discord.js';
import { AppDriver, findButton, type ClickResult, type DriverOptions, type CommandOptions, type Msg, type PlatformDriver, type Request, type ShownPicture, type User, type UserSpec } from './driver.js';

const EPHEMERAL = 64;
/** Interaction response types: a new message, a deferred one, a deferred update, an update. */
const REPLY = 4;
const DEFERRED_REPLY = 5;
const DEFERRED_UPDATE = 6;
const UPDATE = 7;

/**
 * `/stretch <text>` as Discord options. The core's own text parser finds the subcommand; its
 * free text (`schedule add <when> [routine] [zone]`, `schedule remove <id>`) is split into the
 * typed options the command definitions declare, with the core's own `when` parser.
 */
export function slashOptions(text: string, routineIds: readonly string[]): { sub?: string; group?: string; options: Record<string, string> } {
  const parsed = parseCommandText(text);
  const name = parsed.unknown ?? parsed.name;
  const [first, second] = name.split(' ');
  if (!first) return { options: {} };
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed.options)) if (v !== undefined) options[k] = v;
  // Typed `when` holds the time alone; the routine and zone typed after it are options of their own.
  if (options.when) {
    const free = options.when;
    const when = parseWhen(free);
    const rest = when.ok ? when.rest : [];
    options.when = free.split(/\s+/).slice(0, free.split(/\s+/).length - rest.length).join(' ');
    for (const word of rest) options[routineIds.includes(word) ? 'routine' : 'timezone'] = word;
  }
  return second === undefined ? { sub: first, options } : { group: first, sub: second, options };
}

/** The options as the invoked interaction carries them, for interactionToCommand. */
function invoked(o: ReturnType<typeof slashOptions>): InvokedOption[] {
  const values = Object.entries(o.options).map(([name, value]) => ({ name, type: 3, value }));
  if (!o.sub) return [];
  const sub = { name: o.sub, type: 1, options: values };
  return o.group ? [{ name: o.group, type: 2, options: [sub] }] : [sub];
}

class DiscordMsg implements Msg {
  constructor(
    readonly raw: StoredMessage,
    private readonly emu: DiscordEmulator,
  ) {}
  private get embed() {
    return this.raw.embeds[0] ?? {};
  }
  get title() {
    return this.embed.title ?? '';
  }
  get text() {
    const e = this.embed;
    const parts: string[] = [...(e.description ? String(e.description).split('\n\n') : [])];
    for (const f of e.fields ?? []) parts.push(`${f.name}: ${f.value}`);
    if (e.footer?.text) parts.push(e.footer.text);
    return parts.join('\n');
  }
  get buttons() {
    return buttonsOf(this.raw).map((b) => b.label);
  }
  get buttonIds() {
    return buttonsOf(this.raw).map((b) => b.custom_id);
  }
  get ephemeral() {
    return (this.raw.flags & EPHEMERAL) === EPHEMERAL;
  }
  get visibleTo() {
    if (!this.ephemeral || !this.raw.interactionId) return undefined;
    const p = this.emu.interactions.get(this.raw.interactionId)?.payload;
    return p?.member?.user?.id ?? p?.user?.id;
  }
  get where() {
    return this.raw.channel_id === this.emu.channelId ? ('channel' as const) : ('dm' as const);
  }
  /** Changes after the message was first shown: filling in a deferred answer's placeholder is not one. */
  get edits() {
    return this.raw.history.filter((h) => !h.loading).length;
  }
  async picture(): Promise<ShownPicture | undefined> {
    const url: unknown = this.embed.image?.url;
    const attachments = this.raw.attachments;
    if (url === undefined) {
      // A card without a picture leaves no stray file behind (the edit dropped the old one).
      if (attachments.length) throw new Error(`a message without an embed image carries ${attachments.length} attachment(s)`);
      return undefined;
    }
    // The picture is the message's one attachment, and the embed shows it.
    if (attachments.length !== 1) throw new Error(`a message with a picture carries ${attachments.length} attachments, not 1`);
    const a = attachments[0]!;
    if (url !== `attachment://${a.filename}`) throw new Error(`the embed shows ${String(url)}, the attachment is ${a.filename}`);
    return { name: a.filename, alt: a.description ?? '', bytes: a.bytes, contentType: a.content_type };
  }
}

export class DiscordDriver extends AppDriver implements PlatformDriver {
  readonly name = 'discord' as const;
  readonly says = { notAdmin: 'Admins only', cannotDm: { title: "I can't DM you", mentions: 'Allow direct messages' } };
  readonly maxActionId = 100;
  readonly emu: DiscordEmulator;
  readonly channelId: string;
  readonly workspaceId = DISCORD_WORKSPACE_ID;
  private readonly users = new Map<string, EmuUser & { admin: boolean }>();
  private readonly closed = new Set<string>();
  private readonly views = new WeakMap<StoredMessage, DiscordMsg>();
  private identified = 0;

  protected startEmulator() {
    return this.emu.start();
  }
  protected stopEmulator() {
    return this.emu.stop();
  }
  constructor(private readonly opts: DriverOptions = {}) {
    super();
    this.emu = new DiscordEmulator({ globalRateLimit: opts.rateLimit });
    this.channelId = this.emu.channelId;
  }

  protected env() {
    return { DISCORD_TOKEN: this.emu.token, DISCORD_APPLICATION_ID: this.emu.applicationId, DISCORD_API_URL: this.emu.apiUrl, ...this.opts.env };
  }

  rateLimited(): number {
    return this.emu.globalLimit.limited;
  }
  rateCounted(): number {
    return this.emu.globalLimit.counted;
  }
  openDmFor(user: User): string {
    return this.emu.openDmFor(user.id);
  }
  protected async connected() {
    // createApp built the adapter from DISCORD_*; app.start() resolves once the client is ready.
    this.identified += 1;
    if (this.emu.identifies.length !== this.identified) throw new Error(`expected ${this.identified} IDENTIFY, got ${this.emu.identifies.length}`);
  }
  protected async disconnected() {}

  user(name: string, spec: UserSpec = {}): User {
    const u = { ...this.emu.user(name), admin: Boolean(spec.admin) };
    this.users.set(u.id, u);
    if (spec.dmsClosed) {
      this.emu.closeDms(u.id);
      this.closed.add(u.id);
    }
    return { id: u.id, name };
  }

  private emuUser(u: User) {
    const found = this.users.get(u.id);
    if (!found) throw new Error(`${u.name} was not made by this driver`);
    return { user: found, permissions: found.admin ? PERMISSIONS.manager : PERMISSIONS.member };
  }

  private view(m: StoredMessage): DiscordMsg {
    let v = this.views.get(m);
    if (!v) this.views.set(m, (v = new DiscordMsg(m, this.emu)));
    return v;
  }

  async command(as: User, text: string, opts: CommandOptions = {}): Promise<Msg> {
    return (await this.commandReplies(as, text, 1, opts))[0]!;
  }

  async commandReplies(as: User, text: string, count: number, opts: CommandOptions = {}): Promise<Msg[]> {
    const slash = slashOptions(text, this.app.catalogue.routines.map((r) => r.id));
    // The options reach the core as the same command the text names.
    const expected = parseCommandText(text);
    const got = interactionToCommand('stretch', invoked(slash));
    if (got.name !== expected.name || (got.unknown ?? '') !== (expected.unknown ?? '')) throw new Error(`"${text}" maps to ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`);
    const { user, permissions } = this.emuUser(as);
    const r = await this.settled(await this.emu.slash({ user, ...(opts.in === 'dm' ? { dm: true } : { permissions }), ...slash }));
    if (r.type !== REPLY || !r.message) throw new Error(`expected a reply to /stretch ${text}, got type ${r.type}`);
    const followups = await this.emu.waitFor(() => r.record.followupIds.length >= count - 1 && r.record.followupIds, 3000, `${count - 1} follow-ups`);
    const messages = [r.message, ...followups.slice(0, count - 1).map((id) => this.emu.messages.get(id)!)];
    for (const m of messages) {
      if (m.channel_id !== r.record.channelId) throw new Error('a reply landed in another channel');
      // In a DM everything is private anyway: Discord's DM replies carry no ephemeral flag.
      if (opts.in === 'dm' && m.flags & EPHEMERAL) throw new Error('an ephemeral reply in a DM');
    }
    return messages.map((m) => this.view(m));
  }

  /**
   * An answer with a picture comes as a deferral, then the message as an edit of `@original`
   * (the bot acknowledges before uploading): read it as the reply or update it became.
   */
  private async settled(r: InteractionResult): Promise<InteractionResult> {
    if (r.type !== DEFERRED_REPLY && r.type !== DEFERRED_UPDATE) return r;
    const message = await this.emu.answered(r);
    return { ...r, type: r.type === DEFERRED_UPDATE && message === r.message ? UPDATE : REPLY, message };
  }

  click(as: User, msg: Msg, label: string): Promise<ClickResult> {
    const i = findButton(msg.buttons, label, msg.title);
    return this.clickId(as, msg, msg.buttonIds[i]!);
  }

  async clickId(as: User, msg: Msg, actionId: string): Promise<ClickResult> {
    const message = (msg as DiscordMsg).raw;
    const { user, permissions } = this.emuUser(as);
    const edits = message.history.length;
    const r = await this.settled(await this.emu.click({ user, message, customId: actionId, permissions }));
    if (msg.where === 'dm') {
      // A click in a DM comes with the DM channel and no guild or member.
      const p = r.record.payload;
      if (p.guild_id !== undefined || p.member !== undefined || p.channel.type !== 1) throw new Error('a DM click carried guild data');
    }
    if (r.type === UPDATE) {
      if (r.message?.id !== message.id || message.history.length !== edits + 1) throw new Error('an update that did not change the clicked message once');
      return { updated: true };
    }
    if (r.type === REPLY && r.message && r.message.id !== message.id) {
      if (msg.where === 'channel' && !(r.message.flags & EPHEMERAL)) throw new Error('a click in the channel was answered publicly');
      return { updated: false, reply: this.view(r.message) };
    }
    throw new Error(`unexpected answer to a click: type ${r.type}`);
  }

  dms(user: User): Msg[] {
    return this.emu.dmChannelsOf(user.id).flatMap((id) => this.emu.messagesIn(id).map((m) => this.view(m)));
  }

  forgetDm(user: User): void {
    this.emu.forgetDm(user.id);
  }

  channelPosts(): Msg[] {
    return this.emu
      .messagesIn(this.emu.channelId)
      .filter((m) => !(m.flags & EPHEMERAL))
      .map((m) => this.view(m));
  }

  dmOpens(user: User, mark = 0): number {
    return dmOpensFor(this.emu, user.id).filter((r) => this.emu.requests.indexOf(r) >= mark).length;
  }

  mark(): number {
    return this.emu.requests.length;
  }

  requestsSince(mark: number): Request[] {
    return this.emu.requests.slice(mark).flatMap((r): Request[] => (r.method === 'GET' ? [] : [this.kindOf(r)]));
  }

  private kindOf(r: RecordedRequest): Request {
    {
      if (r.method === 'POST' && r.path === '/users/@me/channels') return 'open dm';
      if (r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) return r.path.includes(this.emu.channelId) ? 'post channel' : 'post dm';
      if (r.method === 'PATCH') return 'update';
      // A deferral only acknowledges: the answer follows as an edit of @original (a PATCH).
      if (/^\/interactions\//.test(r.path)) return r.body?.type === DEFERRED_REPLY || r.body?.type === DEFERRED_UPDATE ? 'ack' : r.body?.type === UPDATE ? 'update' : 'reply';
      if (r.method === 'POST' && /^\/webhooks\//.test(r.path)) return 'reply';
      return `${r.method} ${r.path}`;
    }
  }

  verify(): void {
    // Nothing the bot sent may have been refused the way Discord refuses it (but a closed DM, on purpose).
    // A channel Discord forgot (forgetDm) answers Unknown Channel, on purpose too.
    const onPurpose = (r: RecordedRequest) =>
      (r.response?.code === 50007 && [...this.closed].some((u) => r.path === `/channels/${this.emu.dmChannelOf(u)}/messages`)) ||
      (r.response?.code === 10003 && this.emu.isForgottenDm(r.path.split('/')[2] ?? ''));
    const refused = this.emu.rejections.filter((r) => !onPurpose(r));
    this.emu.rejections.length = 0;
    if (refused.length) throw new Error(`Discord refused: ${refused.map((r) => `${r.method} ${r.path} → ${r.status} ${JSON.stringify(r.response)}`).join('; ')}`);
    // Every interaction was acknowledged once, within Discord's 3 s.
    for (const rec of this.emu.interactions.values()) {
      if (!rec.callback || rec.ackMs! >= ACK_DEADLINE_MS) throw new Error(`interaction ${rec.id} was not answered within ${ACK_DEADLINE_MS} ms`);
    }
  }
}
