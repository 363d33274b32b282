/** `meta` (the change counter, the epoch, the daemon's health and tick figures) on PostgreSQL. */
import { meta } from '../../db/postgres/schema.ts';
import type { StatusStore } from '../port.ts';
import type { AlertKind, MetaRecord } from '../rows.ts';
import { selectList } from './columns.ts';
import type { PgConnection } from './connection.ts';

const META_COLUMNS = selectList(meta);

export function postgresStatus(conn: PgConnection): StatusStore {
  return {
    version: () => conn.query<{ version: number; epoch: number }>('SELECT version, epoch FROM meta WHERE id = 1')[0]!,
    meta: () => conn.query<MetaRecord>(`SELECT ${META_COLUMNS} FROM meta WHERE id = 1`)[0]!,
    cursorAt: () => conn.query<{ t: number | null }>('SELECT last_event_time AS t FROM cursor WHERE id = 1')[0]?.t ?? null,

    recordTick({ now, tickMs, caughtUp }) {
      conn.query(
        'UPDATE meta SET heartbeat_at = $1, tick_count = tick_count + 1, last_tick_ms = coalesce($2::double precision, last_tick_ms), caught_up_at = CASE WHEN $3::boolean THEN $1 ELSE caught_up_at END WHERE id = 1',
        [now, tickMs, caughtUp],
      );
    },
    recordHealth({ status, at, lastError }) {
      conn.query('UPDATE meta SET health = $1, health_changed_at = $2, last_error = $3 WHERE id = 1', [status, at, lastError]);
    },
    setModelHash(hash) {
      conn.query('UPDATE meta SET model_hash = $1 WHERE id = 1', [hash]);
    },
    resetRequestedAt: () => conn.query<{ at: number | null }>('SELECT reset_requested_at AS at FROM meta WHERE id = 1')[0]?.at ?? null,

    counters() {
      // The id sequence's high-water mark: unlike max(id) it does not drop when a reset empties
      // the log (SQLite reads sqlite_sequence). NULL until the first event.
      const [seq, open, tracked] = conn.batch([
        { text: `SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('vex_log', 'id')), (SELECT max(id) FROM vex_log), 0) AS n` },
        { text: `SELECT kind, count(*) AS n FROM trigger_event WHERE status = 'open' GROUP BY kind ORDER BY kind` },
        { text: 'SELECT count(*) AS n FROM tracked_student' },
      ]) as [{ n: number }[], { kind: AlertKind; n: number }[], { n: number }[]];
      return { eventsIngested: seq[0]!.n, openAlerts: new Map(open.map((r) => [r.kind, r.n])), tracked: tracked[0]!.n };
    },

    // Nothing to do: autovacuum keeps PostgreSQL's files in shape (SQLite folds its WAL here).
    checkpoint() {},
  };
}
