/**
 * The keys behind sessions, derived from one secret so that every API process with the same
 * config agrees on them (a load balancer may send a browser to any process): HKDF-SHA256 over
 * LMDASH_SESSION_SECRET, or over LMDASH_API_TOKEN when no session secret is set, with one label
 * per use, so the signing key, the CSRF key and the credential fingerprints never coincide with
 * each other nor with the secret itself. Rotating that secret (or the token it falls back on)
 * changes every key: every session ends.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export type AuthKeys = {
  /** Signs the session cookie. */
  session: Buffer;
  /** Makes a session's CSRF token from its id. */
  csrf: Buffer;
  /** Fingerprints the credential a session was minted from (the token, a user's hash line). */
  fingerprint: Buffer;
  /** Which secret the keys come from, for messages (never the secret). */
  source: 'LMDASH_SESSION_SECRET' | 'LMDASH_API_TOKEN';
};

const SALT = 'lmdash-api-auth';
const derive = (secret: string, label: string): Buffer => Buffer.from(hkdfSync('sha256', secret, SALT, `lmdash ${label} v1`, 32));

/** Null when there is no secret to derive from (then no session can be minted nor accepted). */
export function deriveKeys(o: { sessionSecret?: string; apiToken?: string }): AuthKeys | null {
  const secret = o.sessionSecret ?? o.apiToken;
  if (!secret) return null;
  return {
    session: derive(secret, 'session signing'),
    csrf: derive(secret, 'csrf'),
    fingerprint: derive(secret, 'credential fingerprint'),
    source: o.sessionSecret ? 'LMDASH_SESSION_SECRET' : 'LMDASH_API_TOKEN',
  };
}

/** HMAC-SHA256 of `text`, base64url. */
export const hmac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('base64url');

/** Constant-time equality of two base64url MACs (false at once when the lengths differ: lengths are public). */
export function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
