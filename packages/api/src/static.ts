/**
 * The built dashboard (`packages/web/dist`) at `/`: files as they are, and `index.html` for any
 * other path outside `/api` (client-side routes). Without a build, `/` says how to make one.
 */
import type { MiddlewareHandler } from 'hono';
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** Where the dashboard's build lands, from this package. */
export const DEFAULT_WEB_ROOT = resolve(import.meta.dir, '../../web/dist');

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>LM Dashboard</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>LM Dashboard</h1>
<p>The API is running, but the dashboard is not built. From the repository root:</p>
<pre>bun run --cwd packages/web build</pre>
<p>then reload this page. The API itself is under <a href="/api/health">/api/health</a>, <a href="/api/schema">/api/schema</a> and <a href="/metrics">/metrics</a>.</p>
</body></html>
`;

function fileIn(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, `.${decoded}`);
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return statSync(full).isFile() ? full : null;
  } catch {
    return null;
  }
}

export function serveWeb(webRoot: string | null): MiddlewareHandler {
  const root = webRoot === null ? null : resolve(webRoot);
  return async function serveWeb(c, next) {
    const method = c.req.method;
    const path = new URL(c.req.url).pathname;
    if ((method !== 'GET' && method !== 'HEAD') || path === '/api' || path.startsWith('/api/')) return next();
    const index = root === null ? null : resolve(root, 'index.html');
    if (root === null || !existsSync(index!)) {
      if (path === '/' || path === '/index.html') return c.html(NOT_BUILT_PAGE, 200, { 'cache-control': 'no-store' });
      return next();
    }
    const file = fileIn(root, path);
    if (file) {
      // Hashed assets never change; everything else is revalidated.
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return new Response(Bun.file(file), { headers: { 'cache-control': cache } });
    }
    return new Response(Bun.file(index!), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
  };
}
