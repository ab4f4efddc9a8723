import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../src/adapters/slack/bolt-logger.js';
import { createLogger } from '../src/logger.js';

describe('Bolt logs routed into pino', () => {
  it('hide the legacy verification token however Bolt prints the payload', () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = boltLogger(createLogger('debug', stream));
    log.debug('payload', { token: 'legacy-secret-1', command: '/stretch' });
    log.debug(`raw body {"token":"legacy-secret-2","team_id":"T1"}`);
    const out = lines.join('');
    expect(out).toContain('/stretch');
    expect(out).not.toContain('legacy-secret-1');
    expect(out).not.toContain('legacy-secret-2');
  });

  it('hide the OAuth client secret and code the Web API client prints at debug level', () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = boltLogger(createLogger('debug', stream));
    log.debug(`http request body: {"code":"code-one-time","client_id":"1111.2222","client_secret":"client-secret-x"}`);
    log.debug('options', { client_secret: 'client-secret-y' });
    const out = lines.join('');
    expect(out).toContain('1111.2222');
    expect(out).not.toContain('client-secret-x');
    expect(out).not.toContain('client-secret-y');
    expect(out).not.toContain('code-one-time');
  });
});
