/**
 * The real daemon, started and stopped again and again at seeded moments: what the crash test
 * and `bun run test:chaos` do to it. A seeded sequence, so a failing run can be replayed.
 */
import { REPO_ROOT } from './spawnSim.ts';

/** `n` delays in [min, min + spread) ms from a small LCG seeded with `seed`. */
export function seededDelays(n: number, seed: number, min: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return min + (s % spread);
  });
}

/** Runs `lmdash daemon --track-all` once per delay, stopping it with `signal` after that long. Returns the stops. */
export async function interruptDaemon(o: { db: string; source: string; env: Record<string, string | undefined>; delays: readonly number[]; signal: 'SIGKILL' | 'SIGTERM' }): Promise<number> {
  let stops = 0;
  for (const ms of o.delays) {
    const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', o.db, '--source', o.source, '--track-all'], { cwd: REPO_ROOT, env: o.env, stdout: 'ignore', stderr: 'ignore' });
    await Bun.sleep(ms);
    daemon.kill(o.signal);
    await daemon.exited;
    stops++;
  }
  return stops;
}
