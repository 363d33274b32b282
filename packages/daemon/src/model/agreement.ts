/**
 * Agreement of decoded states with known ones: 3×3 confusion matrices (rows: the known state,
 * columns: the decoded one) and per-state recall. O(N).
 */

export type Confusion = number[][];

export const emptyConfusion = (): Confusion => [
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];

/** Adds each pair (known, decoded) to `into`; pairs with a null side are skipped. */
export function addPairs(into: Confusion, known: readonly (number | null)[], decoded: readonly (number | null)[]): Confusion {
  for (let i = 0; i < known.length; i++) {
    const k = known[i];
    const d = decoded[i];
    if (k === null || d === null || k === undefined || d === undefined) continue;
    into[k][d]++;
  }
  return into;
}

export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return a.map((row, i) => row.map((x, j) => x + b[i][j]));
}

/** Share of state k's runs decoded as k (NaN when there are none). */
export function recallOf(c: Confusion, k: number): number {
  const n = c[k][0] + c[k][1] + c[k][2];
  return n === 0 ? NaN : c[k][k] / n;
}

/** Share of all runs decoded as their known state. */
export function overall(c: Confusion): number {
  const n = c.flat().reduce((a, b) => a + b, 0);
  return n === 0 ? NaN : (c[0][0] + c[1][1] + c[2][2]) / n;
}
