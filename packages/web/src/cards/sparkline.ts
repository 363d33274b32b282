/**
 * Path math for the small SVG charts on a card: the sparkline of recent change scores and the
 * state ribbon. Pure functions of data and a box size, so they are tested without a DOM.
 */

export interface SparkPoint {
  x: number;
  y: number;
}

export interface Sparkline {
  /** An SVG path: `M` starts a segment, `L` continues it; a null value breaks the line. */
  d: string;
  /** One entry per value: where it sits, or null for a run that could not be parsed. */
  points: (SparkPoint | null)[];
  /** The x of every value, parsed or not (where an unparsed run's tick goes). */
  xs: number[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Lays out values left to right across `width`, 0 at the bottom and `max` (default 1, a change
 * score's ceiling) at the top of `height`, with `pad` pixels kept free on each edge. Values are
 * clamped into [0, max]; one value sits in the middle.
 * @example sparklinePath([0, 1], 100, 20).d // "M0,20L100,0"
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number, max = 1, pad = 0): Sparkline {
  const n = values.length;
  const inner = { w: Math.max(0, width - 2 * pad), h: Math.max(0, height - 2 * pad) };
  const top = max > 0 ? max : 1;
  const xs = values.map((_, i) => round(pad + (n === 1 ? inner.w / 2 : (i * inner.w) / (n - 1))));
  const points = values.map((v, i): SparkPoint | null => {
    if (v == null || !Number.isFinite(v)) return null;
    const y = pad + inner.h - (Math.min(Math.max(v, 0), top) / top) * inner.h;
    return { x: xs[i]!, y: round(y) };
  });
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x},${p.y}`;
    pen = true;
  }
  return { d, points, xs };
}

export interface RibbonCell {
  x: number;
  width: number;
  state: 0 | 1 | 2;
}

/**
 * One cell per run across `width`, equal widths (the ribbon shows the sequence, not the timing),
 * adjacent runs in the same state merged into one cell.
 * @example ribbonCells([{ state: 0 }, { state: 0 }, { state: 2 }], 90) // [{x:0,width:60,state:0},{x:60,width:30,state:2}]
 */
export function ribbonCells(ribbon: readonly { state: 0 | 1 | 2 }[], width: number): RibbonCell[] {
  const n = ribbon.length;
  if (n === 0 || width <= 0) return [];
  const cells: RibbonCell[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && ribbon[i]!.state === ribbon[start]!.state) continue;
    const x0 = (start * width) / n;
    const x1 = (i * width) / n;
    cells.push({ x: round(x0), width: round(x1 - x0), state: ribbon[start]!.state });
    start = i;
  }
  return cells;
}

/**
 * Bars for values across `width` x `height`, scaled to `max` (default: the largest magnitude,
 * at least 1e-9), a gap of `gap` pixels between them. With `slots`, the width is cut into that
 * many places and the bars fill them from the right (newest last), so a short history does not
 * make fat bars. Nulls become zero-height bars flagged `missing`.
 */
export function barLayout(values: readonly (number | null)[], width: number, height: number, max?: number, gap = 1, slots?: number) {
  const n = values.length;
  if (n === 0) return [];
  const finite = values.filter((v): v is number => v != null && Number.isFinite(v));
  const top = max ?? Math.max(1e-9, ...finite.map(Math.abs));
  const places = Math.max(n, slots ?? n);
  const slot = width / places;
  const w = Math.max(0.5, slot - gap);
  return values.map((v, i) => {
    const missing = v == null || !Number.isFinite(v);
    const h = missing ? 0 : (Math.min(Math.abs(v), top) / top) * height;
    return { x: round((places - n + i) * slot), y: round(height - h), width: round(w), height: round(h), missing, value: v };
  });
}
