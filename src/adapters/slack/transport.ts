/**
 * The Slack connection: a Bolt App over Socket Mode (default) or HTTP (`/slack/events`), for
 * one workspace (SLACK_BOT_TOKEN) or any workspace that installs it (OAuth).
 * Every handler acks first, then asks the core and delivers its replies; any error is logged
 * with context and answered with a short ephemeral apology.
 */
import type { AddressInfo } from 'node:net';
import { App, ErrorCode, HTTPReceiver, SocketModeReceiver, type CodedError } from '@slack/bolt';
import type { Config } from '../../config.js';
import { notice } from '../../core/card.js';
import type { PostedTag } from '../../core/card.js';
import type { Coach } from '../../core/coach.js';
import type { DmChannelStore, PlatformAdapter } from '../../core/notifier.js';
import type { UserRepo } from '../../core/ports.js';
import type { Logger } from '../../logger.js';
import type { HttpServer } from '../../http/server.js';
import { NO_OBSERVER, type InteractionObserver } from '../shared/observe.js';
import type { PictureSource } from '../shared/pictures.js';
import { boltLogger } from './bolt-logger.js';
import { statusOf } from './busy.js';
import { installationClients } from './clients.js';
import { APOLOGY, createSlackNotifier, deliverReplies, slackDms, slackErrorCode, slackRenderer, type Respond, type SlackApiFor } from './deliver.js';
import type { SlackInstallations } from './installations.js';
import { formNameOf, FORM_CALLBACK_PREFIX, originOf, stateToValues } from './modal.js';
import { createInstaller, INSTALL_PATH, mountInstallRoutes, REDIRECT_PATH, type RemovalReason } from './oauth.js';
import { messageRefOf, parseBlockAction, parseSlashCommand, SLACK_CAPABILITIES } from './parse.js';
import { createProfileCache } from './profile.js';
import { cardsToHomeView, cardToBlockKit } from './render.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** How long stop() waits for the Socket Mode close handshake before moving on. */
const DISCONNECT_TIMEOUT_MS = 5_000;

export interface SlackAdapterOptions {
  config: NonNullable<Config['slack']>;
  coach: Coach;
  logger: Logger;
  /** The bot's one HTTP server (PORT): HTTP mode mounts /slack/events there instead of listening on SLACK_PORT. */
  http?: HttpServer;
  /** Counts and times what this adapter handles. */
  observe?: InteractionObserver;
  /** Where DM channel ids are kept (the app's database); in memory when not given. */
  dmChannels?: DmChannelStore;
  /** Where people's statuses are kept (the app's users); not kept when not given. */
  statuses?: Pick<UserRepo, 'setStatus'>;
  /** Exercise pictures; shown only with `publicUrl`, where the bot serves them for Slack to load. */
  pictures?: PictureSource;
  /** PUBLIC_URL: the address where Slack reaches the bot's HTTP server (images, the OAuth redirect URL). */
  publicUrl?: string;
  /** Where OAuth installations are kept (required with `config.oauth`). */
  installations?: SlackInstallations;
  now?: () => number;
}

export interface SlackAdapter extends PlatformAdapter {
  readonly app: App;
  /** The port HTTP mode listens on once started (useful with port 0); undefined in Socket Mode. */
  readonly port: number | undefined;
}

const UNREADABLE = cardToBlockKit(notice('Sorry', 'I could not read that request from Slack, so nothing changed.', 'warning'));

/** User-controlled strings are clipped before they reach the logs. */
const clip = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, 120) : undefined);
const triggerOf = (body: unknown): string | undefined => {
  const t = (body as { trigger_id?: unknown }).trigger_id;
  return typeof t === 'string' && t.length <= 255 ? t : undefined;
};

export function createSlackAdapter(opts: SlackAdapterOptions): SlackAdapter {
  const { config, coach } = opts;
  // The composition root already binds { platform: 'slack' } to this logger.
  const log = opts.logger;
  const blog = boltLogger(opts.logger);
  const clientOptions = () => (config.apiUrl ? { slackApiUrl: config.apiUrl } : {});

  let socket: SocketModeReceiver | undefined;
  let http: HTTPReceiver | undefined;
  if (config.mode === 'socket') {
    if (!config.appToken) throw new Error('SLACK_APP_TOKEN is required for Slack Socket Mode');
    // The Socket Mode client asks apps.connections.open on the same API base for its websocket URL.
    socket = new SocketModeReceiver({ appToken: config.appToken, logger: blog, installerOptions: { clientOptions: clientOptions() } });
  } else {
    if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required when SLACK_MODE=http');
    http = new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: SLACK_EVENTS_PATH, port: config.port, logger: blog });
    // On the shared server Bolt's receiver only handles requests; it never listens itself.
    if (opts.http) opts.http.route('POST', SLACK_EVENTS_PATH, http.requestListener);
  }
  const mounted = Boolean(http && opts.http);
  const observe = opts.observe ?? NO_OBSERVER;
  const now = opts.now ?? Date.now;

  // OAuth: the install routes on the shared server in either mode, and a token per workspace.
  const { oauth, apiUrl } = config;
  const installations = opts.installations;
  let installer: ReturnType<typeof createInstaller> | undefined;
  if (oauth) {
    if (!installations) throw new Error('Slack OAuth needs a store for installations');
    if (!opts.http) throw new Error('Slack OAuth needs PORT: the bot serves /slack/install and /slack/oauth_redirect on it');
    installer = createInstaller({ oauth, installations, apiUrl, publicUrl: opts.publicUrl, logger: blog, now });
    mountInstallRoutes(
      opts.http,
      installer,
      (i) => log.info({ team: i.team?.id, enterprise: i.enterprise?.id, installer: i.user.id }, 'slack: app installed in a workspace'),
      (err) => log.warn({ code: err.code, reason: err.message }, 'slack: an install did not finish'),
    );
  }

  const app = new App({
    token: config.botToken,
    // Bolt asks this for each request's workspace token; its per-request `client` uses it.
    ...(installer ? { authorize: (source) => installer.authorize(source) } : {}),
    receiver: socket ?? http,
    clientOptions: clientOptions(),
    logger: blog,
    // auth.test runs in start() (app.init), so a bad token fails start-up instead of the first click.
    deferInitialization: true,
    // The error handler gets the request body too (to answer through its response_url).
    extendedErrorHandler: true,
  });
  const apiFor: SlackApiFor = installations && oauth ? installationClients(installations, { apiUrl, logger: blog }) : async () => app.client;
  const dms = slackDms(apiFor, opts.dmChannels, config.rateLimit);
  const statuses = opts.statuses;
  const profiles = createProfileCache({
    apiFor,
    adminUserIds: config.adminUserIds,
    logger: log,
    ...(statuses ? { onStatus: (workspaceId, userId, status) => statuses.setStatus({ platform: 'slack', workspaceId, userId }, status, now()) } : {}),
  });
  const render = slackRenderer(opts.pictures, opts.publicUrl);
  const notifier = createSlackNotifier(
    apiFor,
    dms,
    render,
    (err) => log.info({ slackError: slackErrorCode(err) }, 'slack: could not check for an earlier attempt of a delivery; sending it (again)'),
    // Fresh, not cached: the person's row exists from this moment, so their status can be kept.
    (workspaceId, userId) => profiles.refresh(workspaceId, userId),
  );

  /**
   * Shared by slash commands and clicks: ack first (Slack's 3 s), then the work. `work`
   * returns false for a payload it could not read; errors are logged and apologised for.
   */
  async function serve(
    ack: () => Promise<void>,
    respond: Respond | undefined,
    context: Record<string, unknown>,
    kind: 'slash command' | 'button click',
    work: () => Promise<boolean>,
  ): Promise<void> {
    const arrived = performance.now();
    const metricKind = kind === 'slash command' ? 'command' : 'action';
    try {
      await ack();
      observe.acknowledged('slack', (performance.now() - arrived) / 1000);
    } catch (err) {
      // Keep going: the reply can still reach the user through the response_url.
      log.warn({ err, ...context }, 'slack ack failed');
    }
    const clicked = kind === 'button click' ? { replace_original: false } : {};
    try {
      const handled = await work();
      observe.handled('slack', metricKind, handled ? 'ok' : 'failed');
      if (handled) return;
      log.warn(context, kind === 'slash command' ? 'slack slash command without team, user or channel ignored' : 'slack block action without user, team, channel or action id ignored');
      await respond?.({ response_type: 'ephemeral', ...clicked, ...UNREADABLE });
    } catch (err) {
      observe.handled('slack', metricKind, 'failed');
      log.error({ err, ...context, slackError: slackErrorCode(err) }, kind === 'slash command' ? 'slack command failed' : 'slack button click failed');
      try {
        await respond?.({ response_type: 'ephemeral', ...clicked, ...APOLOGY });
      } catch (apologyErr) {
        log.warn({ err: apologyErr, ...context }, 'slack apology could not be delivered');
      }
    }
  }

  /** Where a tagged reply was posted goes to the coach; a failure there only costs edits before the first click. */
  const remember = (workspaceId: string) => (tag: PostedTag, messageRef: string) =>
    coach.messagePosted('slack', workspaceId, tag, messageRef).catch((err: unknown) => log.warn({ err, team: workspaceId, [tag.kind]: tag.id }, 'could not remember where a message was posted'));

  app.command(/.*/, async ({ ack, body, respond, client }) => {
    const context: Record<string, unknown> = { team: clip(body.team_id), user: clip(body.user_id), channel: clip(body.channel_id), command: clip(body.command) };
    const reply = respond as unknown as Respond | undefined;
    await serve(() => ack(), reply, context, 'slash command', async () => {
      const input = parseSlashCommand(body);
      if (!input) return false;
      context.subcommand = input.command.name;
      const replies = await coach.handleCommand({ ...input, profile: () => profiles.get(input.workspaceId, input.userId) });
      await deliverReplies(replies, { api: client, dms, render, respond: reply, triggerId: triggerOf(body), posted: remember(input.workspaceId), ...input });
      return true;
    });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, respond, client }) => {
    const raw = body as unknown as { team?: { id?: unknown }; user?: { id?: unknown }; actions?: { action_id?: unknown }[] };
    const context = { team: clip(raw.team?.id), user: clip(raw.user?.id), action: clip(raw.actions?.[0]?.action_id) };
    const reply = respond as unknown as Respond | undefined;
    await serve(() => ack(), reply, context, 'button click', async () => {
      const parsed = parseBlockAction(body);
      if (!parsed) return false;
      const { action, message, fromHome } = parsed;
      const replies = await coach.handleAction({ ...action, messageRef: messageRefOf(message), profile: () => profiles.get(action.workspaceId, action.userId) });
      if (!fromHome) {
        await deliverReplies(replies, { api: client, dms, render, respond: reply, clicked: message, triggerId: triggerOf(body), posted: remember(action.workspaceId), ...action });
        return true;
      }
      // On Home the refreshed view is the answer; only what goes elsewhere (a DM, a form) is delivered.
      await deliverReplies(replies.filter((r) => r.target === 'dm' || r.target === 'form'), { api: client, dms, render, triggerId: triggerOf(body), ...action });
      await publishHome(action.workspaceId, action.userId);
      return true;
    });
  });

  async function publishHome(workspaceId: string, userId: string): Promise<void> {
    const cards = await coach.home({ platform: 'slack', workspaceId, userId, profile: () => profiles.get(workspaceId, userId) });
    await (await apiFor(workspaceId)).views.publish({ user_id: userId, view: cardsToHomeView(cards) as never });
  }

  app.event('app_home_opened', async ({ event, body }) => {
    const workspaceId = clip((body as { team_id?: unknown }).team_id);
    const userId = clip(event.user);
    if (event.tab !== 'home' || !workspaceId || !userId) return;
    try {
      await publishHome(workspaceId, userId);
    } catch (err) {
      log.error({ err, team: workspaceId, user: userId, slackError: slackErrorCode(err) }, 'slack home tab could not be published');
    }
  });

  // Every profile change in the workspace: the status of anyone the bot knows is kept, so a
  // break prompt can wait for their meeting to end without asking Slack per DM.
  app.event('user_change', async ({ event, body }) => {
    const workspaceId = clip((body as { team_id?: unknown }).team_id);
    const userId = clip(event.user?.id);
    if (!statuses || !workspaceId || !userId) return;
    try {
      await statuses.setStatus({ platform: 'slack', workspaceId, userId }, statusOf(event.user.profile), now());
    } catch (err) {
      log.warn({ err, team: workspaceId, user: userId }, 'slack: could not store a status change');
    }
  });

  // A form submitted: problems go back next to their fields (nothing is stored); a valid form
  // runs its command and the confirmation goes to the conversation the form was opened from.
  app.view({ type: 'view_submission', callback_id: new RegExp(`^${FORM_CALLBACK_PREFIX}`) }, async ({ ack, body, view, client }) => {
    const form = formNameOf(view.callback_id);
    const origin = originOf(view.private_metadata);
    const userId = clip(body.user?.id);
    const workspaceId = clip(body.team?.id ?? body.user?.team_id);
    const context = { team: workspaceId, user: userId, form };
    if (!form || !origin || !userId || !workspaceId) {
      log.warn(context, 'slack form submission without form, origin, user or team ignored');
      await ack();
      return;
    }
    const who = { platform: 'slack', workspaceId, userId, channelId: origin.channelId, isDm: origin.isDm, caps: SLACK_CAPABILITIES };
    const profile = () => profiles.get(workspaceId, userId);
    try {
      const outcome = await coach.handleForm({ ...who, profile, form, values: stateToValues(view.state) });
      observe.handled('slack', 'action', 'ok');
      if (!outcome.ok) {
        await ack({ response_action: 'errors', errors: outcome.errors });
        return;
      }
      await ack();
      await deliverReplies(outcome.replies, { api: client, dms, render, ...who });
      if (!origin.channelId) await publishHome(workspaceId, userId);
    } catch (err) {
      observe.handled('slack', 'action', 'failed');
      log.error({ err, ...context, slackError: slackErrorCode(err) }, 'slack form submission failed');
    }
  });

  if (oauth && installations) {
    // Bolt lets these two through without a token: the workspace's token is already gone.
    const remove = async (teamId: string | undefined, reason: RemovalReason) => {
      if (!teamId) return log.warn({ reason }, 'slack: removal event without a team id ignored');
      const done = await installations.remove(teamId, reason, now());
      log.info({ team: clip(teamId), reason, ...done }, 'slack: installation removed');
    };
    app.event('app_uninstalled', async ({ body }) => remove(body.team_id, 'app_uninstalled'));
    app.event('tokens_revoked', async ({ event, body }) => {
      // Only the bot token runs the coach; a revoked user token changes nothing.
      if (event.tokens.bot?.length) await remove(body.team_id, 'tokens_revoked');
    });
  }

  app.error(async ({ error, body }: { error: CodedError; body: unknown }) => {
    const responseUrl = (body as { response_url?: unknown } | undefined)?.response_url;
    // With OAuth, a workspace without an installation (removed, or never finished) has no
    // token; its people still get a private answer through the response_url, which needs none.
    if (oauth && error.code === ErrorCode.AuthorizationError) {
      log.warn({ team: clip((body as { team_id?: unknown; team?: { id?: unknown } }).team_id ?? (body as { team?: { id?: unknown } }).team?.id) }, 'slack: request from a workspace without an installation');
      if (typeof responseUrl === 'string') await answerUninstalled(responseUrl).catch((err: unknown) => log.warn({ err }, 'slack: could not answer a workspace without an installation'));
      return;
    }
    log.error({ err: error, code: error.code }, 'slack: error outside a handler');
  });

  const notInstalled = cardToBlockKit(
    notice(
      'Not installed here',
      `Stretch Coach is not installed in this Slack workspace any more, so nothing happened. A workspace admin can add it again${opts.publicUrl ? ` at ${opts.publicUrl}${INSTALL_PATH}` : ''}.`,
      'warning',
    ),
  );
  async function answerUninstalled(responseUrl: string): Promise<void> {
    await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', ...notInstalled }) });
  }

  let started = false;
  let port: number | undefined;

  return {
    name: 'slack',
    app,
    notifier,
    get port() {
      return port;
    },

    async start() {
      try {
        await app.init();
      } catch (err) {
        const code = slackErrorCode(err);
        throw new Error(
          code ? `Slack rejected SLACK_BOT_TOKEN (auth.test: ${code}). Check the bot token in .env.` : `Could not reach Slack: ${(err as Error).message}`,
        );
      }
      let server: unknown;
      try {
        // Mounted on the shared server: there is nothing of Bolt's own to start.
        if (!mounted) server = await app.start();
      } catch (err) {
        const code = slackErrorCode(err);
        if (code && socket) throw new Error(`Slack rejected SLACK_APP_TOKEN (apps.connections.open: ${code}). It needs the connections:write scope.`);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`SLACK_PORT ${config.port} is already in use; pick another port.`);
        throw err;
      }
      started = true;
      if (http && !mounted) {
        const address = (server as { address?: () => AddressInfo | string | null }).address?.();
        port = typeof address === 'object' && address ? address.port : config.port;
      }
      log.info(
        { mode: config.mode, ...(http ? { port, path: SLACK_EVENTS_PATH } : {}), ...(oauth ? { install: INSTALL_PATH, redirect: REDIRECT_PATH } : {}) },
        'slack adapter started',
      );
    },

    async stop() {
      if (!started) return;
      started = false;
      if (socket) {
        // app.stop() only starts the close handshake; wait for it so no socket or timer outlives stop().
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          socket.client.disconnect(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, DISCONNECT_TIMEOUT_MS);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
      } else if (!mounted) {
        await app.stop();
      }
      log.info('slack adapter stopped');
    },
  };
}
