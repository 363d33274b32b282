/** Words for alerts: the kind's label and a one-line summary of its detail. */
import type { TriggerRow } from '../types.ts';

export const KIND_LABELS: Record<string, string> = {
  wheelspin: 'Wheel-spin',
  inactive: 'Inactive',
  big_rewrite: 'Big rewrite',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** A short reading of the alert's detail, or '' when it has nothing worth showing. */
export function alertSummary(row: Pick<TriggerRow, 'kind' | 'detail' | 'runIndex'>): string {
  const d = row.detail ?? {};
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
  switch (row.kind) {
    case 'wheelspin': {
      const runs = num('runs') ?? num('streakRuns') ?? num('stuckStreakRuns');
      return runs != null ? `${runs} stuck runs in a row` : 'stuck, run after run';
    }
    case 'inactive':
      return 'no activity in an open session';
    case 'big_rewrite': {
      const score = num('score');
      return score != null ? `run ${row.runIndex ?? '?'} changed ${Math.round(score * 100)} % of the program` : 'a large rewrite in one run';
    }
    default:
      return '';
  }
}

/** The tab title with the count of open alerts in front. */
export function alertTitle(open: number, base = 'LM Dashboard'): string {
  return open > 0 ? `(${open}) ${base}` : base;
}
