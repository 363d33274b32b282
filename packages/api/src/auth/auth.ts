/**
 * Who is signed in, for an API bound beyond loopback (the rule `isLoopbackHost` of the config:
 * the same that requires LMDASH_API_TOKEN there). One object per app holds what the guard and
 * the login routes share: the keys (from LMDASH_SESSION_SECRET, else LMDASH_API_TOKEN), the users
 * of LMDASH_API_USERS_FILE, the failed-login limiter, and the checks of a credential and of a
 * session cookie. On loopback `required` is false and nothing here is used: no login, as before.
 */
import { isLoopbackHost, type Config } from '@lmdash/core';
import type { Context } from 'hono';
import { peerAddress, sameSecret } from '../security.ts';
import { deriveKeys, type AuthKeys } from './keys.ts';
import { LoginLimiter } from './rateLimit.ts';
import { fingerprint, mintSession, readSession, type Session, type SessionKind } from './session.ts';
import { loadUsers, verifyUser, type Users } from './users.ts';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

/** The user name a token login gets (a users-file user of that name is a different session kind). */
export const TOKEN_USER = 'token';

export type Credential = { token: string } | { user: string; password: string };

export type Auth = {
  /** Beyond loopback: every route but the public ones needs a session or the bearer token. */
  required: boolean;
  keys: AuthKeys;
  users: Users;
  limiter: LoginLimiter;
  config: Config;
  now: () => number;
  log: (line: string) => void;
  /** Who the credential is, or null (constant time for the token; a hash verified for any user name). */
  check(credential: Credential): Promise<{ user: string; kind: SessionKind; fp: string } | null>;
  /** Whether `given` is the API token (constant time). */
  isToken(given: string): boolean;
  mint(who: { user: string; kind: SessionKind; fp: string }): { value: string; session: Session };
  /** The session of a cookie value, or why not (its MAC, expiry and credential fingerprint checked). */
  session(value: string): { ok: true; session: Session } | { ok: false; reason: string };
  /** The limiter's key for this request: the socket's peer address. */
  address(c: Context): string;
};

export function createAuth(o: { config: Config; now: () => number; log: (line: string) => void }): Auth {
  const { config, now } = o;
  const required = !isLoopbackHost(config.apiHost);
  const keys = deriveKeys({ sessionSecret: config.sessionSecret, apiToken: config.apiToken });
  if (required && !keys) throw new AuthConfigError(`listening on ${config.apiHost} needs LMDASH_API_TOKEN (sessions are signed with a key derived from it, or from LMDASH_SESSION_SECRET)`);
  const users: Users = required && config.apiUsersFile ? loadUsers(config.apiUsersFile) : new Map();
  const tokenFp = (k: AuthKeys) => (config.apiToken ? fingerprint(k, `token:${config.apiToken}`) : null);
  const userFp = (k: AuthKeys, user: string, hash: string) => fingerprint(k, `user:${user}:${hash}`);
  // On loopback with no secret at all, keys are never used: a throwaway set keeps the type simple.
  const k = keys ?? deriveKeys({ sessionSecret: crypto.randomUUID() })!;

  const isToken = (given: string) => config.apiToken !== undefined && sameSecret(given, config.apiToken);
  return {
    required,
    keys: k,
    users,
    limiter: new LoginLimiter(now),
    config,
    now,
    log: o.log,
    isToken,
    async check(cred) {
      if ('token' in cred) return isToken(cred.token) ? { user: TOKEN_USER, kind: 'token', fp: tokenFp(k)! } : null;
      if (!(await verifyUser(users, cred.user, cred.password))) return null;
      return { user: cred.user, kind: 'user', fp: userFp(k, cred.user, users.get(cred.user)!) };
    },
    mint: (who) => mintSession(k, who, now(), config.sessionHours),
    session(value) {
      const r = readSession(k, value, now(), config.sessionHours);
      if (!r.ok) return r;
      const s = r.session;
      const hash = s.kind === 'user' ? users.get(s.user) : undefined;
      const expected = s.kind === 'token' ? tokenFp(k) : hash === undefined ? null : userFp(k, s.user, hash);
      if (expected === null || expected !== s.fp) return { ok: false, reason: s.kind === 'token' ? 'the token changed' : 'that user was removed or changed password' };
      return r;
    },
    address: (c) => peerAddress(c) ?? 'unknown',
  };
}
