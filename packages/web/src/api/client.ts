/**
 * Fetch helpers for the API's REST side. Errors come back as JSON `{ error: reason }`; they are
 * thrown as `ApiError` with that reason and the status.
 *
 * @example
 * const detail = await api.student('s-0001');
 * await api.ack(12, 'talked to her');
 */
import { checkSession, csrfHeader } from '../auth/session.ts';
import type { RosterEntry, StudentDetail, TriggerRow, TriggerStatus, Health } from '../types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }
}

/**
 * Where the API's write token lives in this browser. Only needed when the API is configured with
 * LMDASH_API_TOKEN (always when it listens beyond loopback); asked for on the first 401.
 */
export const TOKEN_KEY = 'lmdash.apiToken';

function storedToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  const token = storedToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init?.body) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  // Signed in to an API beyond loopback: writes echo the session's CSRF token.
  if (init?.method && init.method !== 'GET') Object.assign(headers, csrfHeader());
  try {
    res = await fetch(path, { ...init, headers });
  } catch (err) {
    throw new ApiError(0, `the API is unreachable (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    // Beyond loopback a 401 means the session is gone: the page shows the login form again.
    if (res.status === 401) await checkSession();
    const reason = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, reason);
  }
  return body as T;
}

/** A write; on 401 asks once for the API's token, keeps it in this browser and tries again. */
async function post<T>(path: string, body: unknown): Promise<T> {
  const send = () => request<T>(path, { method: 'POST', body: JSON.stringify(body) });
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || typeof window === 'undefined') throw err;
    if ((await checkSession()) === 'login') throw err; // signed out: the login form is back
    const token = window.prompt('This API asks for its access token (LMDASH_API_TOKEN) before it takes writes:');
    if (!token?.trim()) throw err;
    localStorage.setItem(TOKEN_KEY, token.trim());
    return send();
  }
}

/** True when a response body looks like an alert row (the API may answer an ack with it). */
export function isTriggerRow(body: unknown): body is TriggerRow {
  return !!body && typeof body === 'object' && typeof (body as TriggerRow).id === 'number' && typeof (body as TriggerRow).status === 'string';
}

export const api = {
  student: (id: string) => request<StudentDetail>(`/api/students/${encodeURIComponent(id)}`),
  roster: (q: string, limit = 50) => request<RosterEntry[]>(`/api/roster?q=${encodeURIComponent(q)}&limit=${limit}`),
  triggers: (status?: TriggerStatus) => request<TriggerRow[]>(`/api/triggers${status ? `?status=${status}` : ''}`),
  health: () => request<Health>('/api/health'),
  track: (studentIds: string[]) => post<unknown>('/api/track', { studentIds }),
  untrack: (studentIds: string[]) => post<unknown>('/api/untrack', { studentIds }),
  ack: (id: number, note?: string) => post<unknown>(`/api/triggers/${id}/ack`, note ? { note } : {}),
  reset: () => post<unknown>('/api/reset', { confirm: 'RESET' }),
};
