import { pino, type Logger } from 'pino';

export type { Logger };

/** Any key that could hold a credential, wherever it appears in a logged object. */
const SECRET_KEYS = ['token', 'botToken', 'appToken', 'signingSecret', 'clientSecret', 'client_secret', 'stateSecret', 'authorization', 'Authorization', 'password', 'secret'];

export const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`)];

/** Patterns of Slack and Discord credentials, scrubbed from free-text messages too. */
const TOKEN_PATTERNS = [/xox[abpr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g];

export function scrubSecrets(text: string): string {
  return TOKEN_PATTERNS.reduce((t, re) => t.replace(re, '[redacted]'), text);
}

/** Logs go to stderr so the terminal coach's stdout stays clean. */
export function createLogger(level = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
      serializers: {
        // Anything can arrive as `err` (a rejection reason, a library's string): never throw here.
        err: (err: unknown) =>
          err instanceof Error
            ? { type: err.name, message: scrubSecrets(err.message), stack: err.stack && scrubSecrets(err.stack) }
            : { message: scrubSecrets(typeof err === 'string' ? err : JSON.stringify(err) ?? String(err)) },
      },
    },
    destination as pino.DestinationStream,
  );
}
