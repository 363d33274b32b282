/**
 * SQL text derived from the pg-core tables: select lists that alias each column to its drizzle
 * key (PostgreSQL folds unquoted aliases to lower case, so every alias is quoted), and
 * multi-row upserts that bind one array per column (`unnest`), so a statement's text does not
 * depend on its row count and is prepared once per connection.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

type Column = { key: string; name: string; sqlType: string };

export function columnsOf(table: PgTable): Column[] {
  return Object.entries(getTableColumns(table)).map(([key, col]) => ({ key, name: col.name, sqlType: col.getSQLType() }));
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"student_id" AS "studentId", …` for the table's columns (or only `keys`), each prefixed by `alias.`. */
export function selectList(table: PgTable, opts: { alias?: string; keys?: readonly string[]; omit?: readonly string[] } = {}): string {
  const prefix = opts.alias ? `${opts.alias}.` : '';
  return columnsOf(table)
    .filter((c) => (!opts.keys || opts.keys.includes(c.key)) && !opts.omit?.includes(c.key))
    .map((c) => `${prefix}${q(c.name)} AS ${q(c.key)}`)
    .join(', ');
}

/** The array type a column's values bind as (`bigserial` binds as `int8[]`). */
const arrayType = (sqlType: string): string => `${sqlType === 'bigserial' ? 'bigint' : sqlType}[]`;

export type Upsert = { text: string; params(rows: readonly Record<string, unknown>[]): unknown[][] };

/**
 * `INSERT … SELECT FROM unnest($1::t1[], …) ON CONFLICT (key) DO UPDATE SET every other column`:
 * all rows in one statement. Rows must not repeat a key (PostgreSQL refuses to update one row
 * twice in a statement): see `lastPerKey`.
 */
export function upsertOf(table: PgTable, conflictKeys: readonly string[]): Upsert {
  const cols = columnsOf(table);
  const names = cols.map((c) => q(c.name));
  const conflict = cols.filter((c) => conflictKeys.includes(c.key)).map((c) => q(c.name));
  const updates = cols.filter((c) => !conflictKeys.includes(c.key)).map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`);
  const text =
    `INSERT INTO ${q(getTableName(table))} (${names.join(', ')}) SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${arrayType(c.sqlType)}`).join(', ')}) ` +
    `ON CONFLICT (${conflict.join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  return { text, params: (rows) => cols.map((c) => rows.map((r) => (r[c.key] === undefined ? null : r[c.key]))) };
}

/** The rows with the last of each key kept (what a row-by-row INSERT OR REPLACE would leave). */
export function lastPerKey<R>(rows: readonly R[], key: (r: R) => string): R[] {
  const byKey = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    byKey.delete(k); // re-insert: the order of last appearance
    byKey.set(k, r);
  }
  return [...byKey.values()];
}
