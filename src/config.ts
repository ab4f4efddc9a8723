/**
 * Configuration, read once from the environment and validated. A bad value stops start-up
 * with one line naming the variable and what it accepts; values are never echoed, since
 * some of them are secrets.
 */
import { z } from 'zod';
import { isValidTimeZone } from './core/schedule/zoned-time.js';
import { DEFAULT_PICTURE_DIR } from './pictures/store.js';

// loadConfig drops empty values first, so every schema below sees "set" or "not set".
const optionalString = z.string().trim().optional();

const url = (what: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), `must be an http(s) URL for ${what}`);

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number from ${min} to ${max}`)
    .transform(Number);

// zod 4 defaults are output values: the fallback skips the checks above.
const intInRange = (min: number, max: number, fallback: number) => wholeNumber(min, max).default(fallback);

/** A zod check from a function that returns what is wrong (or nothing), so each refusal says why. */
const optionalChecked = (problem: (v: string) => string | undefined) =>
  optionalString.superRefine((v, ctx) => {
    const message = v === undefined ? undefined : problem(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/**
 * What is wrong with a PostgreSQL connection URL, if anything. The messages never quote
 * the URL: it usually carries the password.
 */
export function databaseUrlProblem(value: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(value)) return 'must start with postgres:// or postgresql://';
  const example = 'such as postgres://user:password@host:5432/database';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    // The URL parser refuses bad ports without saying so; name the likely cause ourselves.
    const authority = value.replace(/^[a-z]+:\/\//i, '').split(/[/?#]/)[0] ?? '';
    const port = /:([^:\]@]*)$/.exec(authority.slice(authority.lastIndexOf('@') + 1))?.[1];
    if (port !== undefined && /^\d+$/.test(port) && Number(port) > 65535) return 'has a port that is not a whole number from 1 to 65535';
    return `is not a valid URL (${example}; percent-encode special characters in the password)`;
  }
  if (parsed.port === '0') return 'has a port that is not a whole number from 1 to 65535';
  // pg also accepts a Unix socket folder as ?host=/path with an empty host.
  if (!parsed.hostname && !parsed.searchParams.get('host')) return `needs a host, ${example}`;
  if (parsed.pathname.replace(/^\//, '') === '') return `needs a database name after the host, ${example}`;
  return undefined;
}

function publicUrlProblem(value: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'must be an http(s) URL such as https://stretch.example.com';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL such as https://stretch.example.com';
  if (parsed.search || parsed.hash) return 'must not have a query or fragment (paths like /images/... are added to it)';
  return undefined;
}

/** Requests per second a platform allows; unset = the adapter's published default. */
const rateLimit = optionalString
  .refine((v) => v === undefined || (/^\d+(\.\d+)?$/.test(v) && Number(v) >= 0.1 && Number(v) <= 1000), 'must be requests per second, a number from 0.1 to 1000')
  .transform((v) => (v === undefined ? undefined : Number(v)));

const schema = z
  .object({
    DATABASE_PATH: z.string().trim().default('./data/stretch.db'),
    DATABASE_URL: optionalChecked(databaseUrlProblem),
    // 0 asks the system for a free port (tests); the port actually used is logged.
    PORT: wholeNumber(0, 65535).optional(),
    PUBLIC_URL: optionalChecked(publicUrlProblem).transform((v) => v?.replace(/\/+$/, '')),
    CONTENT_DIR: z.string().trim().default('./content'),
    PICTURES_DIR: z.string().trim().default(DEFAULT_PICTURE_DIR),
    DEFAULT_TIMEZONE: z
      .string()
      .trim()
      .default('UTC')
      .refine(isValidTimeZone, 'must be an IANA time zone such as UTC, Europe/Berlin or America/New_York'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional(),
    CATCH_UP_MINUTES: intInRange(0, 1440, 10),
    // Unset: the scheduler's default (CLAIM_LEASE_MS); tests of dying replicas shorten it.
    OUTBOX_LEASE_MS: optionalString
      .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1000 && Number(v) <= 600_000), 'must be a whole number of milliseconds from 1000 to 600000')
      .transform((v) => (v === undefined ? undefined : Number(v))),

    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting with xapp-'),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_MODE: z
      .enum(['socket', 'http'], { message: 'must be socket or http' })
      .optional()
      .default('socket'),
    SLACK_PORT: intInRange(1, 65535, 3000),
    SLACK_API_URL: url('the Slack Web API base (e.g. https://slack.com/api/)'),
    // OAuth (install to any workspace): all three or none.
    SLACK_CLIENT_ID: optionalString.refine((v) => v === undefined || /^\d+\.\d+$/.test(v), 'must be the app\'s Client ID such as 1234567890.1234567890 (Basic Information → App Credentials)'),
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (any random string; it signs the OAuth state)'),
    SLACK_RATE_LIMIT: rateLimit,
    SLACK_ADMIN_USER_IDS: z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
      .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]+$/.test(id)), 'must be a comma-separated list of Slack user ids such as U012ABCDEF'),

    DISCORD_TOKEN: optionalString,
    DISCORD_APPLICATION_ID: optionalString.refine((v) => v === undefined || /^\d{15,25}$/.test(v), 'must be the numeric application id'),
    DISCORD_GUILD_ID: optionalString.refine((v) => v === undefined || /^\d{15,25}$/.test(v), 'must be a numeric server (guild) id'),
    DISCORD_API_URL: url('the Discord REST base (e.g. https://discord.com/api)'),
    DISCORD_RATE_LIMIT: rateLimit,
    DISCORD_MODE: z.enum(['gateway', 'http'], { message: 'must be gateway or http' }).default('gateway'),
    DISCORD_PUBLIC_KEY: optionalString.refine(
      (v) => v === undefined || /^[0-9a-f]{64}$/i.test(v),
      'must be the 64 hex characters of the application public key (developer portal, General Information)',
    ),
  })
  .superRefine((c, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const oauthVars = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
    const oauth = oauthVars.some((v) => c[v] !== undefined);
    const missingOauth = oauthVars.find((v) => c[v] === undefined);
    if (oauth && missingOauth) need(missingOauth, `is required for Slack OAuth: set ${oauthVars.join(', ')} together, or none of them`);
    if (oauth && c.SLACK_BOT_TOKEN) need('SLACK_BOT_TOKEN', 'must not be set with SLACK_CLIENT_ID: with OAuth every workspace gets its own token when it installs the app');
    if (oauth && c.PORT === undefined) need('PORT', 'is required for Slack OAuth: the bot serves /slack/install and /slack/oauth_redirect on it');
    if (c.SLACK_BOT_TOKEN || oauth) {
      if (c.SLACK_MODE === 'socket' && !c.SLACK_APP_TOKEN) need('SLACK_APP_TOKEN', 'is required for Slack Socket Mode (or set SLACK_MODE=http with SLACK_SIGNING_SECRET)');
      if (c.SLACK_MODE === 'http' && !c.SLACK_SIGNING_SECRET) need('SLACK_SIGNING_SECRET', 'is required when SLACK_MODE=http');
    } else if (c.SLACK_APP_TOKEN || c.SLACK_SIGNING_SECRET) {
      need('SLACK_BOT_TOKEN', 'is required when other SLACK_* credentials are set (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth)');
    }
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) need('DISCORD_APPLICATION_ID', 'is required when DISCORD_TOKEN is set');
    if (c.DISCORD_TOKEN && c.DISCORD_MODE === 'http') {
      if (!c.DISCORD_PUBLIC_KEY) need('DISCORD_PUBLIC_KEY', 'is required when DISCORD_MODE=http');
      if (c.PORT === undefined) need('PORT', 'is required when DISCORD_MODE=http (Discord POSTs interactions to /discord/interactions on it)');
    }
    // PUBLIC_URL promises pictures at PUBLIC_URL/images/, which only the HTTP server on PORT can keep.
    if (c.PUBLIC_URL && c.PORT === undefined) need('PUBLIC_URL', 'needs PORT too: the bot serves its pictures there (set PORT to the port your HTTPS proxy forwards to)');
  });


export interface Config {
  /** SQLite file, used when databaseUrl is not set. */
  databasePath: string;
  /** PostgreSQL connection URL (contains the password: never log it). */
  databaseUrl?: string;
  /** The one HTTP server (health, metrics, Slack and Discord HTTP endpoints); none when unset. */
  port?: number;
  /** Public base address of the bot, without a trailing slash (e.g. for Slack image URLs). */
  publicUrl?: string;
  contentDir: string;
  /** Where rendered exercise pictures are cached. */
  picturesDir: string;
  defaultTimezone: string;
  logLevel: string | undefined;
  catchUpMinutes: number;
  /** How long an outbox claim lives unless its process renews it (every third of it); unset = CLAIM_LEASE_MS. */
  outboxLeaseMs?: number;
  slack?: {
    /** Single-workspace mode; unset with OAuth, where each workspace's token is in the database. */
    botToken?: string;
    /** OAuth (install to any workspace), when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are set. */
    oauth?: { clientId: string; clientSecret: string; stateSecret: string };
    appToken?: string;
    signingSecret?: string;
    mode: 'socket' | 'http';
    port: number;
    apiUrl?: string;
    adminUserIds: string[];
    /** Requests per second the bot paces its sends to (SLACK_RATE_LIMIT). */
    rateLimit?: number;
  };
  discord?: {
    token: string;
    applicationId: string;
    guildId?: string;
    apiUrl?: string;
    /** Requests per second the bot paces its REST calls to (DISCORD_RATE_LIMIT). */
    rateLimit?: number;
    /** `gateway`: one websocket connection (sharded automatically); `http`: interactions POSTed to /discord/interactions. */
    mode: 'gateway' | 'http';
    /** The application's Ed25519 public key (hex); required in http mode. */
    publicKey?: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty line in .env (`LOG_LEVEL=`) means "not set", as .env.example ships them.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Config error: ${variable} ${issue.message}. Fix it in .env or the environment (see .env.example).`);
  }
  const e = parsed.data;
  return {
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    contentDir: e.CONTENT_DIR,
    picturesDir: e.PICTURES_DIR,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    logLevel: e.LOG_LEVEL,
    catchUpMinutes: e.CATCH_UP_MINUTES,
    outboxLeaseMs: e.OUTBOX_LEASE_MS,
    slack:
      e.SLACK_BOT_TOKEN || e.SLACK_CLIENT_ID
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          oauth: e.SLACK_CLIENT_ID ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET! } : undefined,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          mode: e.SLACK_MODE,
          port: e.SLACK_PORT,
          apiUrl: e.SLACK_API_URL,
          adminUserIds: e.SLACK_ADMIN_USER_IDS,
          rateLimit: e.SLACK_RATE_LIMIT,
        }
      : undefined,
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID!,
          guildId: e.DISCORD_GUILD_ID,
          apiUrl: e.DISCORD_API_URL,
          mode: e.DISCORD_MODE,
          publicKey: e.DISCORD_PUBLIC_KEY,
          rateLimit: e.DISCORD_RATE_LIMIT,
        }
      : undefined,
  };
}
