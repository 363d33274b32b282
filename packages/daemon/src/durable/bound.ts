/**
 * The row bound of a durable cache table (`distance_cache`, `program_summary`): after a write,
 * the oldest rows past `maxRows` are evicted, a slack's worth at once so eviction is not a cost
 * of every write. The row count is estimated from the writes and counted only when the
 * estimate passes the bound.
 */

/** Rows evicted beyond the bound at once, as a share of it. */
const EVICT_SLACK = 0.01;

export type BoundedTable = { count(): number; evictOldest(n: number): number };

export class RowBound {
  /** Rows believed stored (an upper bound: other deletions only lower the real count). */
  private rows: number | null = null;

  constructor(private readonly table: BoundedTable, private readonly maxRows: number) {}

  /** After `written` rows were written (new or replaced): evicts the oldest past the bound. */
  written(written: number): void {
    this.rows = this.rows === null ? this.table.count() : this.rows + written;
    if (this.rows <= this.maxRows) return;
    // The estimate can be high (replaced rows, deletions by hand): count before evicting.
    this.rows = this.table.count();
    if (this.rows <= this.maxRows) return;
    const excess = this.rows - this.maxRows + Math.floor(this.maxRows * EVICT_SLACK);
    this.rows -= this.table.evictOldest(excess);
  }
}
