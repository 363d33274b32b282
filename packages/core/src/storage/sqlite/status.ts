/** `meta` (the change counter, the epoch, the daemon's health and tick figures) and the WAL on SQLite. */
import type { Database } from 'bun:sqlite';
import type { StatusStore } from '../port.ts';
import type { AlertKind, MetaRecord } from '../rows.ts';

const META_COLUMNS = `id, version, epoch, reset_requested_at AS resetRequestedAt, health, health_changed_at AS healthChangedAt, last_error AS lastError,
  heartbeat_at AS heartbeatAt, tick_count AS tickCount, last_tick_ms AS lastTickMs, caught_up_at AS caughtUpAt, model_hash AS modelHash`;

export function sqliteStatus(sqlite: Database): StatusStore {
  return {
    version: () => sqlite.query('SELECT version, epoch FROM meta WHERE id = 1').get() as { version: number; epoch: number },
    meta: () => sqlite.query(`SELECT ${META_COLUMNS} FROM meta WHERE id = 1`).get() as MetaRecord,
    cursorAt: () => (sqlite.query('SELECT last_event_time AS t FROM cursor WHERE id = 1').get() as { t: number | null } | null)?.t ?? null,

    recordTick({ now, tickMs, caughtUp }) {
      sqlite
        .query('UPDATE meta SET heartbeat_at = ?1, tick_count = tick_count + 1, last_tick_ms = coalesce(?2, last_tick_ms), caught_up_at = CASE WHEN ?3 THEN ?1 ELSE caught_up_at END WHERE id = 1')
        .run(now, tickMs, caughtUp ? 1 : 0);
    },
    recordHealth({ status, at, lastError }) {
      sqlite.query('UPDATE meta SET health = ?, health_changed_at = ?, last_error = ? WHERE id = 1').run(status, at, lastError);
    },
    setModelHash(hash) {
      sqlite.query('UPDATE meta SET model_hash = ? WHERE id = 1').run(hash);
    },
    resetRequestedAt: () => (sqlite.query('SELECT reset_requested_at AS at FROM meta WHERE id = 1').get() as { at: number | null } | null)?.at ?? null,

    counters() {
      // AUTOINCREMENT's high-water mark: unlike MAX(id) it does not drop when a reset empties the log.
      const seq = sqlite.query(`SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'vex_log'), (SELECT MAX(id) FROM vex_log), 0) AS n`).get() as { n: number };
      const open = sqlite.query(`SELECT kind, COUNT(*) AS n FROM trigger_event WHERE status = 'open' GROUP BY kind`).all() as { kind: AlertKind; n: number }[];
      const tracked = (sqlite.query('SELECT COUNT(*) AS n FROM tracked_student').get() as { n: number }).n;
      return { eventsIngested: seq.n, openAlerts: new Map(open.map((r) => [r.kind, r.n])), tracked };
    },

    checkpoint() {
      sqlite.query('PRAGMA wal_checkpoint(PASSIVE)').get();
    },
  };
}
