/**
 * The synchronous bridge to PostgreSQL. The storage port is synchronous (the daemon reads the
 * log deep inside synchronous recompute paths), and every PostgreSQL client for Bun is async, so
 * a dedicated worker thread owns the connection (`connectionWorker.ts`) and the calling thread
 * blocks on a shared flag (`Atomics.wait`) until the answer is posted, then takes it with
 * `receiveMessageOnPort`. About 0.1 ms per round trip; several statements travel in one message
 * (`batch`), and a transaction's BEGIN rides along with its first statement.
 *
 * Bounds: PostgreSQL's `statement_timeout` and `lock_timeout` end a slow statement or a long
 * lock wait on the server (SQLSTATE 57014, 55P03); the caller's own wait is bounded by
 * `waitTimeoutMs` on top: past it the worker is stopped (its connection dies with it, so the
 * server rolls back whatever was open) and the error says so. Nothing can wedge the thread.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { BridgeReply, BridgeRequest, Row, Statement, WorkerSettings } from './bridgeProtocol.ts';
import { redactUrl } from './redact.ts';

export type { Row, Statement } from './bridgeProtocol.ts';

export type PostgresOptions = {
  /** PostgreSQL `statement_timeout`: a statement running longer fails (57014). Default 30 s. */
  statementTimeoutMs?: number;
  /** PostgreSQL `lock_timeout`: a writer waiting longer for another's lock fails (55P03, "busy"). Default 5 s, SQLite's busy timeout. */
  lockTimeoutMs?: number;
  /** How long the calling thread waits for one answer of the bridge before giving up. Default statement timeout + 15 s. */
  waitTimeoutMs?: number;
  /** How long connecting may take. Default 10 s. */
  connectTimeoutMs?: number;
  /** `application_name`, seen in `pg_stat_activity`. */
  applicationName?: string;
};

export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** An error of PostgreSQL or of the bridge; `code` is the SQLSTATE (e.g. 40001) or an ERR_POSTGRES_… / LMDASH_… code. */
export class PostgresError extends Error {
  override name = 'PostgresError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** SQLSTATEs that mean "another writer was in the way; try again": serialization failure, deadlock, lock not available. */
const BUSY_CODES = new Set(['40001', '40P01', '55P03']);
export const isBusyError = (err: unknown): boolean => err instanceof PostgresError && BUSY_CODES.has(err.code);

export type TransactionKind = 'write' | 'read';

/** One PostgreSQL session, used synchronously. Not shareable between threads. */
export type PgConnection = {
  /** The URL with the password redacted. */
  readonly where: string;
  /** Runs one statement and returns its rows. */
  query<R = Row>(text: string, params?: readonly unknown[]): R[];
  /** Runs statements in order in one round trip (stopping at the first error); the rows of each. */
  batch(statements: readonly Statement[]): Row[][];
  /**
   * Runs `fn` in a transaction; a nested call joins the outer one. `write`: READ COMMITTED (the
   * caller serialises writers by locking the `meta` row first); `read`: REPEATABLE READ READ ONLY,
   * one snapshot for everything `fn` reads.
   */
  transaction<T>(kind: TransactionKind, fn: () => T): T;
  readonly inTransaction: boolean;
  /** Applies the migrations and creates the single rows (under an advisory lock). */
  migrate(folder?: string): void;
  /** Takes the single-writer advisory lock on this session if free; kept until close. */
  claimWriter(): boolean;
  /** Ends the connection and the worker. Idempotent. */
  close(): void;
};

const WORKER_URL = new URL('./connectionWorker.ts', import.meta.url);

/**
 * Opens the bridge (the worker starts at once; it connects on the first call).
 * @example const c = openPgConnection('postgres://postgres@127.0.0.1/lmdash'); c.query('SELECT 1 AS one'); c.close();
 */
export function openPgConnection(url: string, options: PostgresOptions = {}): PgConnection {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const settings: WorkerSettings = {
    url,
    applicationName: options.applicationName ?? 'lmdash',
    statementTimeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  const waitTimeoutMs = options.waitTimeoutMs ?? statementTimeoutMs + 15_000;
  const where = redactUrl(url);

  type Bridge = { worker: Worker; port: MessagePort; signal: Int32Array };
  let bridge: Bridge | null = null; // started below, at once
  let closed = false;
  /** Statements waiting to ride along with the next request (a transaction's BEGIN). */
  let pending: Statement[] = [];
  let depth = 0;

  const start = (): Bridge => {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_URL, { workerData: { settings, signal, port: port2 }, transferList: [port2] });
    worker.unref(); // an open store does not keep the process alive by itself
    return { worker, port: port1, signal };
  };

  const stop = (b: Bridge): void => {
    void b.worker.terminate();
    b.port.close();
    if (bridge === b) bridge = null;
  };

  function send(request: BridgeRequest, wait = waitTimeoutMs): BridgeReply {
    if (closed) throw new PostgresError(`the PostgreSQL connection to ${where} is closed`, 'LMDASH_CLOSED');
    const b = (bridge ??= start());
    Atomics.store(b.signal, 0, 0);
    b.port.postMessage(request);
    if (Atomics.wait(b.signal, 0, 0, wait) === 'timed-out') {
      // The worker may be stuck anywhere (the network, the server): stop it; its connection dies
      // with it, so the server rolls back whatever was open. The next call starts afresh.
      stop(b);
      pending = [];
      throw new PostgresError(
        `PostgreSQL at ${where} did not answer within ${wait} ms (waitTimeoutMs; the server's own bound is statement_timeout = ${statementTimeoutMs} ms): the connection was dropped and the next call connects again`,
        'LMDASH_WAIT_TIMEOUT',
      );
    }
    const m = receiveMessageOnPort(b.port) as { message: BridgeReply } | undefined;
    if (!m) throw new PostgresError('the PostgreSQL bridge woke without an answer', 'LMDASH_BRIDGE');
    return m.message;
  }

  function run(statements: readonly Statement[]): Row[][] {
    const lead = pending;
    pending = [];
    const reply = send({ kind: 'run', statements: lead.length > 0 ? [...lead, ...statements] : statements });
    if (!reply.ok) throw new PostgresError(reply.error.message, reply.error.code);
    return (reply as { results: Row[][] }).results.slice(lead.length);
  }

  function check(reply: BridgeReply): BridgeReply {
    if (!reply.ok) throw new PostgresError(reply.error.message, reply.error.code);
    return reply;
  }

  bridge = start();

  const c: PgConnection = {
    where,
    query: <R = Row>(text: string, params?: readonly unknown[]): R[] => run([{ text, params }])[0] as R[],
    batch: (statements) => (statements.length === 0 ? [] : run(statements)),

    transaction<T>(kind: TransactionKind, fn: () => T): T {
      if (depth > 0) {
        depth++;
        try {
          return fn();
        } finally {
          depth--;
        }
      }
      pending = [{ text: kind === 'write' ? 'BEGIN ISOLATION LEVEL READ COMMITTED' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' }];
      depth = 1;
      const began = bridge;
      try {
        const out = fn();
        // Nothing ran: there is nothing to commit (no round trip at all).
        if (pending.length > 0) pending = [];
        else run([{ text: 'COMMIT' }]);
        return out;
      } catch (e) {
        if (pending.length > 0) pending = [];
        else if (bridge !== null && bridge === began && !closed) {
          try {
            run([{ text: 'ROLLBACK' }]);
          } catch {
            // the connection is gone: the server rolled back already
          }
        }
        throw e;
      } finally {
        depth = 0;
      }
    },
    get inTransaction() {
      return depth > 0;
    },

    migrate(folder) {
      check(send({ kind: 'migrate', folder }));
    },
    claimWriter: () => (check(send({ kind: 'claimWriter' })) as { claimed: boolean }).claimed,

    close() {
      if (closed) return;
      const b = bridge;
      if (b) {
        try {
          send({ kind: 'close' }, 2_000);
        } catch {
          // stopping the worker below ends the connection anyway
        }
        stop(b);
      }
      closed = true;
    },
  };
  return c;
}
