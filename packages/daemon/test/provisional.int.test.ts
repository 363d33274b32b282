/**
 * Provisional rows: a student whose pending pairs' exact bounds decide every state is written at
 * once, with those distances null, and again when the pool delivers them. The daemon follows a
 * class tick by tick (the clock advancing, the pool working meanwhile) and after every tick each
 * student whose rows are provisional is compared with the projection of the same log from exact
 * distances: every state, posterior, bucket and card field the alerts read is equal; only the
 * pending runs' distance and score, their entries in `recentScores` and episodes' pending
 * `netChange` are null. In the end the dump equals the projection computed on the tick and a
 * rebuild, and the big-rewrite alerts are the same, each with its exact distance. On generated
 * team and mixed classes and on the real versions of ../shared/data/blocks.
 */
import { describe, expect, test } from 'bun:test';
import { tables, type ProjectedCard, type ProjectedEpisode, type ProjectedRun, type RosterStudent, type SourceEvent } from '@lmdash/core';
import { generateClassroom, readTrajectories, trajectoryEvents } from '@lmdash/fixtures';
import { defaultStrategyModel, DistanceCache, type ParsedProgram } from '@lmdash/inference';
import type { AstError } from '@lmdash/inference';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from './shared.ts';
import type { OpenedDaemon } from '../src/daemon.ts';
import { projectionOptions } from '../src/projection/options.ts';
import { projectStudent } from '../src/projection/projectStudent.ts';
import { dumpProjection, dumpWithProvisional } from '../src/rebuild/dumpProjection.ts';
import { rebuildProjection } from '../src/rebuild/rebuildProjection.ts';
import { tick } from '../src/tick/tick.ts';
import { WORKER_TAIL } from '../src/worker/workers.ts';
import { inProcessDaemon } from './harness.ts';

const POOL = { LMDASH_DISTANCE_WORKERS: '2' };
const delivery = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

type Checked = { ticks: number; provisionalWrites: number; provisionalRuns: number; provisionalEpisodes: number; rowsCompared: number };

/** The projection of the student's log now, from exact distances (APTED here), with caches shared across calls. */
function exactReference(ctx: OpenedDaemon) {
  const cache = new DistanceCache(1_000_000);
  const astCache = new Map<string, ParsedProgram | AstError>();
  const opts = projectionOptions(ctx.config, defaultStrategyModel);
  return (studentId: string) => projectStudent(studentId, ctx.storage.log.studentTail(studentId, WORKER_TAIL), { ...opts, cache, astCache });
}

/** Checks every provisionally written student against the exact projection of the same log. */
function checkProvisional(ctx: OpenedDaemon, students: readonly string[], exact: ReturnType<typeof exactReference>, c: Checked): void {
  for (const studentId of students) {
    c.provisionalWrites++;
    const written = ctx.storage.projection.readWritten(studentId);
    const want = exact(studentId);
    expect(want.pending + want.provisional).toBe(0);
    // Runs: equal, but for the pending ones' distance and score.
    expect([...written.runs.keys()].sort((a, b) => a - b)).toEqual(want.runs.map((r) => r.runIndex));
    const pendingRuns = new Set<number>();
    for (const w of want.runs) {
      const got = written.runs.get(w.runIndex)!;
      c.rowsCompared++;
      if (got.distance === null && w.distance !== null) {
        pendingRuns.add(w.runIndex);
        expect(got.bucket).not.toBeNull(); // the marker: distance null, bucket not
        expect(got).toEqual({ ...w, distance: null, score: null } as ProjectedRun);
      } else expect(got).toEqual(w);
    }
    c.provisionalRuns += pendingRuns.size;
    // The card: equal but for the pending runs' scores (what the alert sweep reads is equal).
    const card = written.card!;
    const scores = JSON.parse(want.card.recentScores) as (number | null)[];
    const offset = want.runs.length - scores.length;
    const expected = scores.map((s, i) => (pendingRuns.has(offset + i) ? null : s));
    expect(card).toEqual({ ...want.card, recentScores: JSON.stringify(expected) } as ProjectedCard);
    for (const k of ['state', 'stuckStreakRuns', 'stuckStreakStartedAt', 'lastEventAt', 'sessionOpen'] as const) expect(card[k]).toBe(want.card[k]);
    // Episodes: equal but for a net change still to come.
    expect(written.episodes.size).toBe(want.episodes.length);
    for (const e of want.episodes) {
      const got = written.episodes.get(e.episodeIndex)!;
      if (got.netChange === null && e.netChange !== null) {
        c.provisionalEpisodes++;
        expect(got).toEqual({ ...e, netChange: null } as ProjectedEpisode);
      } else expect(got).toEqual(e);
    }
  }
}

/**
 * Follows the class on `dbPath` from its first event to its end, `stepMs` of class per tick
 * (the pool works while the clock moves), then ticks until no student waits. Returns the dump,
 * the big-rewrite alerts and what was checked.
 */
async function follow(dbPath: string, events: readonly SourceEvent[], roster: readonly RosterStudent[], o: { env: Record<string, string>; provisional?: boolean; stepMs: number; check?: boolean }) {
  const times = events.map((e) => Date.parse(e.timestamp));
  let t = Math.min(...times);
  const end = Math.max(...times) + 60_000;
  const h = inProcessDaemon({ events, roster, now: () => t, dbPath, env: o.env, provisional: o.provisional });
  const checked: Checked = { ticks: 0, provisionalWrites: 0, provisionalRuns: 0, provisionalEpisodes: 0, rowsCompared: 0 };
  try {
    const { ctx } = h;
    const exact = exactReference(ctx);
    let writtenProvisionally = 0;
    // The most provisional runs a dump showed (`lmdash dump` says how many on stderr).
    let dumpedProvisional = 0;
    const step = async () => {
      const r = await tick(ctx);
      checked.ticks++;
      writtenProvisionally += r.provisional.length;
      dumpedProvisional = Math.max(dumpedProvisional, dumpWithProvisional(ctx.storage).provisional);
      if (o.check) checkProvisional(ctx, r.provisional, exact, checked);
    };
    for (; t <= end; t += o.stepMs) {
      await step();
      await Bun.sleep(2); // the pool's results come in between ticks, as they would live
    }
    for (let i = 0; ctx.memory.waiting.size > 0; i++) {
      if (i > 500) throw new Error('the daemon did not settle');
      await delivery(ctx.distances.nextDelivery());
      await step();
    }
    await step();
    expect(ctx.memory.provisional.size).toBe(0);
    expect(dumpWithProvisional(ctx.storage).provisional).toBe(0);
    // A dump taken while provisional runs were written showed them, by the marker.
    if (checked.provisionalRuns > 0) expect(dumpedProvisional).toBeGreaterThan(0);
    const bigRewrites = ctx.db.select({ studentId: tables.triggerEvent.studentId, runIndex: tables.triggerEvent.runIndex, startedAt: tables.triggerEvent.startedAt, detail: tables.triggerEvent.detail }).from(tables.triggerEvent).where(eq(tables.triggerEvent.kind, 'big_rewrite')).all();
    // Each big rewrite was raised on an exact row: its distance and score are the final row's.
    for (const a of bigRewrites) {
      const run = ctx.storage.projection.readWritten(a.studentId).runs.get(a.runIndex!)!;
      expect(JSON.parse(a.detail)).toEqual({ distance: run.distance, score: run.score });
    }
    const sorted = bigRewrites.sort((a, b) => a.studentId.localeCompare(b.studentId) || a.runIndex! - b.runIndex!);
    return { dump: dumpProjection(ctx.storage), bigRewrites: sorted, checked, writtenProvisionally, counts: { ...ctx.distances.counts } };
  } finally {
    h.cleanup();
  }
}

/** The class followed on the tick (exact at once), on the pool with provisional rows (checked), and on the pool without; then a rebuild. */
async function compareRuns(name: string, events: readonly SourceEvent[], roster: readonly RosterStudent[], stepMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-provisional-'));
  try {
    const onTick = await follow(join(dir, 'ontick.sqlite'), events, roster, { env: { LMDASH_DISTANCE_WORKERS: '0' }, stepMs });
    const db = join(dir, 'pool.sqlite');
    const early = await follow(db, events, roster, { env: POOL, stepMs, check: true });
    const late = await follow(join(dir, 'late.sqlite'), events, roster, { env: POOL, provisional: false, stepMs });
    expect(late.writtenProvisionally).toBe(0);
    expect(early.dump).toBe(onTick.dump);
    expect(late.dump).toBe(onTick.dump);
    expect(early.bigRewrites).toEqual(onTick.bigRewrites);
    expect(late.bigRewrites).toEqual(onTick.bigRewrites);
    // A rebuild (on the tick, the distance cache emptied) gives the same bytes.
    const r = inProcessDaemon({ events, roster, now: () => 0, dbPath: db });
    try {
      r.ctx.sqlite.run('DELETE FROM distance_cache');
      await rebuildProjection(r.ctx.storage, projectionOptions(r.ctx.config, defaultStrategyModel), 0);
      expect(dumpProjection(r.ctx.storage)).toBe(onTick.dump);
    } finally {
      r.cleanup();
    }
    const { counts, checked } = early;
    console.log(`${name}: ${counts.bounds} pairs settled by the bounds, ${counts.submitted} sent to the pool; ${early.writtenProvisionally} provisional writes over ${checked.ticks} ticks, ${checked.provisionalRuns} provisional run rows and ${checked.provisionalEpisodes} episodes checked against exact distances (${checked.rowsCompared} rows)`);
    return early;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('provisional rows', () => {
  test('a team class: provisional states equal the exact ones; the end equals the on-tick projection and a rebuild', async () => {
    const c = generateClassroom({ students: 16, minutes: 45, seed: 5, profile: 'team' });
    const early = await compareRuns('team', c.events, c.roster, 30_000);
    expect(early.writtenProvisionally).toBeGreaterThan(0);
    expect(early.checked.provisionalRuns).toBeGreaterThan(0);
  }, 240_000);

  test('a mixed class', async () => {
    const c = generateClassroom({ students: 20, minutes: 45, seed: 6, profile: 'mixed' });
    const early = await compareRuns('mixed', c.events, c.roster, 30_000);
    expect(early.checked.provisionalWrites).toBeGreaterThan(0);
  }, 240_000);

  const blocks = sharedPath('data/blocks');
  test.skipIf(!blocks)('the real versions of ../shared/data/blocks as a class (one student per project)', async () => {
    const projects = readTrajectories(blocks!, { manifest: join(blocks!, 'manifest.csv') });
    const log = trajectoryEvents(projects, { seed: 3 });
    const early = await compareRuns('real', log.events, log.roster, 60_000);
    expect(early.counts.submitted).toBeGreaterThan(0);
    expect(early.checked.provisionalRuns).toBeGreaterThan(0);
  }, 240_000);
});
