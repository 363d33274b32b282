/**
 * Who may do what. On loopback reads are open, and mutations (track, untrack, ack, reset) need
 * `Authorization: Bearer <LMDASH_API_TOKEN>` when a token is configured. Beyond loopback every
 * route but health and the login needs a session or that bearer token (`auth/guard.ts`). `/publish` is for programs on this machine: the socket's peer address must be
 * loopback, whatever the headers say. Because a browser on this machine could be talked into
 * writing to a loopback server by another site, a loopback-bound server also refuses Host
 * headers that are not loopback names (DNS rebinding) and writes from a foreign Origin.
 */
import { isLoopbackHost } from '@lmdash/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from 'hono/bun';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.ts';

/** Whether a socket peer address is loopback: 127.0.0.0/8, ::1, or IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The socket's peer address, or undefined when there is no socket (`app.request` in tests). */
export function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * 403 unless the connecting socket is on loopback. Bound to one non-loopback address, the API
 * has no loopback socket at all, so the answer says how producers on this machine get one.
 */
export function loopbackOnly(boundHost = '127.0.0.1'): MiddlewareHandler {
  const unspecified = ['0.0.0.0', '::', '[::]'].includes(boundHost);
  const hint = isLoopbackHost(boundHost) || unspecified ? '' : `; this API listens on ${boundHost} only, so even programs on this machine arrive from that address: bind 0.0.0.0 (and publish to 127.0.0.1), see docs/producers.md`;
  return async function loopbackOnly(c, next) {
    if (!isLoopbackAddress(peerAddress(c))) throw new ApiError(403, `only programs on this machine may publish (loopback peers only)${hint}`);
    await next();
  };
}

/** Constant-time comparison of two secrets of any length (both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** With a token configured, 401 unless `Authorization: Bearer <token>`. Without one, open. */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async function requireToken(c, next) {
    if (token !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
      if (!m || !sameSecret(m[1]!, token)) {
        c.header('WWW-Authenticate', 'Bearer realm="lmdash"');
        throw new ApiError(401, m ? 'wrong bearer token' : 'this endpoint requires Authorization: Bearer <LMDASH_API_TOKEN>');
      }
    }
    await next();
  };
}

/** A bare hostname, IPv6 brackets removed. */
const bare = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

const isLoopbackName = (hostname: string): boolean => hostname === 'localhost' || hostname.endsWith('.localhost') || isLoopbackAddress(hostname);

/** On a loopback-bound server: 403 for a Host that is not a loopback name (DNS rebinding). */
export function loopbackHostGuard(boundHost: string): MiddlewareHandler {
  const active = isLoopbackHost(boundHost);
  return async function loopbackHostGuard(c, next) {
    if (active && !isLoopbackName(bare(new URL(c.req.url).hostname))) throw new ApiError(403, 'host not allowed: this server answers loopback names only');
    await next();
  };
}

/** Whether a browser's `Origin` may write: this server's own origin, or any loopback origin on a loopback-bound server. */
function originAllowed(origin: string, ownHost: string, loopback: boolean): boolean {
  let o: URL;
  try {
    o = new URL(origin); // 'null' (sandboxed pages, file://) does not parse: refused
  } catch {
    return false;
  }
  return o.host === ownHost || (loopback && isLoopbackName(bare(o.hostname)));
}

/**
 * Writes from a browser page of another site are refused (CSRF): an `Origin`, when present, must
 * be allowed by `originAllowed`. Programs (curl, notebooks) send none and are not concerned.
 */
export function sameOriginWrites(boundHost: string): MiddlewareHandler {
  const loopback = isLoopbackHost(boundHost);
  return async function sameOriginWrites(c, next) {
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin, new URL(c.req.url).host, loopback)) throw new ApiError(403, `cross-origin write refused (Origin ${origin})`);
    await next();
  };
}
