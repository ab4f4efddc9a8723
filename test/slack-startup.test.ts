/**
 * Start-up as `npm start` does it: environment → config → createApp → Slack adapter, against
 * the local emulator through SLACK_API_URL; and the messages that stop a bad start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../src/adapters/slack/transport.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { APP_TOKEN, BOT_TOKEN, headerOf, SlackEmulator } from './emulators/slack-emulator.js';
import { createTestCoach, silentLogger } from './support/coach.js';
import { readManifest, slackFlows } from './support/slack.js';

let emu: SlackEmulator;
const { ephemeralReply } = slackFlows(() => emu);

beforeAll(async () => {
  emu = new SlackEmulator();
  await emu.start();
});

afterAll(async () => {
  await emu?.stop();
});

describe('Slack start-up', () => {
  it('starts the Slack adapter from SLACK_* variables (Socket Mode by default) and stops it cleanly', async () => {
    const tc = await createTestCoach({ env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: emu.apiUrl } });
    try {
      expect(tc.app.adapters.map((a) => a.name)).toEqual(['slack']);
      await tc.app.start();
      await emu.waitForConnection();
      expect(headerOf(await ephemeralReply('list'))).toBe('Routines');
    } finally {
      await tc.app.stop();
    }
    await emu.waitFor(() => (emu.openSockets === 0 ? true : undefined), 5_000, 'the socket to close');
  });

  it('ships a manifest with /stretch, interactivity, Socket Mode and the bot scopes', () => {
    const m = readManifest();
    expect(m.display_information.name).toBe('Stretch Coach');
    expect(m.features.bot_user?.display_name).toBe('Stretch Coach');
    expect(m.features.slash_commands).toEqual([expect.objectContaining({ command: '/stretch', should_escape: false, usage_hint: expect.stringContaining('routine') })]);
    expect(m.features.app_home?.messages_tab_enabled).toBe(true);
    expect(m.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
    // Which scopes are needed is proven by slack-adapter.test.ts against the emulator.
    expect(m.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'chat:write.public', 'im:write', 'im:history', 'users:read', 'dnd:read']);
  });

  it('stops with a message naming the variable when SLACK_* settings are missing or inconsistent', () => {
    const fails = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fails({ SLACK_BOT_TOKEN: BOT_TOKEN })).toMatch(/^Config error: SLACK_APP_TOKEN /);
    expect(fails({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_MODE: 'http' })).toMatch(/^Config error: SLACK_SIGNING_SECRET /);
    expect(fails({ SLACK_APP_TOKEN: APP_TOKEN })).toMatch(/^Config error: SLACK_BOT_TOKEN /);
    expect(fails({ SLACK_BOT_TOKEN: 'not-a-bot-token', SLACK_APP_TOKEN: APP_TOKEN })).toMatch(/^Config error: SLACK_BOT_TOKEN .*xoxb-/);
    expect(fails({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_MODE: 'websocket' })).toMatch(/^Config error: SLACK_MODE /);
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({ mode: 'http', port: 3000 });
  });

  it('refuses to start with a bot token Slack rejects, and says which token', async () => {
    const tc = await createTestCoach();
    const adapter = createSlackAdapter({
      config: { botToken: 'xoxb-revoked', appToken: APP_TOKEN, mode: 'socket', port: 3000, apiUrl: emu.apiUrl, adminUserIds: [] },
      coach: tc.coach,
      logger: silentLogger(),
    });
    await expect(adapter.start()).rejects.toThrow('Slack rejected SLACK_BOT_TOKEN (auth.test: invalid_auth)');
    await adapter.stop();
    await tc.app.stop();
  });

  it('refuses to start with an app token Slack rejects, without retrying forever', async () => {
    const tc = await createTestCoach();
    const before = emu.connections;
    const adapter = createSlackAdapter({
      config: { botToken: BOT_TOKEN, appToken: 'xapp-revoked', mode: 'socket', port: 3000, apiUrl: emu.apiUrl, adminUserIds: [] },
      coach: tc.coach,
      logger: silentLogger(),
    });
    await expect(adapter.start()).rejects.toThrow('Slack rejected SLACK_APP_TOKEN (apps.connections.open: invalid_auth)');
    await adapter.stop();
    await tc.app.stop();
    expect(emu.connections).toBe(before);
  });
});
