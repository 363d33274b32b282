/**
 * The messages between the synchronous bridge (`connection.ts`, the calling thread) and its
 * worker (`connectionWorker.ts`, which owns the PostgreSQL connection).
 */

/** One SQL statement; without params it may hold several statements (simple protocol). */
export type Statement = { text: string; params?: readonly unknown[] };
export type Row = Record<string, unknown>;

export type BridgeRequest =
  | { kind: 'run'; statements: readonly Statement[] }
  /** Applies the migrations and creates the single rows. */
  | { kind: 'migrate'; folder?: string }
  /** `pg_try_advisory_lock` of the writer key on this session; re-taken after a reconnect. */
  | { kind: 'claimWriter' }
  | { kind: 'close' };

/** `code`: PostgreSQL's SQLSTATE for a server error, else Bun's (ERR_POSTGRES_…) or the bridge's (LMDASH_…). */
export type BridgeError = { message: string; code: string; statement?: number };
export type BridgeReply = { ok: true; results: Row[][] } | { ok: true; claimed: boolean } | { ok: true } | { ok: false; error: BridgeError };

export type WorkerSettings = {
  url: string;
  applicationName: string;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  connectTimeoutMs: number;
};

/** SQLSTATE class 08 (connection exception), 57P01-03 (shutdown), and Bun's own connection errors. */
export const isConnectionLoss = (code: string): boolean =>
  code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || /^ERR_POSTGRES_(CONNECTION|SOCKET|TLS|UNSUPPORTED_AUTH|AUTH|IDLE|LIFETIME)/.test(code);
