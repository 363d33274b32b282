/**
 * Layout of a student's runs timeline: a time axis over the runs and episodes, one bar per run
 * (its change score), the run's state below it, and the work episodes as bands behind. O(runs +
 * episodes).
 */
import type { EpisodeRow, RunRow } from '../types.ts';

export interface TimelineLayout {
  t0: number;
  t1: number;
  bars: { x: number; y: number; width: number; height: number; run: RunRow; missing: boolean }[];
  states: { x: number; width: number; state: 0 | 1 | 2 }[];
  bands: { x: number; width: number; episode: EpisodeRow }[];
  /** Axis ticks: x and the time they mark. */
  ticks: { x: number; t: number }[];
}

export interface TimelineBox {
  width: number;
  barHeight: number;
  /** Pixels kept free at the left and right so edge bars are whole. */
  pad: number;
}

const MIN_SPAN_MS = 60_000;

export function timelineLayout(runs: readonly RunRow[], episodes: readonly EpisodeRow[], box: TimelineBox): TimelineLayout {
  const times = [...runs.map((r) => r.ts), ...episodes.flatMap((e) => [e.start, e.end])];
  if (times.length === 0) return { t0: 0, t1: 0, bars: [], states: [], bands: [], ticks: [] };
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t1 - t0 < MIN_SPAN_MS) {
    const mid = (t0 + t1) / 2;
    t0 = mid - MIN_SPAN_MS / 2;
    t1 = mid + MIN_SPAN_MS / 2;
  }
  const inner = box.width - 2 * box.pad;
  const x = (t: number) => box.pad + ((t - t0) / (t1 - t0)) * inner;
  const barWidth = Math.max(1.5, Math.min(10, (inner / Math.max(1, runs.length)) * 0.6));
  const bars = runs.map((run) => {
    const missing = run.score == null;
    const h = missing ? 0 : Math.max(1, Math.min(1, Math.max(0, run.score!)) * box.barHeight);
    return { x: x(run.ts) - barWidth / 2, y: box.barHeight - h, width: barWidth, height: h, run, missing };
  });
  // Each run's state spans from halfway after the previous run to halfway before the next.
  const states = runs.map((run, i) => {
    const left = i === 0 ? x(run.ts) - barWidth / 2 : (x(runs[i - 1]!.ts) + x(run.ts)) / 2;
    const right = i === runs.length - 1 ? x(run.ts) + barWidth / 2 : (x(run.ts) + x(runs[i + 1]!.ts)) / 2;
    return { x: left, width: Math.max(1, right - left), state: run.state };
  });
  const bands = episodes.map((episode) => ({ x: x(episode.start), width: Math.max(2, x(episode.end) - x(episode.start)), episode }));
  const ticks = niceTicks(t0, t1).map((t) => ({ x: x(t), t }));
  return { t0, t1, bars, states, bands, ticks };
}

const STEPS = [60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000];

/** Round clock times between t0 and t1, at most about six of them. */
export function niceTicks(t0: number, t1: number, most = 6): number[] {
  const span = t1 - t0;
  const step = STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / 86_400_000) * 86_400_000;
  const out: number[] = [];
  // Steps are whole minutes or hours; align them to the local clock.
  const offset = new Date(t0).getTimezoneOffset() * 60_000;
  for (let t = Math.ceil((t0 - offset) / step) * step + offset; t <= t1; t += step) out.push(t);
  return out;
}
