import { afterEach, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeApi, type TestApi } from '../../test/unit.ts';
import { DOCS_ROOT } from './docs.ts';

let api: TestApi;
afterEach(() => api.cleanup());

describe('GET /docs/NAME.md', () => {
  test('a page of docs/ as plain text, as it is on disk', async () => {
    api = makeApi({ webRoot: null });
    const res = await api.request('/docs/config.md');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(readFileSync(join(DOCS_ROOT, 'config.md'), 'utf8'));
  });

  test('nothing outside docs/, and no page that does not exist', async () => {
    api = makeApi({ webRoot: null });
    for (const path of ['/docs/..%2Fpackage.json', '/docs/%2E%2E%2FREADME.md', '/docs/missing.md', '/docs/config.MD', '/docs/.md']) {
      const res = await api.request(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('"workspaces"');
    }
  });
});
