/**
 * The worker thread of the synchronous bridge: it owns one PostgreSQL connection (Bun's built-in
 * SQL client, `max: 1`), runs each request's statements in order, converts int8 values to
 * numbers, posts the answer and wakes the blocked caller through the shared flag.
 *
 * A lost connection (the server restarted, `pg_terminate_backend`, the network) is reported once,
 * as an error on the request that finds it, and the next request connects again: Bun's client
 * would otherwise reconnect silently, dropping an open transaction and the writer claim unseen.
 */
import { SQL } from 'bun';
import { type MessagePort, workerData } from 'node:worker_threads';
import { migratePostgres } from '../../db/postgres/migrate.ts';
import { type BridgeError, type BridgeReply, type BridgeRequest, isConnectionLoss, type Row, type WorkerSettings } from './bridgeProtocol.ts';
import { WRITER_LOCK_KEY } from './channel.ts';
import { redactSecrets, secretsOf } from './redact.ts';

const { settings, signal, port } = workerData as { settings: WorkerSettings; signal: Int32Array; port: MessagePort };
const secrets = secretsOf(settings.url);

let sql: SQL | null = null;
/** Why the current connection ended, when it ended without our asking. */
let lost: string | null = null;
/** Whether this session should hold the writer claim (re-taken after a reconnect). */
let writer = false;

function connect(): SQL {
  const client = new SQL({
    url: settings.url,
    max: 1,
    bigint: true, // int8 as BigInt, converted below: Bun's default (strings) cannot be told apart from text
    connectionTimeout: Math.ceil(settings.connectTimeoutMs / 1000),
    idleTimeout: 0,
    // Server-side bounds: a statement or a lock wait past them fails with 57014 / 55P03.
    connection: {
      application_name: settings.applicationName,
      statement_timeout: String(settings.statementTimeoutMs),
      lock_timeout: String(settings.lockTimeoutMs),
      idle_in_transaction_session_timeout: String(settings.statementTimeoutMs * 4),
    },
    onclose: (err?: unknown) => {
      if (sql === client) lost = err ? String((err as Error).message ?? err) : 'closed';
    },
  } as ConstructorParameters<typeof SQL>[0]);
  lost = null;
  return client;
}

/** The connection for the next statement; a lost one is dropped and reported (it throws once). */
async function connection(): Promise<SQL> {
  if (sql && lost !== null) {
    const why = lost;
    const old = sql;
    sql = null;
    lost = null;
    void old.close({ timeout: 0 }).catch(() => {});
    throw Object.assign(new Error(`the connection to PostgreSQL was lost (${why}); the next call connects again`), { errno: '08006' });
  }
  if (!sql) {
    sql = connect();
    if (writer) {
      const [r] = (await sql.unsafe('SELECT pg_try_advisory_lock($1) AS ok', [WRITER_LOCK_KEY])) as { ok: boolean }[];
      if (!r?.ok) {
        writer = false;
        throw Object.assign(new Error('the single-writer claim was lost with the connection and another process holds it now'), { errno: 'LMDASH_WRITER_LOST' });
      }
    }
  }
  return sql;
}

/** int8 → number (epoch ms and ids fit in 2^53; a bigger one is a bug, said loudly). */
function numbers(rows: Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const o: Row = {};
    for (const k in r) {
      const v = r[k];
      if (typeof v === 'bigint') {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`column ${k}: ${v} does not fit a JS number`);
        o[k] = Number(v);
      } else o[k] = v;
    }
    out.push(o);
  }
  return out;
}

function asError(e: unknown, statement?: number): BridgeError {
  const err = e as { errno?: unknown; code?: unknown; message?: unknown };
  // Bun's PostgresError: `errno` is the SQLSTATE, `code` Bun's own class of error.
  const code = typeof err?.errno === 'string' && err.errno.length > 0 ? err.errno : typeof err?.code === 'string' ? err.code : 'LMDASH_UNKNOWN';
  const message = redactSecrets(String(err?.message ?? e), secrets);
  return statement === undefined ? { message, code } : { message, code, statement };
}

async function handle(m: BridgeRequest): Promise<BridgeReply> {
  if (m.kind === 'close') {
    const old = sql;
    sql = null;
    // The server frees a session's locks only once its backend has exited, after the socket
    // closes: unlock first, so a process claiming right after our close() finds it free.
    if (old && writer && lost === null) await old.unsafe('SELECT pg_advisory_unlock($1)', [WRITER_LOCK_KEY]).catch(() => {});
    writer = false;
    await old?.close({ timeout: 1 }).catch(() => {});
    return { ok: true };
  }
  const client = await connection();
  if (m.kind === 'migrate') {
    await migratePostgres(client, m.folder);
    return { ok: true };
  }
  if (m.kind === 'claimWriter') {
    if (!writer) {
      const [r] = (await client.unsafe('SELECT pg_try_advisory_lock($1) AS ok', [WRITER_LOCK_KEY])) as { ok: boolean }[];
      writer = r?.ok === true;
    }
    return { ok: true, claimed: writer };
  }
  const results: Row[][] = [];
  for (let i = 0; i < m.statements.length; i++) {
    const s = m.statements[i]!;
    try {
      const rows = (s.params && s.params.length > 0 ? await client.unsafe(s.text, s.params as unknown[]) : await client.unsafe(s.text)) as Row[] | Row[][];
      // Several statements without params answer one array per statement: keep the last.
      const last = Array.isArray(rows[0]) ? (rows.at(-1) as Row[]) : (rows as Row[]);
      results.push(numbers(last));
    } catch (e) {
      return { ok: false, error: asError(e, i) };
    }
  }
  return { ok: true, results };
}

port.on('message', async (m: BridgeRequest) => {
  let reply: BridgeReply;
  try {
    reply = await handle(m);
  } catch (e) {
    reply = { ok: false, error: asError(e) };
  }
  if (!reply.ok && isConnectionLoss(reply.error.code) && sql) {
    // The request itself found the connection gone: start afresh next time.
    const old = sql;
    sql = null;
    lost = null;
    void old.close({ timeout: 0 }).catch(() => {});
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  if (m.kind === 'close') port.close(); // nothing left to keep the thread alive: it ends
});
