/**
 * The dashboard's side of the API's login (an API bound beyond loopback wants a session for
 * every read; on loopback none). `auth()` is `checking` until `GET /api/session` answers, then
 * `in` (show the dashboard) or `login` (show the form). Any read answered 401, or a stream the
 * browser gave up on, checks again: an expired session brings the form back, and signing in
 * mounts the dashboard afresh (a new stream, a snapshot). An API without `/api/session` (an
 * older one, the tests' stand-in) needs no login.
 *
 * The session cookie is HttpOnly: this script never sees it. Writes echo the readable
 * `lmdash_csrf` cookie in `X-CSRF-Token` (see `csrfHeader`).
 */
import { createRoot, createSignal } from 'solid-js';

export type AuthState = 'checking' | 'in' | 'login';
export type SessionInfo = { loginRequired: boolean; user: string | null; kind: 'token' | 'user' | null; expiresAt: number | null };
export type Credential = { token: string } | { user: string; password: string };

export const CSRF_COOKIE = 'lmdash_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const store = createRoot(() => {
  const [auth, setAuth] = createSignal<AuthState>('checking');
  const [session, setSession] = createSignal<SessionInfo | null>(null);
  return { auth, setAuth, session, setSession };
});

export const auth = store.auth;
/** Who is signed in (null on loopback, or before the first check). */
export const session = store.session;

/** A cookie's value from a `document.cookie` string, or null. */
export function cookieValue(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** `{ 'X-CSRF-Token': … }` when this page holds a session's CSRF cookie, else nothing. */
export function csrfHeader(cookies: string = typeof document === 'undefined' ? '' : document.cookie): Record<string, string> {
  const token = cookieValue(cookies, CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}

/** What the answer of `GET /api/session` means for the page. */
export function stateFor(info: SessionInfo | null): AuthState {
  return info && info.loginRequired && !info.user ? 'login' : 'in';
}

let checking: Promise<AuthState> | null = null;

/** Asks the API whether this page is signed in (one request at a time) and sets `auth()`. */
export function checkSession(): Promise<AuthState> {
  checking ??= (async () => {
    let info: SessionInfo | null = null;
    try {
      const res = await fetch('/api/session', { headers: { accept: 'application/json' }, cache: 'no-store' });
      if (res.ok) info = (await res.json()) as SessionInfo;
    } catch {
      info = null; // unreachable: the dashboard shows the stream's status
    }
    store.setSession(info);
    const next = stateFor(info);
    store.setAuth(next);
    return next;
  })().finally(() => (checking = null));
  return checking;
}

/** Signs in; resolves once the page is signed in, or rejects with the API's reason. */
export async function login(credential: Credential): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(credential) });
  } catch (err) {
    throw new Error(`the API is unreachable (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    const wait = res.headers.get('retry-after');
    throw new Error(body?.error ?? `${res.status} ${res.statusText}${wait ? ` (retry in ${wait} s)` : ''}`);
  }
  await checkSession();
}

/** Signs out (the API clears the cookies) and shows the form. */
export async function logout(): Promise<void> {
  await fetch('/api/logout', { method: 'POST', headers: { 'content-type': 'application/json', ...csrfHeader() }, body: '{}' }).catch(() => undefined);
  await checkSession();
}
