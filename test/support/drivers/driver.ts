/**
 * One adapter test suite, two platforms: a PlatformDriver runs the real app (createApp, as
 * the composition root builds it from environment variables) against a platform's local
 * emulator and lets a scenario act as a person would: type `/stretch …`, click a button by its
 * label, read a message, read DMs and channel posts. Scenarios in test/adapters-*.test.ts are
 * written once over this interface and run on every driver.
 *
 * Each driver also checks the platform's protocol on every step (a click that updates really
 * edits the clicked message; a private reply really is private to the clicker; nothing the bot
 * sent was refused), so a shared scenario asserts at least what the per-platform tests did.
 */
import { sql } from 'kysely';
import { vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../../src/app.js';
import { createTestCoach, FakeClock, type TestCoach } from '../coach.js';

export type PlatformName = 'slack' | 'discord';
/** A conversation: the team channel the emulator provides, or the user's DM with the bot. */
export type Where = 'channel' | 'dm';

export interface User {
  readonly id: string;
  readonly name: string;
}

export interface UserSpec {
  /** May change channel schedules (Slack workspace admin; Discord Manage Server). */
  admin?: boolean;
  /** The platform refuses to let the bot DM this user. */
  dmsClosed?: boolean;
}

/** A platform-neutral, live view of one message the bot sent (it follows later edits). */
export interface Msg {
  readonly title: string;
  /** Everything visible except the title and the buttons, one paragraph a line, unescaped. */
  readonly text: string;
  readonly buttons: string[];
  /** The action id behind each button (the core's compact ids, the same on every platform). */
  readonly buttonIds: string[];
  /** Only one person sees it. */
  readonly ephemeral: boolean;
  /** Who sees it, when ephemeral. */
  readonly visibleTo: string | undefined;
  readonly where: Where;
  /** How many times it has been changed in place. */
  readonly edits: number;
  /** The emulator's own record, for platform-only assertions. */
  readonly raw: unknown;
  /**
   * The picture the message shows, fetched the way the platform gets it (Discord: the message's
   * attachment its embed names; Slack: the image block's URL, from the bot's HTTP server).
   */
  picture(): Promise<ShownPicture | undefined>;
}

export interface ShownPicture {
  /** File name: the attachment's name, or the last part of the image URL. */
  name: string;
  alt: string;
  bytes: Buffer;
  contentType: string;
}

export interface ClickResult {
  /** The clicked message was changed in place (and nothing else was answered). */
  updated: boolean;
  /** A new message only the clicker sees. */
  reply?: Msg;
}

export interface CommandOptions {
  /** Where the command is typed: the team channel (default) or the user's DM with the bot. */
  in?: Where;
}

/** Kinds of request the bot made, in order, for "nothing else went over the wire" checks. */
/** `ack`: an acknowledgement whose answer follows as an edit (Discord, before uploading a picture). */
export type Request = 'open dm' | 'post channel' | 'post dm' | 'update' | 'reply' | 'ack' | (string & {});

/** How a driver sets up its emulator and the bot. */
export interface DriverOptions {
  /** The emulator's global limit, requests per second. */
  rateLimit?: number;
  /** More variables for the bot (e.g. its own rate limit). */
  env?: Record<string, string>;
}

export interface PlatformDriver {
  readonly name: PlatformName;
  /** The app as currently running (a new one after restart()). */
  readonly app: App;
  readonly clock: FakeClock;
  /** The team channel commands are typed in, and the workspace the core files it under. */
  readonly channelId: string;
  readonly workspaceId: string;
  /** Words that are the platform's own, not the core's. */
  readonly says: { notAdmin: string; cannotDm: { title: string; mentions: string } };
  /** The longest action id the platform lets a button carry. */
  readonly maxActionId: number;

  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the app and builds a new one on the same database, as a process restart would. */
  restart(): Promise<void>;

  user(name: string, spec?: UserSpec): User;

  /** `/stretch <text>` typed by `as`; resolves with its first reply in that conversation. */
  command(as: User, text: string, opts?: CommandOptions): Promise<Msg>;
  /** The same, for a command that answers with `count` messages there; in the order sent. */
  commandReplies(as: User, text: string, count: number, opts?: CommandOptions): Promise<Msg[]>;
  /** Clicks the button with this label (exactly, or else the first that starts with it). */
  click(as: User, msg: Msg, label: string): Promise<ClickResult>;
  /** Clicks a button carrying this action id (forged or stale) on the message. */
  clickId(as: User, msg: Msg, actionId: string): Promise<ClickResult>;

  /** The bot's messages in this user's DM with it, oldest first. */
  dms(user: User): Msg[];
  /** Messages everyone in the team channel sees, oldest first. */
  channelPosts(): Msg[];
  /** The platform forgets the bot's DM channel with this user (its id stops working). */
  forgetDm(user: User): void;
  /** Requests the emulator answered 429 because of its rate limit, and requests it counted. */
  rateLimited(): number;
  rateCounted(): number;
  /** The user's DM channel, as if the bot had opened it before (benchmark seeding). */
  openDmFor(user: User): string;
  /** Times the bot opened a DM channel with this user since `mark`. */
  dmOpens(user: User, mark?: number): number;
  /** A position in the request log. */
  mark(): number;
  requestsSince(mark: number): Request[];
  /** Platform checks after each test: nothing the bot sent was refused, every interaction answered in time. */
  verify(): void;
}

/** Tuesday 24 Nov 2026, 09:00 UTC (10:00 in Berlin). */
export const START_MS = Date.UTC(2026, 10, 24, 9, 0, 0);

/** The button with this label, or else the first whose label starts with it. */
export function findButton(labels: readonly string[], label: string, title: string): number {
  let i = labels.indexOf(label);
  if (i < 0) i = labels.findIndex((l) => l.startsWith(label));
  if (i < 0) throw new Error(`no "${label}" button on "${title}"; it has: ${labels.join(', ')}`);
  return i;
}

/**
 * The lifecycle both drivers share: a temp-file database (so a restart keeps it), a fake
 * clock, the real app built by createTestCoach from the platform's environment variables.
 */
export abstract class AppDriver {
  readonly clock = new FakeClock(START_MS);
  private readonly dir = mkdtempSync(join(tmpdir(), 'stretch-driver-'));
  private tc: TestCoach | undefined;

  get app(): App {
    if (!this.tc) throw new Error('driver not started');
    return this.tc.app;
  }

  protected abstract startEmulator(): Promise<void>;
  protected abstract stopEmulator(): Promise<void>;
  /** The environment variables that point the app at the emulator. */
  protected abstract env(): Record<string, string>;
  /** Resolves once the freshly started app is connected to the emulator. */
  protected abstract connected(): Promise<void>;
  /** Resolves once the stopped app has let go of the emulator. */
  protected abstract disconnected(): Promise<void>;

  async start(): Promise<void> {
    await this.startEmulator();
    await this.boot();
  }

  private async boot(): Promise<void> {
    this.tc = await createTestCoach({ dbPath: join(this.dir, 'stretch.db'), clock: this.clock, env: this.env() });
    await this.tc.app.start();
    await this.connected();
  }

  async restart(): Promise<void> {
    await this.app.stop();
    await this.disconnected();
    await this.boot();
  }

  async stop(): Promise<void> {
    try {
      await this.tc?.app.stop();
    } finally {
      this.tc = undefined;
      await this.stopEmulator();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** What the timers would do at the current fake time: the minute sweep, then the outbox. */
export async function tick(d: PlatformDriver) {
  const swept = await d.app.firing.sweep();
  const drained = await d.app.outbox.drain();
  return { swept, drained };
}

/** The one way the adapter suite reads the database directly; `?` marks a bound value. Keep such peeks rare. */
export async function peek<T = Record<string, unknown>>(app: App, query: string, ...params: unknown[]): Promise<T[]> {
  const parts = query.split('?');
  const bound = sql.join(parts.flatMap((part, i) => (i < params.length ? [sql.raw(part), sql.val(params[i])] : [sql.raw(part)])), sql.raw(''));
  return (await bound.execute(app.storage.db)).rows as T[];
}

/**
 * Waits until the team channel's live group knows where its message is: the bot stores that
 * right after posting it, which may be just after a scenario saw the post.
 */
export async function groupMessageKnown(d: PlatformDriver): Promise<void> {
  await vi.waitFor(async () => {
    const [live] = await peek<{ message_ref: string | null }>(d.app, "select message_ref from group_sessions where channel_id = ? and status = 'live'", d.channelId);
    if (!live?.message_ref) throw new Error('the live group does not know its message yet');
  });
}
