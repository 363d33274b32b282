/**
 * 405 for a method a route does not answer, with `Allow` listing those it does (RFC 9110
 * 15.5.6), instead of a 404 that says the path does not exist. The methods come from the app's
 * own routing table, read once at the first request, so a new route needs nothing here. HEAD is
 * allowed wherever GET is (Hono answers it with the GET handler); OPTIONS is not answered (no
 * CORS: browsers of other sites have nothing to ask), so it gets the 405 too.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

type Route = { pattern: RegExp; methods: Set<string> };

/** A Hono path (`/api/students/:id`, `/x/*`) as an anchored regular expression. */
export function pathPattern(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}$`);
}

function routeTable(app: Hono): Route[] {
  const byPath = new Map<string, Set<string>>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    const methods = byPath.get(r.path) ?? new Set<string>();
    methods.add(r.method);
    if (r.method === 'GET') methods.add('HEAD');
    byPath.set(r.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods }));
}

/** The methods `path` answers, or null when no route has that path. */
export function allowedMethods(routes: readonly Route[], path: string): string[] | null {
  const allowed = new Set<string>();
  for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
  return allowed.size === 0 ? null : [...allowed].sort();
}

/** Throws a 405 with `Allow`. */
export function methodNotAllowed(method: string, path: string, allow: readonly string[]): never {
  throw new ApiError(405, `method ${method} not allowed on ${path} (allowed: ${allow.join(', ')})`, { Allow: allow.join(', ') });
}

/** After the routes: a request that reached here on a known path used a method that path does not answer. */
export function methodGuard(app: Hono): MiddlewareHandler {
  let routes: Route[] | null = null;
  return async function methodGuard(c, next) {
    routes ??= routeTable(app);
    const path = new URL(c.req.url).pathname;
    const allow = allowedMethods(routes, path);
    if (allow && !allow.includes(c.req.method)) methodNotAllowed(c.req.method, path, allow);
    await next();
  };
}
