/**
 * The door of an API bound beyond loopback. Public: `/api/health`, the login itself
 * (`/api/login`, `/api/session`), `/publish` (which has its own rule: loopback peers only), and
 * the dashboard's files (the login form is the dashboard's page): any path outside `/api` that
 * no route of the app answers. Everything else — every `/api` path, `/metrics`, `/docs/` and any
 * route added later — needs either
 *  - `Authorization: Bearer <LMDASH_API_TOKEN>` (scripts, Prometheus): no cookie, no CSRF token;
 *    a wrong token counts as a failed login for the address (429 past the limit), or
 *  - a valid session cookie; then a state-changing request (anything but GET, HEAD, OPTIONS)
 *    must also carry the session's CSRF token in `X-CSRF-Token` (403 otherwise), and a stream
 *    it opens ends when the session expires.
 * Paths are matched as the router sees them (percent-decoded), so an encoded path cannot slip by.
 * On loopback the guard lets everything through, as before.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import { pathPattern } from '../methods.ts';
import type { Auth } from './auth.ts';
import { CSRF_COOKIE, CSRF_HEADER, clearSessionCookies, secureFor, sessionCookie } from './cookies.ts';
import { sameMac } from './keys.ts';
import { csrfToken, validUntil } from './session.ts';
import { endStreamAt } from './streamExpiry.ts';

/** Paths anyone may reach beyond loopback. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/api/health', '/api/login', '/api/session', '/publish', '/api/publish']);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests the guard let in: the writes' own check asks (a second line in case a write is ever mounted on a public path). */
const admitted = new WeakSet<Request>();

export const SIGN_IN = 'sign in first (POST /api/login with the token or a user and password: the dashboard shows a form), or send Authorization: Bearer <LMDASH_API_TOKEN>';

export function unauthorized(reason: string): ApiError {
  return new ApiError(401, reason, { 'WWW-Authenticate': 'Bearer realm="lmdash"' });
}

export function tooMany(seconds: number): ApiError {
  return new ApiError(429, `too many failed logins from this address: try again in ${seconds} s`, { 'Retry-After': String(seconds) });
}

/** The guard; `app` is read for its routes at the first request (a route outside /api is guarded too). */
export function sessionGuard(auth: Auth, app: Hono): MiddlewareHandler {
  let routes: RegExp[] | null = null;
  const isRoute = (path: string) => (routes ??= [...new Set(app.routes.map((r) => r.path))].filter((p) => p !== '/*').map(pathPattern)).some((p) => p.test(path));
  const isPublic = (path: string) => PUBLIC_PATHS.has(path) || (path !== '/api' && !path.startsWith('/api/') && !isRoute(path));

  return async function sessionGuard(c, next) {
    if (!auth.required || isPublic(c.req.path)) return next();
    const authorization = c.req.header('authorization');
    if (authorization !== undefined && /^Bearer(\s|$)/i.test(authorization)) {
      const address = auth.address(c);
      const wait = auth.limiter.retryAfter(address);
      if (wait > 0) throw tooMany(wait);
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m || !auth.isToken(m[1]!)) {
        auth.limiter.fail(address);
        throw unauthorized('wrong bearer token');
      }
      admitted.add(c.req.raw);
      return next();
    }
    const value = sessionCookie(c);
    if (value === undefined) throw unauthorized(SIGN_IN);
    const r = auth.session(value);
    if (!r.ok) {
      clearSessionCookies(c, secureFor(c, auth.config.sessionCookieSecure));
      throw unauthorized(`session refused (${r.reason}): sign in again`);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const given = c.req.header(CSRF_HEADER);
      if (!given) throw new ApiError(403, `missing ${CSRF_HEADER} header: a write made with the session cookie must echo the ${CSRF_COOKIE} cookie in it`);
      if (!sameMac(given, csrfToken(auth.keys, r.session.sid))) throw new ApiError(403, `wrong ${CSRF_HEADER} for this session (reload the page, or sign in again)`);
    }
    admitted.add(c.req.raw);
    await next();
    if (c.req.method === 'GET' && c.res.headers.get('content-type')?.startsWith('text/event-stream')) c.res = endStreamAt(c.res, validUntil(r.session, auth.config.sessionHours), auth.now);
  };
}

/**
 * The writes' own check. Beyond loopback: the guard must have let the request in (a session
 * with its CSRF token, or the bearer token). On loopback, as before: the bearer token when one
 * is configured (`requireToken`).
 */
export function writeAuth(auth: Auth, onLoopback: MiddlewareHandler): MiddlewareHandler {
  if (!auth.required) return onLoopback;
  return async function writeAuth(c, next) {
    if (!admitted.has(c.req.raw)) throw unauthorized(SIGN_IN);
    await next();
  };
}
