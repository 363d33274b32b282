/**
 * The projection (`student_state`, `run`, `episode`) and the alerts the daemon writes, on
 * PostgreSQL. A tick is one write transaction with one `meta.version` bump: the BEGIN and the
 * `meta` lock in one round trip, then every upsert and delete (one statement per table, rows
 * bound as arrays) with the bump and its notice in a second, then COMMIT. Only a tick of alert
 * actions alone needs to see which actions took before it knows whether to bump.
 */
import { episode, run, studentState, triggerEvent } from '../../db/postgres/schema.ts';
import type { AlertAction, ProjectionStore, StudentChange, WrittenRows } from '../port.ts';
import type { CardRecord, EpisodeRecord, ProjectedCard, ProjectedEpisode, ProjectedRun, RunRecord, StoredAlert, SweepCard } from '../rows.ts';
import { lastPerKey, selectList, upsertOf } from './columns.ts';
import type { PgConnection, Statement } from './connection.ts';
import { bumpTo, writing } from './versions.ts';

const CARDS = selectList(studentState);
const RUNS = selectList(run);
const EPISODES = selectList(episode);
const upsertCards = upsertOf(studentState, ['studentId']);
const upsertRuns = upsertOf(run, ['studentId', 'runIndex']);
const upsertEpisodes = upsertOf(episode, ['studentId', 'episodeIndex']);

const ALERT_COLUMNS = selectList(triggerEvent, { keys: ['id', 'studentId', 'kind', 'status', 'startedAt', 'openedAt', 'runIndex', 'reopenedFrom'] });

// A replayed big rewrite hits the once-per-run index and changes nothing (no RETURNING row).
const OPEN_ALERTS = `INSERT INTO trigger_event (student_id, kind, status, started_at, opened_at, run_index, reopened_from, detail, version)
  SELECT a.student, a.kind, 'open', a.started, $6, a.run_index, a.reopened, a.detail, $7
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::integer[], $5::bigint[], $8::text[]) WITH ORDINALITY AS a(student, kind, started, run_index, reopened, detail, n)
  ORDER BY a.n
  ON CONFLICT DO NOTHING RETURNING id`;
const RESOLVE_ALERTS = `UPDATE trigger_event SET status = 'resolved', resolved_at = $1, version = $2 WHERE id = ANY($3::bigint[]) RETURNING id`;

const isEmpty = (c: StudentChange): boolean =>
  c.card === null && c.runs.upsert.length === 0 && c.runs.remove.length === 0 && c.episodes.upsert.length === 0 && c.episodes.remove.length === 0;

/** The statements that write the changed rows stamped with `version` (none for no change). */
function rowStatements(changes: readonly StudentChange[], version: number): Statement[] {
  const stamp = <R>(rows: R[]) => rows.map((r) => ({ ...r, version }) as Record<string, unknown>);
  const cards = lastPerKey(changes.flatMap((c) => (c.card ? [c.card] : [])), (c) => c.studentId);
  const runs = lastPerKey(changes.flatMap((c) => c.runs.upsert), (r) => `${r.studentId}\u0000${r.runIndex}`);
  const episodes = lastPerKey(changes.flatMap((c) => c.episodes.upsert), (e) => `${e.studentId}\u0000${e.episodeIndex}`);
  const removed = (pick: (c: StudentChange) => number[]): [string[], number[]] => {
    const ids: string[] = [];
    const idx: number[] = [];
    for (const c of changes) for (const i of pick(c)) (ids.push(c.studentId), idx.push(i));
    return [ids, idx];
  };
  const [runIds, runIdx] = removed((c) => c.runs.remove);
  const [epIds, epIdx] = removed((c) => c.episodes.remove);
  const out: Statement[] = [];
  if (cards.length > 0) out.push({ text: upsertCards.text, params: upsertCards.params(stamp(cards)) });
  if (runs.length > 0) out.push({ text: upsertRuns.text, params: upsertRuns.params(stamp(runs)) });
  // Deletes after upserts, as the SQLite adapter applies a change: an index both upserted and removed ends removed.
  if (runIds.length > 0) out.push({ text: 'DELETE FROM run WHERE (student_id, run_index) IN (SELECT * FROM unnest($1::text[], $2::integer[]))', params: [runIds, runIdx] });
  if (episodes.length > 0) out.push({ text: upsertEpisodes.text, params: upsertEpisodes.params(stamp(episodes)) });
  if (epIds.length > 0) out.push({ text: 'DELETE FROM episode WHERE (student_id, episode_index) IN (SELECT * FROM unnest($1::text[], $2::integer[]))', params: [epIds, epIdx] });
  return out;
}

function alertStatements(actions: readonly AlertAction[], version: number, now: number): Statement[] {
  const opens = actions.filter((a) => a.action === 'open');
  const resolves = actions.filter((a) => a.action === 'resolve');
  const out: Statement[] = [];
  if (opens.length > 0)
    out.push({
      text: OPEN_ALERTS,
      params: [
        opens.map((a) => a.studentId),
        opens.map((a) => a.kind),
        opens.map((a) => a.startedAt),
        opens.map((a) => a.runIndex),
        opens.map((a) => a.reopenedFrom),
        now,
        version,
        opens.map((a) => JSON.stringify(a.detail)),
      ],
    });
  if (resolves.length > 0) out.push({ text: RESOLVE_ALERTS, params: [now, version, resolves.map((a) => a.id)] });
  return out;
}

export function postgresProjection(conn: PgConnection): ProjectionStore {
  return {
    readWritten(studentId): WrittenRows {
      const [cards, runs, episodes] = conn.batch([
        { text: `SELECT ${CARDS} FROM student_state WHERE student_id = $1`, params: [studentId] },
        { text: `SELECT ${RUNS} FROM run WHERE student_id = $1 ORDER BY run_index`, params: [studentId] },
        { text: `SELECT ${EPISODES} FROM episode WHERE student_id = $1 ORDER BY episode_index`, params: [studentId] },
      ]) as [CardRecord[], RunRecord[], EpisodeRecord[]];
      const bare = <R extends { version: number }>({ version: _v, ...rest }: R) => rest;
      return {
        card: cards[0] ? (bare(cards[0]) as ProjectedCard) : null,
        runs: new Map(runs.map((r) => [r.runIndex, bare(r) as ProjectedRun])),
        episodes: new Map(episodes.map((e) => [e.episodeIndex, bare(e) as ProjectedEpisode])),
      };
    },

    writeTick(w, now) {
      return writing(conn, (m): number | null => {
        const next = { version: m.version + 1, epoch: m.epoch };
        const rows = rowStatements(w.changes.filter((c) => !isEmpty(c)), next.version);
        const alerts = alertStatements(w.actions, next.version, now);
        if (rows.length > 0) {
          conn.batch([...rows, ...alerts, ...bumpTo(next)]);
          return next.version;
        }
        if (alerts.length === 0) return null;
        const touched = conn.batch(alerts).some((r) => r.length > 0);
        if (!touched) return null;
        conn.batch(bumpTo(next));
        return next.version;
      });
    },

    clear() {
      writing(conn, () => conn.batch(['student_state', 'run', 'episode'].map((t) => ({ text: `DELETE FROM ${t}` }))));
    },

    runsPage(studentId, afterRunIndex, limit, w = {}) {
      const params: unknown[] = [studentId, afterRunIndex];
      const window = `${w.from !== undefined ? ` AND ts >= $${params.push(w.from)}` : ''}${w.to !== undefined ? ` AND ts < $${params.push(w.to)}` : ''}`;
      return conn.query<RunRecord>(`SELECT ${RUNS} FROM run WHERE student_id = $1 AND run_index > $2${window} ORDER BY run_index LIMIT $${params.push(limit)}`, params);
    },

    readAll() {
      // Ordered by key in byte order (SQLite's), so a dump is the same bytes on either engine.
      const [hash, cards, runs, episodes] = conn.batch([
        { text: 'SELECT model_hash AS hash FROM meta WHERE id = 1' },
        { text: `SELECT ${CARDS} FROM student_state ORDER BY student_id COLLATE "C"` },
        { text: `SELECT ${RUNS} FROM run ORDER BY student_id COLLATE "C", run_index` },
        { text: `SELECT ${EPISODES} FROM episode ORDER BY student_id COLLATE "C", episode_index` },
      ]) as [{ hash: string | null }[], CardRecord[], RunRecord[], EpisodeRecord[]];
      return { modelHash: hash[0]?.hash ?? null, cards, runs, episodes };
    },

    liveAlerts: () => conn.query<StoredAlert>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status != 'resolved' ORDER BY id`),
    bigRewritesOf: (studentId) => conn.query<StoredAlert>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE student_id = $1 AND kind = 'big_rewrite' ORDER BY id`, [studentId]),
    sweepCards: () =>
      conn.query<SweepCard>(
        `SELECT ${selectList(studentState, { keys: ['studentId', 'state', 'stuckStreakRuns', 'stuckStreakStartedAt', 'lastEventAt', 'sessionOpen'] })} FROM student_state ORDER BY student_id COLLATE "C"`,
      ),
  };
}
