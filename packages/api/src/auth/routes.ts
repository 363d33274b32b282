/**
 * `POST /api/login` `{token}` or `{user, password}`: sets the session cookies and answers
 * `{user, kind, expiresAt, csrfToken}`; 401 `wrong token` / `wrong user or password` (never
 * echoing what was sent), 429 with Retry-After once the address has failed too often, 400 for
 * another body. `POST /api/logout` (behind the guard: a session and its CSRF token, or the bearer
 * token) clears the cookies. `GET /api/session` (public) says whether a login is required and
 * who is signed in, for the dashboard to choose between its login form and the cards. The login
 * routes exist beyond loopback only; on loopback `/api/session` says no login is required.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ApiError, badRequest, jsonBody } from '../errors.ts';
import type { Auth, Credential } from './auth.ts';
import { clearSessionCookies, secureFor, sessionCookie, setSessionCookies } from './cookies.ts';
import { tooMany, unauthorized } from './guard.ts';
import { csrfToken, validUntil } from './session.ts';

const LOGIN_MAX_BYTES = 16 * 1024;

export const LoginBody = z.union([
  z.object({ token: z.string().min(1).max(4096) }).strict(),
  z.object({ user: z.string().min(1).max(200), password: z.string().min(1).max(4096) }).strict(),
]);

export type SessionInfo = { loginRequired: boolean; user: string | null; kind: 'token' | 'user' | null; expiresAt: number | null };

const noStore = { 'cache-control': 'no-store' };

export function authRoutes(auth: Auth, sameOrigin: MiddlewareHandler, writeGuard: MiddlewareHandler): Hono {
  const app = new Hono();
  app.get('/session', (c) => {
    const none: SessionInfo = { loginRequired: auth.required, user: null, kind: null, expiresAt: null };
    const value = auth.required ? sessionCookie(c) : undefined;
    const r = value === undefined ? null : auth.session(value);
    if (!r?.ok) return c.json(none, 200, noStore);
    const s = r.session;
    return c.json({ loginRequired: true, user: s.user, kind: s.kind, expiresAt: validUntil(s, auth.config.sessionHours) } satisfies SessionInfo, 200, noStore);
  });
  if (!auth.required) return app;

  const limit = bodyLimit({
    maxSize: LOGIN_MAX_BYTES,
    onError: () => {
      throw new ApiError(413, `body too large (at most ${LOGIN_MAX_BYTES} bytes)`);
    },
  });
  app.post('/login', sameOrigin, limit, async (c) => {
    const address = auth.address(c);
    const wait = auth.limiter.retryAfter(address);
    if (wait > 0) {
      auth.log(`api: login refused for ${address}: too many failures`);
      throw tooMany(wait);
    }
    const parsed = LoginBody.safeParse(await jsonBody(c));
    if (!parsed.success) throw badRequest('send {"token": "<LMDASH_API_TOKEN>"} or {"user": "<name>", "password": "<password>"}');
    const cred: Credential = parsed.data;
    const who = await auth.check(cred);
    if (!who) {
      auth.limiter.fail(address);
      throw unauthorized('token' in cred ? 'wrong token' : 'wrong user or password');
    }
    const { value, session } = auth.mint(who);
    const csrf = csrfToken(auth.keys, session.sid);
    const expiresAt = validUntil(session, auth.config.sessionHours);
    setSessionCookies(c, { session: value, csrf, maxAgeSeconds: (expiresAt - auth.now()) / 1000, secure: secureFor(c, auth.config.sessionCookieSecure) });
    auth.log(`api: signed in: ${who.kind === 'token' ? 'with the token' : `user ${who.user}`} from ${address}`);
    return c.json({ user: who.user, kind: who.kind, expiresAt, csrfToken: csrf }, 200, noStore);
  });
  app.post('/logout', writeGuard, (c) => {
    clearSessionCookies(c, secureFor(c, auth.config.sessionCookieSecure));
    return c.json({ loggedOut: true }, 200, noStore);
  });
  return app;
}
