import { describe, expect, test } from 'bun:test';
import { deriveKeys } from './keys.ts';
import { LoginLimiter } from './rateLimit.ts';
import { csrfToken, fingerprint, mintSession, readSession, validUntil } from './session.ts';

const TOKEN = 'a-long-enough-secret-token';
const keys = deriveKeys({ apiToken: TOKEN })!;
const who = { user: 'alice', kind: 'user' as const, fp: 'fp-alice' };
const T = 1_700_000_000_000;
const H = 3_600_000;

describe('keys', () => {
  test('the same config gives the same keys in every process; the session secret wins over the token', () => {
    const again = deriveKeys({ apiToken: TOKEN })!;
    expect(again.session.equals(keys.session)).toBe(true);
    expect(again.csrf.equals(keys.csrf)).toBe(true);
    expect(keys.source).toBe('LMDASH_API_TOKEN');
    const withSecret = deriveKeys({ apiToken: TOKEN, sessionSecret: 'x'.repeat(32) })!;
    expect(withSecret.source).toBe('LMDASH_SESSION_SECRET');
    expect(withSecret.session.equals(keys.session)).toBe(false);
    expect(deriveKeys({})).toBeNull();
  });
  test('one key per use, none equal to the secret', () => {
    const all = [keys.session, keys.csrf, keys.fingerprint].map((k) => k.toString('hex'));
    expect(new Set(all).size).toBe(3);
    expect(all).not.toContain(Buffer.from(TOKEN).toString('hex'));
  });
});

describe('session cookie', () => {
  test('round trip: what was minted is read back, until it expires', () => {
    const { value, session } = mintSession(keys, who, T, 12);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(value).not.toContain(TOKEN);
    expect(session).toMatchObject({ user: 'alice', kind: 'user', iat: T, exp: T + 12 * H, fp: 'fp-alice' });
    expect(readSession(keys, value, T + 1000, 12)).toEqual({ ok: true, session });
    expect(readSession(keys, value, T + 12 * H - 1, 12).ok).toBe(true);
    expect(readSession(keys, value, T + 12 * H, 12)).toEqual({ ok: false, reason: 'expired' });
  });
  test('fewer hours configured now shorten a session already out', () => {
    const { value, session } = mintSession(keys, who, T, 12);
    expect(readSession(keys, value, T + 2 * H, 1)).toEqual({ ok: false, reason: 'expired' });
    expect(validUntil(session, 1)).toBe(T + H);
  });
  test('another key, a changed payload or a changed MAC: refused before the payload is read', () => {
    const { value } = mintSession(keys, who, T, 12);
    const other = deriveKeys({ apiToken: 'another-long-secret-token' })!;
    expect(readSession(other, value, T, 12)).toEqual({ ok: false, reason: 'bad signature' });
    const [v, payload, mac] = value.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), u: 'mallory' })).toString('base64url');
    expect(readSession(keys, `${v}.${forged}.${mac}`, T, 12)).toEqual({ ok: false, reason: 'bad signature' });
    expect(readSession(keys, `${v}.${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, T, 12).ok).toBe(false);
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', `${v}.${payload}`, 'x'.repeat(5000)]) expect(readSession(keys, junk, T, 12).ok).toBe(false);
  });
  test('issued in the future beyond the clock skew: refused', () => {
    const { value } = mintSession(keys, who, T + 10 * 60_000, 12);
    expect(readSession(keys, value, T, 12)).toEqual({ ok: false, reason: 'not yet valid' });
    expect(readSession(keys, mintSession(keys, who, T + 60_000, 12).value, T, 12).ok).toBe(true);
  });
  test('each session has its own id and so its own CSRF token; fingerprints depend on the key', () => {
    const a = mintSession(keys, who, T, 12).session;
    const b = mintSession(keys, who, T, 12).session;
    expect(a.sid).not.toBe(b.sid);
    expect(csrfToken(keys, a.sid)).not.toBe(csrfToken(keys, b.sid));
    expect(csrfToken(keys, a.sid)).toBe(csrfToken(deriveKeys({ apiToken: TOKEN })!, a.sid));
    expect(fingerprint(keys, 'token:x')).not.toBe(fingerprint(deriveKeys({ apiToken: 'another-long-secret-token' })!, 'token:x'));
  });
});

describe('LoginLimiter', () => {
  test('10 failures in a minute: locked until the oldest leaves the window', () => {
    const clock = { now: 0 };
    const l = new LoginLimiter(() => clock.now);
    for (let i = 0; i < 9; i++) {
      l.fail('10.0.0.1');
      clock.now += 1000;
    }
    expect(l.retryAfter('10.0.0.1')).toBe(0);
    l.fail('10.0.0.1'); // the 10th, at 9 s
    expect(l.retryAfter('10.0.0.1')).toBe(51);
    expect(l.retryAfter('10.0.0.2')).toBe(0);
    clock.now = 59_999;
    expect(l.retryAfter('10.0.0.1')).toBe(1);
    clock.now = 60_000; // the first failure leaves the window: 9 remain
    expect(l.retryAfter('10.0.0.1')).toBe(0);
    clock.now = 200_000;
    expect(l.retryAfter('10.0.0.1')).toBe(0);
    expect(l.size).toBe(0);
  });
  test('bounded: past maxAddresses the stalest are forgotten', () => {
    const l = new LoginLimiter(() => 0, 10, 60_000, 100);
    for (let i = 0; i < 250; i++) l.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(l.size).toBe(100);
  });
});
