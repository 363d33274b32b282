/**
 * The one error the source client throws for anything the source does wrong. Messages name the
 * URL (without any userinfo) and the status, never the token or the password: they end up in
 * logs and in `meta`.
 */

export type SourceErrorKind =
  /** The connection failed or was reset, or the body could not be read. */
  | 'network'
  /** No complete answer within the request timeout. */
  | 'timeout'
  /** A non-2xx status other than the auth cases (5xx, 429, 404, ...). */
  | 'http'
  /** 401 again right after a fresh login (or with a fixed token), or 403. */
  | 'auth'
  /** A 2xx whose body is not JSON or not the documented shape. */
  | 'bad-body'
  /** The login answered 400: wrong username or password. */
  | 'bad-credentials'
  /** The body is larger than the client reads (`maxBodyBytes`, LMDASH_SOURCE_MAX_PAGE_BYTES). */
  | 'too-large';

export type SourceErrorInit = {
  url: string;
  status?: number;
  /** Seconds, from a `Retry-After` header. */
  retryAfter?: number;
  cause?: unknown;
};

export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly kind: SourceErrorKind;
  readonly url: string;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;

  constructor(kind: SourceErrorKind, detail: string, init: SourceErrorInit) {
    const url = redactUrl(init.url);
    super(`${kind}: ${detail} (${url})`, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = kind;
    this.url = url;
    this.status = init.status;
    this.retryAfter = init.retryAfter;
  }
}

/** A URL without userinfo, in case a deployment writes credentials into LMDASH_SOURCE_URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}
