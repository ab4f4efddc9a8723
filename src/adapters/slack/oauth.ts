/**
 * Installing the app into any Slack workspace (OAuth v2) with @slack/oauth's InstallProvider,
 * the same provider Bolt builds for its own receivers. Built here rather than by a receiver so
 * Socket Mode and HTTP mode serve `/slack/install` and `/slack/oauth_redirect` the same way,
 * on the bot's one HTTP server; installations live in the bot's database.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InstallProvider, type CodedError, type Installation, type InstallationQuery, type InstallationStore, type Logger as SlackLogger } from '@slack/oauth';
import type { HttpServer } from '../../http/server.js';
import type { SlackInstallations } from './installations.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The bot scopes every install asks for; slack-manifest.yml lists the same (a test checks). */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'im:write', 'im:history', 'users:read', 'dnd:read'];

/** Why a workspace's installation was removed, as outbox rows record it. */
export type RemovalReason = 'app_uninstalled' | 'tokens_revoked';

/** The key an installation is stored under: the enterprise for an org-wide install, else the team. */
const keyOf = (q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string | undefined =>
  q.isEnterpriseInstall ? q.enterpriseId : q.teamId;

/** Bolt's InstallationStore over the bot's database. */
export function databaseInstallationStore(installations: SlackInstallations, now: () => number): InstallationStore {
  return {
    async storeInstallation(i) {
      const key = keyOf({ isEnterpriseInstall: i.isEnterpriseInstall, enterpriseId: i.enterprise?.id, teamId: i.team?.id });
      // The manifest asks for bot scopes only; an install without a bot has nothing to run.
      if (!key || !i.bot) throw new Error('Slack returned an installation without a workspace or bot token');
      await installations.save({
        key,
        teamId: i.team?.id,
        teamName: i.team?.name,
        enterpriseId: i.enterprise?.id,
        isEnterprise: Boolean(i.isEnterpriseInstall),
        botToken: i.bot.token,
        botId: i.bot.id,
        botUserId: i.bot.userId,
        scopes: i.bot.scopes,
        installerUserId: i.user.id,
        installedAt: now(),
      });
    },
    async fetchInstallation(q: InstallationQuery<boolean>): Promise<Installation> {
      const key = keyOf(q);
      const rec = key ? await installations.find(key) : undefined;
      if (!rec) throw new Error(`Slack workspace ${key ?? '(none)'} has not installed the app`);
      return {
        team: rec.teamId ? { id: rec.teamId, name: rec.teamName } : undefined,
        enterprise: rec.enterpriseId ? { id: rec.enterpriseId } : undefined,
        bot: { token: rec.botToken, id: rec.botId ?? '', userId: rec.botUserId, scopes: rec.scopes },
        user: { id: rec.installerUserId, token: undefined, scopes: undefined },
        isEnterpriseInstall: rec.isEnterprise,
        authVersion: 'v2',
      } as Installation;
    },
    async deleteInstallation(q) {
      const key = keyOf(q);
      if (key) await installations.remove(key, 'app_uninstalled', now());
    },
  };
}

export interface InstallerOptions {
  oauth: { clientId: string; clientSecret: string; stateSecret: string };
  installations: SlackInstallations;
  /** SLACK_API_URL; also where oauth.v2.access goes and where the authorize page is. */
  apiUrl?: string;
  /** PUBLIC_URL: when set, the redirect URL is named explicitly (required if the app lists several). */
  publicUrl?: string;
  logger: SlackLogger;
  now?: () => number;
}

export function createInstaller(opts: InstallerOptions): InstallProvider {
  const api = opts.apiUrl ?? 'https://slack.com/api/';
  return new InstallProvider({
    clientId: opts.oauth.clientId,
    clientSecret: opts.oauth.clientSecret,
    stateSecret: opts.oauth.stateSecret,
    installationStore: databaseInstallationStore(opts.installations, opts.now ?? Date.now),
    // Slack's authorize page sits beside its API (https://slack.com/oauth/v2/authorize), so one
    // SLACK_API_URL moves both.
    authorizationUrl: new URL('/oauth/v2/authorize', api).href,
    clientOptions: { slackApiUrl: api },
    directInstall: true,
    installUrlOptions: { scopes: SLACK_BOT_SCOPES, ...(opts.publicUrl ? { redirectUri: `${opts.publicUrl}${REDIRECT_PATH}` } : {}) },
    logger: opts.logger,
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5"><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

/** What the installing person is told for each way the flow can fail, and the HTTP status. */
function failureText(err: CodedError): { status: number; text: string } {
  switch (err.code) {
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_state':
      return { status: 400, text: 'This install link has expired or was not started here (installs must finish within 10 minutes, in the same browser).' };
    case 'slack_oauth_installer_authorization_error':
      return { status: 403, text: 'The install was cancelled in Slack, so nothing was installed.' };
    case 'slack_oauth_missing_code':
      return { status: 400, text: 'Slack did not send an install code with this request.' };
    default:
      return { status: 502, text: 'Slack refused the install or could not be reached.' };
  }
}

/** Serves the two OAuth routes on the bot's HTTP server. */
export function mountInstallRoutes(http: HttpServer, installer: InstallProvider, onInstalled: (i: Installation) => void, onFailed: (err: CodedError) => void): void {
  http.route('GET', INSTALL_PATH, (req: IncomingMessage, res: ServerResponse) => installer.handleInstallPath(req, res));
  http.route('GET', REDIRECT_PATH, (req: IncomingMessage, res: ServerResponse) =>
    installer.handleCallback(req, res, {
      success(installation, _options, _req, res) {
        onInstalled(installation as Installation);
        const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
        page(res, 200, 'Stretch Coach is installed', `<p>Stretch Coach is now in <strong>${escapeHtml(where)}</strong>.</p>` +
          '<p>Next: open Slack and type <code>/stretch</code> in any channel to take a guided break, or <code>/stretch help</code> to see everything. ' +
          'Admins can post team break prompts with <code>/stretch schedule add weekdays 10:30</code>.</p>');
      },
      failure(err, _options, _req, res) {
        onFailed(err);
        const { status, text } = failureText(err);
        page(res, status, 'Stretch Coach was not installed', `<p>${escapeHtml(text)}</p><p><a href="${INSTALL_PATH}">Start the install again</a>.</p>`);
      },
    }),
  );
}
