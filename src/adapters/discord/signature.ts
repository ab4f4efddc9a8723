/**
 * Discord signs every interaction it POSTs to the Interactions Endpoint URL with the
 * application's Ed25519 key: the signature covers the timestamp header followed by the raw
 * body. Checked with node:crypto alone, so HTTP mode needs no extra dependency.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The application's public key as Discord shows it: 64 hex characters (32 raw bytes). */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('must be the 64 hex characters of the application public key');
  // A raw Ed25519 key becomes a KeyObject through JWK: x is the key in base64url.
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

/** True only for a well-formed signature over `timestamp + body` by `key`. */
export function isSignedByDiscord(key: KeyObject, signatureHex: string | undefined, timestamp: string | undefined, body: Buffer): boolean {
  if (!signatureHex || !timestamp || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
