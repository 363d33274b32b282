import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeApi, type TestApi } from '../test/unit.ts';

let api: TestApi;
let dir: string | null = null;
afterEach(() => {
  api.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function builtDashboard(): string {
  dir = mkdtempSync(join(tmpdir(), 'lmdash-web-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>LM Dashboard</title><div id="app"></div>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  return root;
}

describe('the dashboard at /', () => {
  test('not built: / says how to build it; the API still answers', async () => {
    api = makeApi({ webRoot: '/nonexistent/dist' });
    const res = await api.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('bun run --cwd packages/web build');
    expect((await api.request('/api/health')).status).toBe(200);
    expect((await api.request('/students/s-1')).status).toBe(404);
  });

  test('built: files as they are, index.html for client routes, never for /api, nothing outside the root', async () => {
    api = makeApi({ webRoot: builtDashboard() });
    const index = await api.request('/');
    expect(index.headers.get('content-type')).toStartWith('text/html');
    expect(await index.text()).toContain('<div id="app">');
    const js = await api.request('/assets/app-1234.js');
    expect(await js.text()).toBe('console.log(1)');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await (await api.request('/students/s-1')).text()).toContain('<div id="app">');
    const unknownApi = await api.request('/api/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({ error: 'not found: GET /api/nothing-here' });
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) expect(await (await api.request(p)).text()).not.toContain('outside');
  });
  test('a missing /assets/ file is a 404, not the page; pages answer GET and HEAD only', async () => {
    api = makeApi({ webRoot: builtDashboard() });
    const missing = await api.request('/assets/app-0000.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not found: GET /assets/app-0000.js' });
    expect((await api.request('/assets/app-0000.js', { method: 'HEAD' })).status).toBe(404);
    expect((await api.request('/students/s-1', { method: 'HEAD' })).status).toBe(200);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await api.request('/students/s-1', { method });
      expect({ method, status: res.status, allow: res.headers.get('allow') }).toEqual({ method, status: 405, allow: 'GET, HEAD' });
    }
  });
});
