/**
 * The session cookie: stateless and signed, so any API process with the same keys accepts a
 * session another one minted. Its value is `v1.<payload>.<mac>`: the payload is base64url JSON
 * of who (`u`, and `k`: logged in with the token or as a user of the users file), when (`iat`,
 * `exp`, ms), a random session id (`sid`, which the CSRF token is made from) and the
 * fingerprint of the credential used (`fp`: a new token or a new password hash ends the
 * sessions minted from the old one); the MAC is HMAC-SHA256 over `v1.<payload>` with the
 * session key. Nothing is stored server-side, so a logout clears the browser's cookie but a
 * copy of it stays valid until `exp`: the known limit of stateless sessions.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hmac, sameMac, type AuthKeys } from './keys.ts';

export type SessionKind = 'token' | 'user';

export type Session = {
  user: string;
  kind: SessionKind;
  /** Issued at, ms since the epoch. */
  iat: number;
  /** Expires at, ms since the epoch. */
  exp: number;
  /** Random id (16 bytes, base64url): binds the CSRF token to this session. */
  sid: string;
  /** Fingerprint of the credential the session was minted from. */
  fp: string;
};

const VERSION = 'v1';
/** Clocks of processes behind one load balancer may differ a little: a session issued this far "in the future" is still fine. */
export const CLOCK_SKEW_MS = 5 * 60_000;

const Payload = z.object({ u: z.string().min(1).max(200), k: z.enum(['token', 'user']), iat: z.number().int(), exp: z.number().int(), sid: z.string().min(16).max(64), fp: z.string().min(1).max(64) });

/** A new session for `user`, valid `hours` from `now`, and the cookie value that carries it. */
export function mintSession(keys: AuthKeys, who: { user: string; kind: SessionKind; fp: string }, now: number, hours: number): { value: string; session: Session } {
  const session: Session = { user: who.user, kind: who.kind, iat: now, exp: now + Math.round(hours * 3_600_000), sid: randomBytes(16).toString('base64url'), fp: who.fp };
  const payload = Buffer.from(JSON.stringify({ u: session.user, k: session.kind, iat: session.iat, exp: session.exp, sid: session.sid, fp: session.fp })).toString('base64url');
  return { value: `${VERSION}.${payload}.${hmac(keys.session, `${VERSION}.${payload}`)}`, session };
}

export type SessionCheck = { ok: true; session: Session } | { ok: false; reason: 'malformed' | 'bad signature' | 'expired' | 'not yet valid' };

/**
 * The session a cookie value carries, if its MAC is right (checked in constant time before
 * anything of the payload is read) and it is current: `now` before `exp` and before
 * `iat + maxHours` (lowering LMDASH_SESSION_HOURS shortens the sessions already out).
 */
export function readSession(keys: AuthKeys, value: string, now: number, maxHours: number): SessionCheck {
  const parts = value.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || parts[1]!.length > 2048) return { ok: false, reason: 'malformed' };
  if (!sameMac(parts[2]!, hmac(keys.session, `${VERSION}.${parts[1]}`))) return { ok: false, reason: 'bad signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const p = Payload.safeParse(raw);
  if (!p.success) return { ok: false, reason: 'malformed' };
  const s: Session = { user: p.data.u, kind: p.data.k, iat: p.data.iat, exp: p.data.exp, sid: p.data.sid, fp: p.data.fp };
  if (s.iat > now + CLOCK_SKEW_MS) return { ok: false, reason: 'not yet valid' };
  if (now >= validUntil(s, maxHours)) return { ok: false, reason: 'expired' };
  return { ok: true, session: s };
}

/** When a session ends: its `exp`, or `iat` plus the hours configured now when that is sooner. */
export const validUntil = (s: Session, maxHours: number): number => Math.min(s.exp, s.iat + Math.round(maxHours * 3_600_000));

/** The CSRF token of a session: HMAC of its id under the CSRF key (so a cookie planted by someone else cannot be made to match). */
export const csrfToken = (keys: AuthKeys, sid: string): string => hmac(keys.csrf, `csrf:${sid}`);

/** The fingerprint of a credential (the token itself, or a user's name and stored hash). */
export const fingerprint = (keys: AuthKeys, credential: string): string => hmac(keys.fingerprint, credential).slice(0, 22);
