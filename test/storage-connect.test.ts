/** Start-up with a DATABASE_URL that cannot work stops with one line naming the variable, never the password. */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { openStorage } from '../src/storage/open.js';
import { CONTENT_DIR, silentLogger } from './support/coach.js';
import { runBot } from './support/run-bot.js';

const open = (databaseUrl: string) => openStorage({ databasePath: ':memory:', databaseUrl }, silentLogger());

describe('DATABASE_URL', () => {
  it('an unreachable server: one line with host, port and database, without the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const err = await open('postgres://coach:s3cr3t-pw@127.0.0.1:1/stretch').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^Config error: DATABASE_URL: could not connect to 127\.0\.0\.1:1\/stretch \(.*ECONNREFUSED.*\)$/);
    expect((err as Error).message).not.toContain('s3cr3t-pw');
    expect((err as Error).message).not.toContain('\n');
  });

  it('not a PostgreSQL URL', async () => {
    await expect(open('not a url')).rejects.toThrow(/^Config error: DATABASE_URL must be a URL such as postgres:/);
    await expect(open('mysql://u:p@h/db')).rejects.toThrow(/^Config error: DATABASE_URL must start with postgres:\/\//);
  });

  it('stops the real bot at start-up with that line and exit code 1', async () => {
    const r = await runBot('', { DATABASE_URL: 'postgres://coach:s3cr3t-pw@127.0.0.1:1/stretch', CONTENT_DIR, CWD: tmpdir() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Config error: DATABASE_URL: could not connect to 127\.0\.0\.1:1\/stretch \(.+\)$/);
    expect(r.stderr + r.stdout).not.toContain('s3cr3t-pw');
  });
});
