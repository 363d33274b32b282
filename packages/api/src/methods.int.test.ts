import { afterEach, describe, expect, test } from 'bun:test';
import { makeApi, type TestApi } from '../test/unit.ts';
import { pathPattern } from './methods.ts';

let api: TestApi;
afterEach(() => api.cleanup());

/** Every route and the methods it answers. */
const ROUTES: [string, string][] = [
  ['/api/students', 'GET, HEAD'],
  ['/api/students/s-0001', 'GET, HEAD'],
  ['/api/triggers', 'GET, HEAD'],
  ['/api/triggers/7/ack', 'POST'],
  ['/api/roster', 'GET, HEAD'],
  ['/api/health', 'GET, HEAD'],
  ['/api/stream', 'GET, HEAD'],
  ['/api/schema', 'GET, HEAD'],
  ['/api/track', 'POST'],
  ['/api/untrack', 'POST'],
  ['/api/reset', 'POST'],
  ['/publish', 'POST'],
  ['/api/publish', 'POST'],
  ['/metrics', 'GET, HEAD'],
];

describe('methods', () => {
  test('a method a route does not answer is a 405 with Allow, OPTIONS included; nothing is written or opened', async () => {
    api = makeApi();
    for (const [path, allow] of ROUTES) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
        if (allow.split(', ').includes(method)) continue;
        const res = await api.request(path, { method });
        expect({ path, method, status: res.status, allow: res.headers.get('allow') }).toEqual({ path, method, status: 405, allow });
        if (method !== 'HEAD') expect(((await res.json()) as { error: string }).error).toBe(`method ${method} not allowed on ${path} (allowed: ${allow})`);
      }
    }
    expect(api.deps.hub.size).toBe(0);
    expect(api.db.sqlite.query('SELECT COUNT(*) AS n FROM published_event').get()).toEqual({ n: 0 });
  });

  test('unknown paths stay 404 whatever the method', async () => {
    api = makeApi();
    for (const method of ['GET', 'POST', 'OPTIONS']) expect((await api.request('/api/nothing', { method })).status).toBe(404);
  });

  test('route patterns match whole segments', () => {
    expect(pathPattern('/api/students/:id').test('/api/students/s-1')).toBe(true);
    expect(pathPattern('/api/students/:id').test('/api/students/s-1/runs')).toBe(false);
    expect(pathPattern('/api/triggers/:id/ack').test('/api/triggers/1/ack')).toBe(true);
    expect(pathPattern('/metrics').test('/metricsx')).toBe(false);
  });
});
