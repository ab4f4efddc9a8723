import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { discordPublicKey, isSignedByDiscord } from '../src/adapters/discord/signature.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
/** The 32 raw key bytes, as the developer portal shows them. */
const publicHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const key = discordPublicKey(publicHex);
const body = Buffer.from('{"type":1}');
const signed = (ts: string, b: Buffer) => sign(null, Buffer.concat([Buffer.from(ts), b]), privateKey).toString('hex');

describe('Discord request signatures', () => {
  it('accepts a signature over timestamp + body by the application key', () => {
    expect(isSignedByDiscord(key, signed('1700000000', body), '1700000000', body)).toBe(true);
  });

  it('refuses a tampered body, another timestamp, another key, and missing or malformed headers', () => {
    const sig = signed('1700000000', body);
    expect(isSignedByDiscord(key, sig, '1700000000', Buffer.from('{"type":2}'))).toBe(false);
    expect(isSignedByDiscord(key, sig, '1700000001', body)).toBe(false);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(isSignedByDiscord(key, sign(null, Buffer.concat([Buffer.from('1'), body]), other).toString('hex'), '1', body)).toBe(false);
    expect(isSignedByDiscord(key, undefined, '1700000000', body)).toBe(false);
    expect(isSignedByDiscord(key, sig, undefined, body)).toBe(false);
    expect(isSignedByDiscord(key, 'zz'.repeat(64), '1700000000', body)).toBe(false);
    expect(isSignedByDiscord(key, sig.slice(2), '1700000000', body)).toBe(false);
  });

  it('refuses a public key that is not 64 hex characters', () => {
    expect(() => discordPublicKey('abc')).toThrow(/64 hex characters/);
    expect(() => discordPublicKey(publicHex.toUpperCase())).not.toThrow();
  });
});
