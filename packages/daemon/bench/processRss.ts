/**
 * Peak resident memory of a process, read from /proc (VmHWM) while it runs: the figure the
 * benchmarks report for the daemon and a rebuild as their own processes.
 */
import { readFileSync } from 'node:fs';

export function rssMb(pid: number): { now: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const peak = kb('VmHWM');
    // An exited process that is not yet reaped has a status without memory lines.
    return Number.isFinite(peak) ? { now: kb('VmRSS') / 1024, peak: peak / 1024 } : null;
  } catch {
    return null; // the process has exited
  }
}

/** Samples a process's peak RSS every `everyMs` until stopped; returns the highest seen. */
export function watchPeak(pid: number, everyMs = 100): { stop: () => number } {
  let peak = 0;
  const t = setInterval(() => {
    const r = rssMb(pid);
    if (r) peak = Math.max(peak, r.peak);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      const r = rssMb(pid);
      if (r) peak = Math.max(peak, r.peak);
      return peak;
    },
  };
}
