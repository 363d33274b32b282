/**
 * The two cookies of a session. `lmdash_session` carries the signed session: HttpOnly (no
 * script can read it), SameSite=Strict (no other site's page or link sends it: the dashboard's
 * own page is public, so arriving from a link costs nothing; its requests to this origin carry
 * the cookie, EventSource included), Path=/. `lmdash_csrf` carries the session's CSRF token for
 * the dashboard's script to echo in `X-CSRF-Token` (readable by this origin's pages only), with
 * the same flags but HttpOnly. Both have the session's Max-Age, and `Secure` when the request
 * came over https (the URL, or `X-Forwarded-Proto: https` from a TLS proxy) or always/never as
 * LMDASH_SESSION_COOKIE_SECURE says.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'lmdash_session';
export const CSRF_COOKIE = 'lmdash_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export type SecureMode = 'auto' | 'always' | 'never';

/** Whether the cookies get `Secure` for this request. */
export function secureFor(c: Context, mode: SecureMode): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (new URL(c.req.url).protocol === 'https:') return true;
  return (c.req.header('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}

export function setSessionCookies(c: Context, o: { session: string; csrf: string; maxAgeSeconds: number; secure: boolean }): void {
  const base = { path: '/', sameSite: 'Strict', secure: o.secure, maxAge: Math.max(1, Math.floor(o.maxAgeSeconds)) } as const;
  setCookie(c, SESSION_COOKIE, o.session, { ...base, httpOnly: true });
  setCookie(c, CSRF_COOKIE, o.csrf, base);
}

export function clearSessionCookies(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', sameSite: 'Strict', secure, httpOnly: true });
  deleteCookie(c, CSRF_COOKIE, { path: '/', sameSite: 'Strict', secure });
}

export const sessionCookie = (c: Context): string | undefined => getCookie(c, SESSION_COOKIE);
