import { describe, expect, test } from 'bun:test';
import { cookieValue, csrfHeader, stateFor } from './session.ts';

describe('login state', () => {
  test('the CSRF header comes from the readable cookie, when there is one', () => {
    expect(cookieValue('a=1; lmdash_csrf=abc-_9; b=2', 'lmdash_csrf')).toBe('abc-_9');
    expect(cookieValue('xlmdash_csrf=no', 'lmdash_csrf')).toBeNull();
    expect(csrfHeader('theme=dark;lmdash_csrf=tok')).toEqual({ 'X-CSRF-Token': 'tok' });
    expect(csrfHeader('')).toEqual({});
  });
  test('the form shows only when the API wants a login and nobody is signed in', () => {
    expect(stateFor({ loginRequired: true, user: null, kind: null, expiresAt: null })).toBe('login');
    expect(stateFor({ loginRequired: true, user: 'alice', kind: 'user', expiresAt: 1 })).toBe('in');
    expect(stateFor({ loginRequired: false, user: null, kind: null, expiresAt: null })).toBe('in');
    expect(stateFor(null)).toBe('in'); // an API without /api/session: no login
  });
});
