import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const err = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a config error');
};

describe('config', () => {
  it('has working defaults with nothing set (terminal coach)', () => {
    expect(loadConfig({})).toEqual({
      databasePath: './data/stretch.db',
      databaseUrl: undefined,
      port: undefined,
      publicUrl: undefined,
      contentDir: './content',
      picturesDir: './data/pictures',
      defaultTimezone: 'UTC',
      logLevel: undefined,
      catchUpMinutes: 10,
      slack: undefined,
      discord: undefined,
    });
  });

  it('names the variable and what it accepts, never the value', () => {
    expect(err({ DEFAULT_TIMEZONE: 'Mars/Base' })).toMatch(/^Config error: DEFAULT_TIMEZONE must be an IANA time zone/);
    expect(err({ LOG_LEVEL: 'loud' })).toMatch(/^Config error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(err({ CATCH_UP_MINUTES: '-3' })).toMatch(/^Config error: CATCH_UP_MINUTES must be a whole number from 0 to 1440/);
    const secret = 'not-a-slack-token-123';
    const message = err({ SLACK_BOT_TOKEN: secret });
    expect(message).toMatch(/^Config error: SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
    expect(message).not.toContain(secret);
  });

  it('refuses inconsistent Slack and Discord settings with what to set', () => {
    expect(err({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_APP_TOKEN is required for Slack Socket Mode/);
    expect(err({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' })).toMatch(/SLACK_SIGNING_SECRET is required when SLACK_MODE=http/);
    expect(err({ SLACK_APP_TOKEN: 'xapp-1' })).toMatch(/SLACK_BOT_TOKEN is required/);
    expect(err({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_MODE: 'webhook' })).toMatch(/SLACK_MODE must be socket or http/);
    expect(err({ DISCORD_TOKEN: 'abc' })).toMatch(/DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set/);
    expect(err({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'slack.local' })).toMatch(/SLACK_API_URL must be an http\(s\) URL/);
  });

  it('builds platform sections when credentials are set', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ADMIN_USER_IDS: 'U1, U2',
      DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789012345678', DEFAULT_TIMEZONE: 'Europe/Berlin',
    });
    expect(c.slack).toMatchObject({ mode: 'socket', port: 3000, adminUserIds: ['U1', 'U2'] });
    expect(c.discord).toMatchObject({ applicationId: '123456789012345678', mode: 'gateway' });
    expect(c.defaultTimezone).toBe('Europe/Berlin');
  });

  it('takes Discord over HTTP only with the public key and PORT, each missing piece named on one line', () => {
    const discord = { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123456789012345678' };
    const key = 'ab'.repeat(32);
    expect(err({ ...discord, DISCORD_MODE: 'websocket' })).toMatch(/^Config error: DISCORD_MODE must be gateway or http\./);
    expect(err({ ...discord, DISCORD_MODE: 'http', PORT: '3000' })).toMatch(/^Config error: DISCORD_PUBLIC_KEY is required when DISCORD_MODE=http\./);
    expect(err({ ...discord, DISCORD_MODE: 'http', DISCORD_PUBLIC_KEY: key })).toMatch(/^Config error: PORT is required when DISCORD_MODE=http/);
    expect(err({ ...discord, DISCORD_MODE: 'http', PORT: '3000', DISCORD_PUBLIC_KEY: 'not-hex' })).toMatch(/^Config error: DISCORD_PUBLIC_KEY must be the 64 hex characters/);
    expect(loadConfig({ ...discord, DISCORD_MODE: 'http', PORT: '3000', DISCORD_PUBLIC_KEY: key }).discord).toMatchObject({ mode: 'http', publicKey: key });
  });
});

describe('config: HTTP server, PostgreSQL and public address', () => {
  it('reads PORT, DATABASE_URL and PUBLIC_URL (trailing slash dropped)', () => {
    const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://stretch:pw@db.internal:5432/stretch', PUBLIC_URL: 'https://stretch.example.com/' });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgresql://stretch:pw@db.internal:5432/stretch', publicUrl: 'https://stretch.example.com' });
    expect(c.databasePath).toBe('./data/stretch.db');
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('refuses a bad PORT or PUBLIC_URL with what it accepts', () => {
    expect(err({ PORT: '70000' })).toMatch(/^Config error: PORT must be a whole number from 0 to 65535/);
    expect(err({ PORT: 'http' })).toMatch(/^Config error: PORT must be a whole number/);
    expect(err({ PUBLIC_URL: 'stretch.example.com' })).toMatch(/^Config error: PUBLIC_URL must be an http\(s\) URL/);
    expect(err({ PUBLIC_URL: 'https://stretch.example.com/?x=1' })).toMatch(/^Config error: PUBLIC_URL must not have a query/);
  });

  it('refuses PUBLIC_URL without PORT in one line naming both: the pictures are served on PORT', () => {
    const line = err({ PUBLIC_URL: 'https://stretch.example.com' });
    expect(line).toMatch(/^Config error: PUBLIC_URL needs PORT too/);
    expect(line.split('\n')).toHaveLength(1);
  });

  it('reads PICTURES_DIR, the picture cache folder', () => {
    expect(loadConfig({ PICTURES_DIR: '/var/cache/stretch' }).picturesDir).toBe('/var/cache/stretch');
  });

  it('says what is wrong with DATABASE_URL without ever printing it (it holds the password)', () => {
    const password = 'hunter2-Sup3rSecret';
    const cases: Array<[string, RegExp]> = [
      [`postgres://stretch:${password}@db.internal:99999/stretch`, /DATABASE_URL has a port that is not a whole number from 1 to 65535/],
      [`postgres://stretch:${password}@db.internal:0/stretch`, /DATABASE_URL has a port that is not/],
      [`mysql://stretch:${password}@db.internal/stretch`, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
      [`postgres://stretch:${password}@db.internal:5432`, /DATABASE_URL needs a database name/],
      [`postgres://stretch:${password}#1@db.internal:5432/stretch`, /DATABASE_URL is not a valid URL .*percent-encode/],
    ];
    for (const [url, expected] of cases) {
      const message = err({ DATABASE_URL: url });
      expect(message).toMatch(/^Config error: DATABASE_URL /);
      expect(message).toMatch(expected);
      expect(message).not.toContain(password);
      expect(message.split('\n')).toHaveLength(1);
    }
  });
});

describe('.env.example', () => {
  it('is itself a valid configuration (empty values mean "not set")', async () => {
    const { parse } = await import('dotenv');
    const { readFileSync } = await import('node:fs');
    const example = parse(readFileSync(new URL('../.env.example', import.meta.url)));
    expect(Object.keys(example)).toEqual(expect.arrayContaining(['DATABASE_PATH', 'DATABASE_URL', 'PORT', 'PUBLIC_URL', 'SLACK_BOT_TOKEN', 'DISCORD_TOKEN', 'CATCH_UP_MINUTES']));
    expect(loadConfig(example)).toMatchObject({ slack: undefined, discord: undefined, defaultTimezone: 'UTC' });
  });
});
