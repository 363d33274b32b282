/**
 * The built dashboard (`packages/web/dist`) at `/`: files as they are, and `index.html` for any
 * other path outside `/api` (client-side routes), but a 404 for a missing `/assets/` file (a
 * stale tab asking for an old hashed bundle must not get HTML as JavaScript). Pages answer GET
 * and HEAD only (405 otherwise). Without a build, `/` says how to make one.
 */
import type { MiddlewareHandler } from 'hono';
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { methodNotAllowed } from './methods.ts';

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
    if (path === '/api' || path.startsWith('/api/')) return next();
    const index = root === null ? null : resolve(root, 'index.html');
    const built = root !== null && existsSync(index!);
    const file = built ? fileIn(root, path) : null;
    // What a GET of this path answers: the file, the app's page, the not-built page, or nothing (404).
    const page = built ? file !== null || !path.startsWith('/assets/') : path === '/' || path === '/index.html';
    if (!page) return next();
    if (method !== 'GET' && method !== 'HEAD') methodNotAllowed(method, path, ['GET', 'HEAD']);
    if (!built) return c.html(NOT_BUILT_PAGE, 200, { 'cache-control': 'no-store' });
    if (file) {
      // Hashed assets never change; everything else is revalidated.
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return new Response(Bun.file(file), { headers: { 'cache-control': cache } });
    }
    return new Response(Bun.file(index!), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
  };
}
