/**
 * With Slack OAuth every call first finds its workspace's token (a primary-key read of
 * slack_installations, so an uninstall seen by any replica counts at once). Its cost should
 * not grow with the number of installed workspaces.
 */
import { installationClients } from '../src/adapters/slack/clients.js';
import { boltLogger } from '../src/adapters/slack/bolt-logger.js';
import { createTestCoach, silentLogger } from '../test/support/coach.js';
import { measure, report, RUNS } from './measure.js';

async function lookupMs(workspaces: number, dbPath: string): Promise<number> {
  const t = await createTestCoach({ dbPath });
  const repo = t.storage.slackInstallations;
  for (let i = 0; i < workspaces; i++) {
    const key = `T${String(i).padStart(8, '0')}`;
    await repo.save({ key, teamId: key, isEnterprise: false, botToken: `xoxb-${key}`, botUserId: 'U0BOT', scopes: ['commands'], installerUserId: 'U1', installedAt: 0 });
  }
  const clientFor = installationClients(repo, { logger: boltLogger(silentLogger()) });
  const keys = Array.from({ length: 100 }, (_, i) => `T${String(Math.floor((i * workspaces) / 100)).padStart(8, '0')}`);
  const ms = await measure(RUNS, async () => {
    for (const k of keys) await clientFor(k);
  });
  await t.app.stop();
  return ms / keys.length;
}

export async function benchSlackWorkspaces(dir: string): Promise<void> {
  const few = await lookupMs(10, `${dir}/ws-10.db`);
  const many = await lookupMs(10_000, `${dir}/ws-10k.db`);
  report('Slack client for a workspace, 10 installed (median)', `${(few * 1000).toFixed(0)} µs`);
  report('Slack client for a workspace, 10,000 installed (median)', `${(many * 1000).toFixed(0)} µs`);
  report('  10,000 / 10', `${(many / few).toFixed(2)}×`);
}
