/** Timing helpers: warm up, then take the median (and p95) of repeated runs. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function time<T>(fn: () => T, opts: { warmup?: number; runs?: number } = {}): { median: number; p95: number; result: T } {
  let result!: T;
  for (let i = 0; i < (opts.warmup ?? 1); i++) result = fn();
  const times: number[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95), result };
}
