/**
 * Login: one token per session, reused by every request over Bun's pooled keep-alive
 * connections; a 401 logs in again once and retries, a second 401 in a row is a failure.
 * Concurrent requests share one login. A fixed token (LMDASH_SOURCE_TOKEN) never logs in, and a
 * 401 with it is a failure. The password and the token never appear in a log line or an error.
 */
import { SOURCE_PATHS, TokenResponse } from '@lmdash/core';
import { errorDetail, parseAnswer, type Schema } from './answer.ts';
import { SourceError } from './errors.ts';
import { releaseText, type Transport } from './transport.ts';
import type { SourceUrls } from './urls.ts';

export type SessionOptions = {
  transport: Transport;
  urls: SourceUrls;
  user: string;
  password: string;
  /** A long-lived token: no login is ever made. */
  token?: string;
  log: (line: string) => void;
};

export class Session {
  /** True on a fixed token: `login` does nothing and a 401 is final. */
  readonly fixedToken: boolean;
  readonly #transport: Transport;
  readonly #urls: SourceUrls;
  readonly #user: string;
  readonly #password: string;
  readonly #log: (line: string) => void;
  #token: string | undefined;
  #loggingIn: Promise<string> | undefined;

  constructor(options: SessionOptions) {
    this.#transport = options.transport;
    this.#urls = options.urls;
    this.#user = options.user;
    this.#password = options.password;
    this.#log = options.log;
    this.#token = options.token || undefined;
    this.fixedToken = this.#token !== undefined;
  }

  /** Drops the token and logs in again (not to be called on a fixed token). */
  async login(signal: AbortSignal | undefined): Promise<void> {
    this.#token = undefined;
    await this.#ensureToken(signal);
  }

  /** One authenticated GET, validated with `schema`; no retry beyond the one re-login on 401. */
  async get<T>(url: string, schema: Schema<T>, signal: AbortSignal | undefined): Promise<T> {
    let token = await this.#ensureToken(signal);
    let answer = await this.#transport.exchange(url, { method: 'GET', headers: authHeaders(token) }, signal);
    if (answer.status === 401 && !this.fixedToken) {
      token = await this.#relogin(token, signal);
      answer = await this.#transport.exchange(url, { method: 'GET', headers: authHeaders(token) }, signal);
    }
    try {
      if (answer.status === 401) throw new SourceError('auth', this.fixedToken ? 'HTTP 401 with the fixed token (LMDASH_SOURCE_TOKEN)' : 'HTTP 401 again right after a fresh login', { url, status: 401 });
      if (answer.status === 403) throw new SourceError('auth', `HTTP 403${errorDetail(answer)}`, { url, status: 403 });
      return parseAnswer(url, answer, schema);
    } finally {
      releaseText(answer);
    }
  }

  /** The current token, logging in first if there is none; concurrent callers share one login. */
  async #ensureToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    this.#loggingIn ??= this.#loginOnce(signal).finally(() => (this.#loggingIn = undefined));
    return this.#loggingIn;
  }

  /** After a 401: a new login, unless another request already replaced the stale token. */
  #relogin(stale: string, signal: AbortSignal | undefined): Promise<string> {
    if (this.#token === stale) this.#token = undefined;
    return this.#ensureToken(signal);
  }

  async #loginOnce(signal: AbortSignal | undefined): Promise<string> {
    const url = this.#urls.resolve(SOURCE_PATHS.token);
    const body = JSON.stringify({ username: this.#user, password: this.#password });
    const answer = await this.#transport.exchange(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body }, signal);
    if (answer.status === 400) throw new SourceError('bad-credentials', `login refused for user ${JSON.stringify(this.#user)}${errorDetail(answer)}`, { url, status: 400 });
    const { token } = parseAnswer(url, answer, TokenResponse);
    this.#token = token;
    this.#log(`source: logged in as ${JSON.stringify(this.#user)}`);
    return token;
  }
}

function authHeaders(token: string): Record<string, string> {
  return { authorization: `Token ${token}`, accept: 'application/json' };
}
