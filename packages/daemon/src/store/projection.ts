/**
 * Writes projection rows and alert changes, and bumps `meta.version`, in one transaction per
 * tick. A row gets the new version only if its content changed, so the API can send exactly
 * the rows that are newer than what a client has seen.
 */
import { tables, type Db } from '@lmdash/core';
import type { Database, Statement } from 'bun:sqlite';
import { and, eq, getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { StudentCard, StudentProjection } from '../projection/projectStudent.ts';
import type { StoredTrigger, TriggerAction } from '../triggers/types.ts';

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

/** Whether a stored row (by column name) holds the same content as a new row (by key), version aside. */
function same(o: TableOps, stored: Record<string, unknown>, row: Record<string, unknown>): boolean {
  for (const [key, column] of o.columns) {
    if (key === 'version') continue;
    let v = stored[column];
    const w = row[key];
    if (typeof w === 'boolean') v = v === 1 || v === true;
    if (v !== (w === undefined ? null : w)) return false;
  }
  return true;
}

function values(o: TableOps, row: Record<string, unknown>, version: number): (string | number | null)[] {
  return o.columns.map(([key]) => {
    const v = key === 'version' ? version : row[key];
    return v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null);
  });
}

function writeCard(sqlite: Database, card: StudentCard, version: number): boolean {
  const o = tableOps(sqlite, studentState, null);
  const old = o.select.get(card.studentId) as Record<string, unknown> | null;
  if (old && same(o, old, card)) return false;
  o.upsert.run(...values(o, card, version));
  return true;
}

function writeRows(sqlite: Database, table: typeof run | typeof episode, studentId: string, rows: readonly Record<string, unknown>[], version: number): boolean {
  const key = table === run ? 'runIndex' : 'episodeIndex';
  const column = table === run ? 'run_index' : 'episode_index';
  const o = tableOps(sqlite, table, column);
  const old = new Map((o.select.all(studentId) as Record<string, unknown>[]).map((r) => [r[column] as number, r]));
  let changed = false;
  for (const row of rows) {
    const k = row[key] as number;
    const prev = old.get(k);
    old.delete(k);
    if (prev && same(o, prev, row)) continue;
    changed = true;
    o.upsert.run(...values(o, row, version));
  }
  // Rows the projection no longer has.
  for (const k of old.keys()) {
    changed = true;
    o.remove.run(studentId, k);
  }
  return changed;
}

export type TickWrite = {
  projections: readonly StudentProjection[];
  actions: readonly TriggerAction[];
};

/**
 * Applies a tick's changes atomically. Returns the new `meta.version`, or null when nothing
 * changed (then the version is not bumped and readers are not woken).
 */
export function writeTick(db: Db, w: TickWrite, now: number): number | null {
  return db.transaction((tx) => {
    const current = tx.select({ version: meta.version }).from(meta).where(eq(meta.id, 1)).get()!.version;
    const version = current + 1;
    let changed = false;
    for (const p of w.projections) {
      // Same connection as the transaction: these statements are part of it.
      changed = writeCard(db.$client, p.card, version) || changed;
      changed = writeRows(db.$client, run, p.card.studentId, p.runs as unknown as Record<string, unknown>[], version) || changed;
      changed = writeRows(db.$client, episode, p.card.studentId, p.episodes as unknown as Record<string, unknown>[], version) || changed;
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
  });
}

/** The alerts the rules need: open or acked ones, and every big rewrite; of one student, or of everyone. */
export function liveTriggers(db: Db, studentId?: string): StoredTrigger[] {
  const needed = sql`(${triggerEvent.status} != 'resolved' OR ${triggerEvent.kind} = 'big_rewrite')`;
  return db
    .select({ id: triggerEvent.id, studentId: triggerEvent.studentId, kind: triggerEvent.kind, status: triggerEvent.status, startedAt: triggerEvent.startedAt, openedAt: triggerEvent.openedAt, runIndex: triggerEvent.runIndex, reopenedFrom: triggerEvent.reopenedFrom })
    .from(triggerEvent)
    .where(studentId === undefined ? needed : and(eq(triggerEvent.studentId, studentId), needed))
    .all();
}

/** The alerts the rules need for one student. */
export function triggersOf(db: Db, studentId: string): StoredTrigger[] {
  return liveTriggers(db, studentId);
}
