/**
 * The projection (`student_state`, `run`, `episode`) and the alerts the daemon writes, on
 * SQLite. A tick's changed rows and alert actions go in one IMMEDIATE transaction with one
 * `meta.version` bump; rows carry that version. Statements are prepared once per connection
 * (the query builder prepared one per call, which dominated the tick); rows are read and
 * written by their drizzle column names.
 */
import type { Database, Statement } from 'bun:sqlite';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { episode, run, studentState } from '../../db/schema.ts';
import type { AlertAction, ProjectionStore, StudentChange, WrittenRows } from '../port.ts';
import type { CardRecord, EpisodeRecord, ProjectedCard, ProjectedEpisode, ProjectedRun, RunRecord, StoredAlert, SweepCard } from '../rows.ts';

type TableOps = { select: Statement; all: Statement; upsert: Statement; remove: Statement; columns: [key: string, column: string][] };

function tableOps(sqlite: Database, table: typeof studentState | typeof run | typeof episode, keyColumn: string | null): TableOps {
  const name = getTableName(table);
  const columns = Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name] as [string, string]);
  const names = columns.map(([, c]) => `"${c}"`);
  return {
    select: sqlite.prepare(`SELECT ${names.join(', ')} FROM ${name} WHERE student_id = ?`),
    all: sqlite.prepare(`SELECT ${names.join(', ')} FROM ${name}`),
    upsert: sqlite.prepare(`INSERT OR REPLACE INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`),
    remove: sqlite.prepare(keyColumn ? `DELETE FROM ${name} WHERE student_id = ? AND ${keyColumn} = ?` : `DELETE FROM ${name} WHERE student_id = ?`),
    columns,
  };
}

/** A stored row (by column name) in the drizzle shape (by key); without its version unless `withVersion`. */
function fromStored(o: TableOps, stored: Record<string, unknown>, withVersion = false): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of o.columns) {
    if (key === 'version' && !withVersion) continue;
    const v = stored[column];
    row[key] = key === 'sessionOpen' ? v === 1 || v === true : v;
  }
  return row;
}

function values(o: TableOps, row: Record<string, unknown>, version: number): (string | number | null)[] {
  return o.columns.map(([key]) => {
    const v = key === 'version' ? version : row[key];
    return v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null);
  });
}

const isEmpty = (c: StudentChange): boolean =>
  c.card === null && c.runs.upsert.length === 0 && c.runs.remove.length === 0 && c.episodes.upsert.length === 0 && c.episodes.remove.length === 0;

const ALERT_COLUMNS = 'id, student_id AS studentId, kind, status, started_at AS startedAt, opened_at AS openedAt, run_index AS runIndex, reopened_from AS reopenedFrom';

export function sqliteProjection(sqlite: Database): ProjectionStore {
  let t: { cards: TableOps; runs: TableOps; episodes: TableOps } | null = null;
  const tables = () => (t ??= { cards: tableOps(sqlite, studentState, null), runs: tableOps(sqlite, run, 'run_index'), episodes: tableOps(sqlite, episode, 'episode_index') });
  let a: { open: Statement; resolve: Statement; live: Statement; big: Statement; cards: Statement } | null = null;
  const alerts = () =>
    (a ??= {
      // A replayed big rewrite hits the once-per-run index and changes nothing.
      open: sqlite.prepare(
        `INSERT INTO trigger_event (student_id, kind, status, started_at, opened_at, run_index, reopened_from, detail, version) VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      ),
      resolve: sqlite.prepare(`UPDATE trigger_event SET status = 'resolved', resolved_at = ?, version = ? WHERE id = ? RETURNING id`),
      live: sqlite.prepare(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status != 'resolved'`),
      big: sqlite.prepare(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE student_id = ? AND kind = 'big_rewrite'`),
      cards: sqlite.prepare(
        'SELECT student_id AS studentId, state, stuck_streak_runs AS stuckStreakRuns, stuck_streak_started_at AS stuckStreakStartedAt, last_event_at AS lastEventAt, session_open AS sessionOpen FROM student_state',
      ),
    });

  function writeChange(c: StudentChange, version: number): void {
    const { cards, runs, episodes } = tables();
    if (c.card) cards.upsert.run(...values(cards, c.card, version));
    for (const r of c.runs.upsert) runs.upsert.run(...values(runs, r, version));
    for (const i of c.runs.remove) runs.remove.run(c.studentId, i);
    for (const e of c.episodes.upsert) episodes.upsert.run(...values(episodes, e, version));
    for (const i of c.episodes.remove) episodes.remove.run(c.studentId, i);
  }

  function applyAction(x: AlertAction, version: number, now: number): boolean {
    const s = alerts();
    const touched =
      x.action === 'open'
        ? s.open.all(x.studentId, x.kind, x.startedAt, now, x.runIndex, x.reopenedFrom, JSON.stringify(x.detail), version)
        : s.resolve.all(now, version, x.id);
    return touched.length > 0;
  }

  return {
    readWritten(studentId): WrittenRows {
      const { cards, runs, episodes } = tables();
      const card = cards.select.all(studentId) as Record<string, unknown>[];
      const read = <R>(o: TableOps, column: string): Map<number, R> =>
        new Map((o.select.all(studentId) as Record<string, unknown>[]).map((r) => [r[column] as number, fromStored(o, r) as R]));
      return {
        card: card.length > 0 ? (fromStored(cards, card[0]!) as unknown as ProjectedCard) : null,
        runs: read<ProjectedRun>(runs, 'run_index'),
        episodes: read<ProjectedEpisode>(episodes, 'episode_index'),
      };
    },

    writeTick(w, now) {
      // IMMEDIATE: it reads meta.version before writing; a deferred transaction whose read lock
      // must be upgraded fails at once (SQLITE_BUSY) if the API committed in between.
      return sqlite
        .transaction((): number | null => {
          const version = (sqlite.query('SELECT version FROM meta WHERE id = 1').get() as { version: number }).version + 1;
          let changed = false;
          for (const c of w.changes) {
            if (isEmpty(c)) continue;
            writeChange(c, version);
            changed = true;
          }
          for (const x of w.actions) changed = applyAction(x, version, now) || changed;
          if (!changed) return null;
          sqlite.query('UPDATE meta SET version = ? WHERE id = 1').run(version);
          return version;
        })
        .immediate();
    },

    clear() {
      sqlite
        .transaction(() => {
          for (const name of ['student_state', 'run', 'episode']) sqlite.run(`DELETE FROM ${name}`);
        })
        .immediate();
    },

    runsPage(studentId, afterRunIndex, limit, w = {}) {
      const { runs } = tables();
      const names = runs.columns.map(([, c]) => `"${c}"`).join(', ');
      const window = `${w.from !== undefined ? ' AND ts >= ?' : ''}${w.to !== undefined ? ' AND ts < ?' : ''}`;
      const args = [...(w.from !== undefined ? [w.from] : []), ...(w.to !== undefined ? [w.to] : [])];
      const rows = sqlite.query(`SELECT ${names} FROM run WHERE student_id = ? AND run_index > ?${window} ORDER BY run_index LIMIT ?`).all(studentId, afterRunIndex, ...args, limit) as Record<string, unknown>[];
      return rows.map((r) => fromStored(runs, r, true) as RunRecord);
    },

    readAll() {
      const { cards, runs, episodes } = tables();
      const all = <R>(o: TableOps) => (o.all.all() as Record<string, unknown>[]).map((r) => fromStored(o, r, true) as R);
      return {
        modelHash: (sqlite.query('SELECT model_hash AS hash FROM meta WHERE id = 1').get() as { hash: string | null } | null)?.hash ?? null,
        cards: all<CardRecord>(cards),
        runs: all<RunRecord>(runs),
        episodes: all<EpisodeRecord>(episodes),
      };
    },

    liveAlerts: () => alerts().live.all() as StoredAlert[],
    bigRewritesOf: (studentId) => alerts().big.all(studentId) as StoredAlert[],
    sweepCards: () =>
      (alerts().cards.all() as (Omit<SweepCard, 'sessionOpen'> & { sessionOpen: number })[]).map((c) => ({ ...c, sessionOpen: c.sessionOpen === 1 })),
  };
}
