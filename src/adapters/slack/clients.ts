/**
 * With OAuth every workspace has its own bot token: the client for a workspace comes from its
 * stored installation, looked up on every use so an uninstall seen by another replica counts at
 * once. Clients are kept per token, so a reinstall (new token) gets a new client.
 */
import { WebClient, type Logger as SlackLogger } from '@slack/web-api';
import { DeliveryError } from '../../core/notifier.js';
import type { SlackApiFor } from './deliver.js';
import type { SlackInstallations } from './installations.js';

/** Enough for every workspace a deployment serves; the oldest client goes first beyond it. */
const MAX_CLIENTS = 10_000;

export function installationClients(installations: SlackInstallations, opts: { apiUrl?: string; logger: SlackLogger }): SlackApiFor {
  const clients = new Map<string, WebClient>();
  return async (workspaceId) => {
    const installation = await installations.find(workspaceId);
    // Permanent: nothing can reach a workspace that removed the app until it installs it again.
    if (!installation) throw new DeliveryError(`the app is not installed in Slack workspace ${workspaceId}`, true);
    const token = installation.botToken;
    let client = clients.get(token);
    if (!client) {
      if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
      client = new WebClient(token, { logger: opts.logger, ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}) });
      clients.set(token, client);
    }
    return client;
  };
}
