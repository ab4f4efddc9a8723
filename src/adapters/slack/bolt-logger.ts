/**
 * Bolt, the Web API client and the Socket Mode client log through @slack/logger's interface;
 * this routes them into the app's pino logger (which redacts credentials). The level is
 * pino's: Bolt's setLevel() calls are ignored so one LOG_LEVEL governs everything.
 */
import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

/**
 * Slash-command payloads carry the legacy verification token as a plain `token` field, and the
 * Web API client's debug lines show oauth.v2.access's body with `client_secret` and the
 * one-time `code`: in JSON (`"token":"…"`) or as util.inspect prints objects (`token: '…'`).
 */
const PAYLOAD_TOKEN = /((?:"(?:token|client_secret|code)"|\b(?:token|client_secret))\s*:\s*["'])[^"']*(["'])/g;

const toText = (msgs: unknown[]): string =>
  msgs
    .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : inspect(m, { depth: 3, breakLength: Infinity })))
    .join(' ')
    .replace(PAYLOAD_TOKEN, '$1[redacted]$2');

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

export function boltLogger(logger: Logger, name = 'bolt'): BoltLogger {
  let child = logger.child({ component: name });
  return {
    debug: (...msgs: unknown[]) => child.debug(toText(msgs)),
    info: (...msgs: unknown[]) => child.info(toText(msgs)),
    warn: (...msgs: unknown[]) => child.warn(toText(msgs)),
    error: (...msgs: unknown[]) => child.error(toText(msgs)),
    setLevel: () => undefined,
    getLevel: () => LEVELS[logger.level] ?? LogLevel.ERROR,
    setName: (n: string) => void (child = logger.child({ component: n })),
  };
}
