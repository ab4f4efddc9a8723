import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  return { lines, logger: createLogger('info', stream) };
}

describe('logger', () => {
  it('redacts token fields at any depth and token-shaped strings in messages and errors', () => {
    const { lines, logger } = capture();
    const slack = 'xoxb-1234-5678-abcdefgh';
    const discord = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123';
    logger.info({ token: discord, config: { slack: { botToken: slack, appToken: 'xapp-1-A-b' } } }, `connecting with ${slack}`);
    logger.error({ err: new Error(`auth failed for ${discord}`) }, 'boom');
    const out = lines.join('');
    expect(out).not.toContain(slack);
    expect(out).not.toContain(discord);
    expect(out).not.toContain('xapp-1-A-b');
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });
});

describe('logger with odd error values', () => {
  it('logs a non-Error rejection reason without throwing', () => {
    const { lines, logger } = capture();
    expect(() => logger.error({ err: 'plain string xoxb-1-2-3' }, 'unhandled rejection')).not.toThrow();
    expect(() => logger.error({ err: { code: 42 } }, 'odd')).not.toThrow();
    expect(() => logger.error({ err: undefined }, 'nothing')).not.toThrow();
    const out = lines.join('');
    expect(out).toContain('plain string [redacted]');
    expect(out).toContain('{\\"code\\":42}');
  });
});
