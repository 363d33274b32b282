/**
 * Row-level access to every table of a store, on either engine, for `lmdash copy`: the same
 * drizzle tables by name on both (their rows are the same types, `tablesAgree`), paged in a
 * stable order, inserted as they are (ids kept). Only copy uses it: the daemon and the API go
 * through the port.
 */
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { asc, gt, sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/bun-sql';
import { drizzle as drizzleSqlite } from 'drizzle-orm/bun-sqlite';
import * as postgresSchema from '../../db/postgres/schema.ts';
import * as sqliteSchema from '../../db/schema.ts';
import { isPostgresTarget } from '../../config/database.ts';

/** The tables in the order they are copied (the single rows `cursor` and `meta` are updated, not inserted). */
export const COPIED_TABLES = ['studentDirectory', 'trackedStudent', 'vexLog', 'studentState', 'run', 'episode', 'triggerEvent', 'publishedEvent', 'distanceCache', 'programSummary'] as const;
export type CopiedTable = (typeof COPIED_TABLES)[number];
export type SingleRowTable = 'cursor' | 'meta';
type Row = Record<string, unknown>;

/** One store's tables, rows as drizzle gives them. */
export interface TableAccess {
  /** Up to `limit` rows after the `after`-th (offset) in a stable order; `vex_log` pages by id (`afterId`). */
  page(table: CopiedTable, offset: number, limit: number, afterId?: number): Promise<Row[]>;
  count(table: CopiedTable): Promise<number>;
  insert(table: CopiedTable, rows: Row[]): Promise<void>;
  single(table: SingleRowTable): Promise<Row>;
  setSingle(table: SingleRowTable, row: Row): Promise<void>;
  /** After explicit ids were inserted: the id generators continue past `floor` (vex_log: its high-water mark). */
  continueIds(vexLogFloor: number): Promise<void>;
  close(): Promise<void>;
}

/** Each table's stable order: its primary key (the caches' insertion order: stored_at, key). */
const orderOf = (t: any, table: CopiedTable) =>
  ({
    studentDirectory: [t.studentId],
    trackedStudent: [t.studentId],
    vexLog: [t.id],
    studentState: [t.studentId],
    run: [t.studentId, t.runIndex],
    episode: [t.studentId, t.episodeIndex],
    triggerEvent: [t.id],
    publishedEvent: [t.id],
    distanceCache: [t.storedAt, t.pairKey],
    programSummary: [t.storedAt, t.programKey],
  })[table].map((c: any) => asc(c));

/** Opens `target` (already migrated: open it with `openStorage` first) for row access. */
export function tableAccess(target: string): TableAccess {
  const postgres = isPostgresTarget(target);
  // drizzle's two dialects share the query builder's shape; typed loosely here, checked by the row types.
  const schema: any = postgres ? postgresSchema : sqliteSchema;
  const client = postgres ? new SQL({ url: target, max: 1 }) : new Database(target);
  const db: any = postgres ? drizzlePostgres(client as SQL) : drizzleSqlite(client as Database);
  const run = async (q: any): Promise<Row[]> => (postgres ? await q : q.all());
  const exec = async (q: any): Promise<void> => {
    if (postgres) await q;
    else q.run();
  };
  return {
    page: (table, offset, limit, afterId) => {
      const t = schema[table];
      const q = db.select().from(t);
      return run(table === 'vexLog' ? q.where(gt(t.id, afterId ?? 0)).orderBy(asc(t.id)).limit(limit) : q.orderBy(...orderOf(t, table)).limit(limit).offset(offset));
    },
    count: async (table) => Number((await run(db.select({ n: sql<number>`count(*)` }).from(schema[table])))[0]!.n),
    insert: (table, rows) => (rows.length === 0 ? Promise.resolve() : exec(db.insert(schema[table]).values(rows))),
    single: async (table) => (await run(db.select().from(schema[table])))[0]!,
    setSingle: (table, row) => {
      const { id: _id, ...values } = row;
      return exec(db.update(schema[table]).set(values));
    },
    async continueIds(vexLogFloor) {
      if (postgres) {
        const pg = client as SQL;
        await pg.unsafe(`SELECT setval(pg_get_serial_sequence('vex_log', 'id'), GREATEST($1::bigint, (SELECT COALESCE(MAX(id), 0) FROM vex_log), 1), $1::bigint > 0 OR EXISTS (SELECT 1 FROM vex_log))`, [vexLogFloor]);
        for (const t of ['trigger_event', 'published_event']) {
          await pg.unsafe(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${t}), 1), EXISTS (SELECT 1 FROM ${t}))`);
        }
      } else {
        // AUTOINCREMENT follows explicit ids by itself; only the log's high-water mark (it survives resets) is carried.
        const lite = client as Database;
        lite.run(`INSERT INTO sqlite_sequence (name, seq) SELECT 'vex_log', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'vex_log')`);
        lite.query(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'vex_log'`).run(vexLogFloor);
      }
    },
    async close() {
      if (postgres) await (client as SQL).close();
      else (client as Database).close();
    },
  };
}
