/** Shared set-up for the Slack adapter tests: manifest, a log sink, and small flow helpers. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { createLogger, type Logger } from '../../src/logger.js';
import type { EmulatedMessage, EmulatedTeam, LogEntry, SlackEmulator } from '../emulators/slack-emulator.js';

export const MANIFEST_PATH = resolve(import.meta.dirname, '../../slack-manifest.yml');

export interface SlackManifest {
  display_information: { name: string };
  features: {
    bot_user?: { display_name: string };
    slash_commands?: { command: string; usage_hint?: string; should_escape?: boolean; url?: string }[];
    app_home?: { messages_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity?: { is_enabled: boolean }; socket_mode_enabled?: boolean };
}

export const readManifest = (): SlackManifest => parseYaml(readFileSync(MANIFEST_PATH, 'utf8')) as SlackManifest;

/** A pino logger (at debug, so Bolt's own logs are included) whose lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[]; raw: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  return {
    logger,
    get lines() {
      return chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    raw: () => chunks.join(''),
  };
}

export type RespondEntry = Extract<LogEntry, { kind: 'respond' }>;
export type ApiEntry = Extract<LogEntry, { kind: 'api' }>;

/** Flow helpers: each sends something the way Slack would and waits for what the bot did about it. */
export function slackFlows(emu: () => SlackEmulator) {
  const responded = (since: number, pred: (e: RespondEntry) => boolean = () => true) =>
    emu().waitForEntry<RespondEntry>(since, (e) => e.kind === 'respond' && pred(e), 'a response_url POST');

  return {
    responded,
    /** `/stretch <text>`; resolves (after the ack) with the log position before it. */
    async command(text: string, opts: { user?: string; channel?: string } = {}): Promise<number> {
      const since = emu().seq;
      await emu().sendSlashCommand({ text, ...opts });
      return since;
    },
    /** `/stretch <text>` answered with a new ephemeral message; returns that message. */
    async ephemeralReply(text: string, opts: { user?: string; channel?: string } = {}): Promise<EmulatedMessage> {
      const since = emu().seq;
      await emu().sendSlashCommand({ text, ...opts });
      const e = await responded(since);
      if (e.status !== 200 || e.body.response_type !== 'ephemeral' || !e.message) throw new Error(`expected an ephemeral reply, got ${JSON.stringify(e)}`);
      return e.message;
    },
  };
}

/** Slack's request signature headers for an HTTP-mode request body. */
export function signedHeaders(body: string, secret: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature };
}

/** A slash command's body as Slack posts it over HTTP. */
export const formOf = (payload: Record<string, unknown>) => new URLSearchParams(payload as Record<string, string>).toString();
/** A block action's body as Slack posts it over HTTP. */
export const interactiveForm = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** POSTs a form body to a Slack HTTP-mode endpoint, signed with `secret` (or with the given headers). */
export function postSigned(url: string, body: string, secret: string, headers?: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(headers ?? signedHeaders(body, secret)) },
    body,
  });
}

/**
 * A browser installing the app: opens `base`/slack/install, approves (or cancels) on Slack's
 * page for `team`, follows the redirect back with the state cookie. Returns the final page.
 */
export async function installThroughBrowser(emu: SlackEmulator, base: string, team: EmulatedTeam, opts: { deny?: boolean; finishAt?: string } = {}): Promise<{ status: number; html: string }> {
  const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`/slack/install answered ${start.status}`);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const back = new URL(emu.authorize(start.headers.get('location')!, { team, deny: opts.deny }));
  // Behind a load balancer the redirect may reach another replica.
  const finish = opts.finishAt ? `${opts.finishAt}${back.pathname}${back.search}` : back.href;
  const done = await fetch(finish, { headers: { cookie } });
  return { status: done.status, html: await done.text() };
}
