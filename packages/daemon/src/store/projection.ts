/**
 * Writes projection rows and alert changes, and bumps `meta.version`, in one transaction per
 * tick. Only changed rows are written (the workers diff in memory), and they carry the new
 * version, so the API can send exactly the rows that are newer than what a client has seen.
 */
import { tables, type Db } from '@lmdash/core';
import type { Database, Statement } from 'bun:sqlite';
import { eq, getTableColumns, getTableName } from 'drizzle-orm';
import type { EpisodeRow, RunRow, StudentCard } from '../projection/projectStudent.ts';
import { isEmpty, type StudentChange, type Written } from '../worker/diff.ts';
import type { StoredTrigger, StudentSnapshot, TriggerAction } from '../triggers/types.ts';

const { episode, meta, run, studentState, triggerEvent } = tables;

/**
 * Prepared statements per connection and table (the query builder prepares a statement per
 * call, which dominated the tick). Rows are read and written by their drizzle column names.
 */
type TableOps = { select: Statement; upsert: Statement; remove: Statement; columns: [key: string, column: string][] };
const ops = new WeakMap<object, Map<string, TableOps>>();

function tableOps(sqlite: Database, table: typeof studentState | typeof run | typeof episode, keyColumn: string | null): TableOps {
  let byTable = ops.get(sqlite);
  if (!byTable) ops.set(sqlite, (byTable = new Map()));
  const name = getTableName(table);
  let o = byTable.get(name);
  if (!o) {
    const columns = Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name] as [string, string]);
    const names = columns.map(([, c]) => c);
    o = {
      select: sqlite.prepare(`SELECT ${names.join(', ')} FROM ${name} WHERE student_id = ?`),
      upsert: sqlite.prepare(`INSERT OR REPLACE INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`),
      remove: sqlite.prepare(keyColumn ? `DELETE FROM ${name} WHERE student_id = ? AND ${keyColumn} = ?` : `DELETE FROM ${name} WHERE student_id = ?`),
      columns,
    };
    byTable.set(name, o);
  }
  return o;
}

/** A stored row (by column name) in the projection's shape (by key), without its version. */
function fromStored(o: TableOps, stored: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of o.columns) {
    if (key === 'version') continue;
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

/** A student's rows as stored: what a cold worker diffs its first projection against. */
export function readWritten(db: Db, studentId: string): Written {
  const sqlite = db.$client;
  const cards = tableOps(sqlite, studentState, null).select.all(studentId) as Record<string, unknown>[];
  const read = <R>(table: typeof run | typeof episode, column: string): Map<number, R> => {
    const o = tableOps(sqlite, table, column);
    return new Map((o.select.all(studentId) as Record<string, unknown>[]).map((r) => [r[column] as number, fromStored(o, r) as R]));
  };
  return {
    card: cards.length > 0 ? (fromStored(tableOps(sqlite, studentState, null), cards[0]) as unknown as StudentCard) : null,
    runs: read<RunRow>(run, 'run_index'),
    episodes: read<EpisodeRow>(episode, 'episode_index'),
  };
}

function writeChange(sqlite: Database, c: StudentChange, version: number): void {
  if (c.card) {
    const o = tableOps(sqlite, studentState, null);
    o.upsert.run(...values(o, c.card, version));
  }
  const runs = tableOps(sqlite, run, 'run_index');
  for (const r of c.runs.upsert) runs.upsert.run(...values(runs, r, version));
  for (const i of c.runs.remove) runs.remove.run(c.studentId, i);
  const episodes = tableOps(sqlite, episode, 'episode_index');
  for (const e of c.episodes.upsert) episodes.upsert.run(...values(episodes, e, version));
  for (const i of c.episodes.remove) episodes.remove.run(c.studentId, i);
}

export type TickWrite = {
  /** Each student's changed rows (empty changes are skipped). */
  changes: readonly StudentChange[];
  actions: readonly TriggerAction[];
};

/**
 * Applies a tick's changes atomically. Returns the new `meta.version`, or null when nothing
 * changed (then the version is not bumped and readers are not woken).
 */
export function writeTick(db: Db, w: TickWrite, now: number): number | null {
  // IMMEDIATE: it reads meta.version before writing; a deferred transaction whose read lock
  // must be upgraded fails at once (SQLITE_BUSY) if the API committed in between.
  return db.transaction((tx) => {
    const current = tx.select({ version: meta.version }).from(meta).where(eq(meta.id, 1)).get()!.version;
    const version = current + 1;
    let changed = false;
    for (const c of w.changes) {
      if (isEmpty(c)) continue;
      // Same connection as the transaction: these statements are part of it.
      writeChange(db.$client, c, version);
      changed = true;
    }
    for (const a of w.actions) {
      // A replayed big rewrite hits the once-per-run index and changes nothing.
      const touched =
        a.action === 'open'
          ? tx.insert(triggerEvent)
              .values({ studentId: a.studentId, kind: a.kind, status: 'open', startedAt: a.startedAt, openedAt: now, runIndex: a.runIndex, reopenedFrom: a.reopenedFrom, detail: JSON.stringify(a.detail), version })
              .onConflictDoNothing()
              .returning({ id: triggerEvent.id })
              .all()
          : tx.update(triggerEvent).set({ status: 'resolved', resolvedAt: now, version }).where(eq(triggerEvent.id, a.id)).returning({ id: triggerEvent.id }).all();
      changed = touched.length > 0 || changed;
    }
    if (!changed) return null;
    tx.update(meta).set({ version }).where(eq(meta.id, 1)).run();
    return version;
  }, { behavior: 'immediate' });
}

const TRIGGER_COLUMNS = 'id, student_id AS studentId, kind, status, started_at AS startedAt, opened_at AS openedAt, run_index AS runIndex, reopened_from AS reopenedFrom';
const sweeps = new WeakMap<object, { open: Statement; big: Statement; cards: Statement }>();
function sweepStatements(db: Db) {
  let r = sweeps.get(db.$client);
  if (!r) {
    r = {
      open: db.$client.prepare(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE status != 'resolved'`),
      big: db.$client.prepare(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE student_id = ? AND kind = 'big_rewrite'`),
      cards: db.$client.prepare(
        'SELECT student_id AS studentId, state, stuck_streak_runs AS stuckStreakRuns, stuck_streak_started_at AS stuckStreakStartedAt, last_event_at AS lastEventAt, session_open AS sessionOpen FROM student_state',
      ),
    };
    sweeps.set(db.$client, r);
  }
  return r;
}

/** Every open or acked alert (what the sustained rules need). */
export function openTriggers(db: Db): StoredTrigger[] {
  return sweepStatements(db).open.all() as StoredTrigger[];
}

/** Every big rewrite ever raised for a student, whatever its status (the once-per-run rule). */
export function bigRewritesOf(db: Db, studentId: string): StoredTrigger[] {
  return sweepStatements(db).big.all(studentId) as StoredTrigger[];
}

/** The alerts the rules need for one student: open or acked ones and every big rewrite. */
export function triggersOf(db: Db, studentId: string): StoredTrigger[] {
  return [...openTriggers(db).filter((t) => t.studentId === studentId && t.kind !== 'big_rewrite'), ...bigRewritesOf(db, studentId)].sort((a, b) => a.id - b.id);
}

/** The card fields the alert rules read, for every student with a card. */
export function sweepCards(db: Db): (StudentSnapshot['card'] & { studentId: string })[] {
  return (sweepStatements(db).cards.all() as (Omit<StudentSnapshot['card'], 'sessionOpen'> & { studentId: string; sessionOpen: number })[]).map((c) => ({ ...c, sessionOpen: c.sessionOpen === 1 }));
}
