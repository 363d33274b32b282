/**
 * `GET /docs/NAME.md`: one page of the repository's docs/ as plain text, so the dashboard can
 * link to them (e.g. how to point the system at a real deployment). Names are lower-case
 * letters, digits and dashes only: nothing outside docs/ can be named.
 */
import type { Context } from 'hono';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const DOCS_ROOT = resolve(import.meta.dir, '../../../../docs');

export function serveDoc(c: Context): Response {
  const file = c.req.param('file') ?? '';
  const path = resolve(DOCS_ROOT, file);
  if (!/^[a-z0-9-]+\.md$/.test(file) || !existsSync(path)) return c.json({ error: `not found: ${c.req.method} /docs/${file}` }, 404);
  return new Response(readFileSync(path), { headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
}
