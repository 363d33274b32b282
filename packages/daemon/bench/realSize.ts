/**
 * Ticks on real-size programs, in process: a generated class of the `team` or `mixed` profile
 * (500–2,000-node programs, see fixtures/README.md) served by the simulator without network.
 * The daemon starts cold 20 minutes into the class with its pool of distance threads; it ticks
 * until no student waits for a distance (the catch-up), then follows one minute of class (per row; see run.ts) at
 * the loop's cadence in real time (0.5 s between ticks, so the pool works as it would live).
 * Each row runs in a process of its own (`benchRealSizeProcess`); its peak RSS is that whole
 * process's (the simulator and the generated class are in it too, measured before the first tick).
 */
import { generateClassroom, type Profile } from '@lmdash/fixtures';
import { inProcessDaemon } from '../test/harness.ts';
import { tick } from '../src/tick/tick.ts';
import { quantile } from './stats.ts';
import { collectionCount } from '../src/memory/collect.ts';
import { rssMb } from './processRss.ts';

/** One full collection of this process's heap: what each of the daemon's collections costs here. */
function timedCollection(): number {
  const t = performance.now();
  Bun.gc(true);
  return performance.now() - t;
}

export type RealSizeRow = { profile: Profile; students: number; runs: number; catchUp: { events: number; firstMs: number; ticks: number; wallMs: number }; follow: { ticks: number; p50: number; p95: number; max: number; eventsPerTick: number }; classMb: number; peakMb: number; collections: number; gcMs: number };

export async function benchRealSize(o: { profile: Profile; students: number; workers: number; followSeconds: number }): Promise<RealSizeRow> {
  const { events, roster } = generateClassroom({ students: o.students, minutes: 45, seed: 3, profile: o.profile });
  const first = Date.parse(events[0].timestamp);
  let now = first + 20 * 60_000;
  const h = inProcessDaemon({ events, roster, now: () => now, env: { LMDASH_DISTANCE_WORKERS: String(o.workers) } });
  try {
    // What the process holds before the daemon's first tick: the generated class and the simulator
    // serving it. The daemon's own figure is the table of the daemon as its own process.
    Bun.gc(true);
    const classMb = rssMb(process.pid)?.now ?? 0;
    const collections0 = collectionCount();
    const t0 = performance.now();
    const r0 = await tick(h.ctx);
    let catchUpTicks = 1;
    for (let r = r0; r.waiting > 0; catchUpTicks++) {
      await Bun.sleep(100);
      r = await tick(h.ctx);
    }
    const wallMs = performance.now() - t0;
    const times: number[] = [];
    let ingested = 0;
    const started = performance.now();
    while (performance.now() - started < o.followSeconds * 1000) {
      await Bun.sleep(500);
      now += 500;
      const r = await tick(h.ctx);
      times.push(r.ms);
      ingested += r.ingested;
      now += Math.round(r.ms);
    }
    const runCount = events.filter((e) => e.type === 'runProject').length;
    const row: RealSizeRow = {
      profile: o.profile,
      students: o.students,
      runs: runCount,
      catchUp: { events: r0.ingested + r0.backfilled, firstMs: r0.ms, ticks: catchUpTicks, wallMs },
      follow: { ticks: times.length, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(0, ...times), eventsPerTick: ingested / Math.max(1, times.length) },
      classMb,
      peakMb: rssMb(process.pid)?.peak ?? 0,
      collections: collectionCount() - collections0,
      gcMs: timedCollection(),
    };
    console.log(`real size ${o.profile} ${o.students}: catch-up ${row.catchUp.events} events, first tick ${row.catchUp.firstMs.toFixed(0)} ms, all distances in after ${(wallMs / 1000).toFixed(1)} s (${catchUpTicks} ticks); follow p50 ${row.follow.p50.toFixed(1)} p95 ${row.follow.p95.toFixed(1)} max ${row.follow.max.toFixed(0)} ms; class ${row.classMb.toFixed(0)} MB, peak ${row.peakMb.toFixed(0)} MB; ${row.collections} collections of ~${row.gcMs.toFixed(0)} ms`);
    return row;
  } finally {
    h.cleanup();
  }
}

/** One row in a process of its own, so that its peak RSS is its own. */
export async function benchRealSizeProcess(o: { profile: Profile; students: number; workers: number; followSeconds: number }): Promise<RealSizeRow> {
  const proc = Bun.spawn(['bun', import.meta.path, o.profile, String(o.students), String(o.workers), String(o.followSeconds)], { stdout: 'pipe', stderr: 'inherit' });
  const text = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`real-size bench failed: ${text.slice(-500)}`);
  process.stdout.write(text.split('\n').filter((l) => !l.startsWith('{')).join('\n'));
  return JSON.parse(text.split('\n').filter((l) => l.startsWith('{')).at(-1)!) as RealSizeRow;
}

if (import.meta.main) {
  const [profile = 'team', students = '30', workers = '2', follow = '20'] = process.argv.slice(2);
  const row = await benchRealSize({ profile: profile as Profile, students: Number(students), workers: Number(workers), followSeconds: Number(follow) });
  console.log(JSON.stringify(row));
}
