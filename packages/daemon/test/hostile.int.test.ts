/**
 * Issue 11: one huge program must not stop the mirror. The simulator's log holds, among the
 * committed small classroom, a 50,000-block chain (3.7 MB, over the byte bound), a 6,000-block
 * chain (under the bytes, over the node bound) and 200 nested loops (over the depth bound). The
 * daemon's tick completes; each such run is stored as is and flagged too-large; every other
 * student's projection is what it would be without them; a second daemon on the same file comes
 * up and projects the same; and a rebuild equals the incremental projection.
 */
import { describe, expect, test } from 'bun:test';
import { tables, type SourceEvent } from '@lmdash/core';
import { chainProgram, nestedProgram, readEventLog } from '@lmdash/fixtures';
import { defaultStrategyModel } from '@lmdash/inference';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dumpProjection } from '../src/rebuild/dumpProjection.ts';
import { rebuildProjection } from '../src/rebuild/rebuildProjection.ts';
import { projectionOptions } from '../src/projection/options.ts';
import { projectStudent } from '../src/projection/projectStudent.ts';
import { tick } from '../src/tick/tick.ts';
import { inProcessDaemon } from './harness.ts';

const LOG: SourceEvent[] = readEventLog(resolve(import.meta.dir, '../../../fixtures/logs/small.jsonl'));
const LAST = Math.max(...LOG.map((e) => Date.parse(e.timestamp)));
let nextId = Math.max(...LOG.map((e) => Number(e.id)));

const lastRun = (student: string) => LOG.filter((e) => e.student === student && e.type === 'runProject').at(-1)!.data as { workspace: string; project: string };
const lastWorkspace = (student: string) => lastRun(student).workspace;
/** A run of `student` at LAST + `s` seconds, in the project of their last run. */
const run = (student: string, s: number, workspace: string): SourceEvent =>
  ({ id: ++nextId, student, type: 'runProject', timestamp: new Date(LAST + s * 1000).toISOString(), data: { project: lastRun(student).project, workspace, slot: 0 } }) as SourceEvent;

// s-0006: a normal run, the 50,000-block chain, a normal run again. s-0010: ends on a 6,000-block
// chain. s-0002: 200 nested loops in the middle.
const HOSTILE = [
  run('s-0006', 10, lastWorkspace('s-0006')),
  run('s-0006', 20, chainProgram(50_000)),
  run('s-0006', 30, lastWorkspace('s-0006')),
  run('s-0010', 20, chainProgram(6_000)),
  run('s-0002', 20, nestedProgram(200)),
  run('s-0002', 30, lastWorkspace('s-0002')),
];
const EVENTS = [...LOG, ...HOSTILE];
const HOSTILE_STUDENTS = new Set(HOSTILE.map((e) => e.student));

type Ctx = ReturnType<typeof inProcessDaemon>['ctx'];

async function tickUntilQuiet(ctx: Ctx): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const r = await tick(ctx);
    if (r.ingested === 0 && r.backfilled === 0 && r.recomputed === 0) return;
  }
  throw new Error('the daemon did not settle');
}

const runsOf = (ctx: Ctx, student: string) => ctx.db.select().from(tables.run).where(eq(tables.run.studentId, student)).all().sort((a, b) => a.runIndex - b.runIndex);
const runOf = (ctx: Ctx, eventId: number) => ctx.db.select().from(tables.run).where(eq(tables.run.sourceEventId, String(eventId))).get()!;

describe('a log holding programs over the bounds', () => {
  test('the tick completes, the runs are flagged too-large, the others are untouched; a restart and a rebuild agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-hostile-'));
    const dbPath = join(dir, 'lmdash.sqlite');
    const now = () => LAST + 120_000;
    try {
      const first = inProcessDaemon({ events: EVENTS, now, dbPath });
      let incremental: string;
      try {
        await tickUntilQuiet(first.ctx);
        // Stored as is: the mirror never drops what the source recorded.
        const stored = first.ctx.db.select({ data: tables.vexLog.data }).from(tables.vexLog).where(eq(tables.vexLog.sourceEventId, String(HOSTILE[1]!.id))).get()!;
        expect((JSON.parse(stored.data) as { workspace: string }).workspace).toBe(chainProgram(50_000));

        const [, chain, after, nodes, nested, afterNested] = HOSTILE.map((e) => runOf(first.ctx, Number(e.id)));
        expect(chain!.parseError).toBe('program too large: 3,739,228 bytes (limit 1,048,576; LMDASH_MAX_PROGRAM_BYTES)');
        expect(nodes!.parseError).toBe('program too large: at least 5,001 nodes (limit 5,000; LMDASH_MAX_PROGRAM_NODES)');
        expect(nested!.parseError).toBe('program too large: at least 257 levels deep (limit 256; LMDASH_MAX_PROGRAM_DEPTH)');
        for (const r of [chain!, nodes!, nested!]) expect(r).toMatchObject({ astSize: null, treeHash: null, distance: null, score: null, bucket: null });
        // Counted as runs, skipped for comparison: the next program is compared with the one before.
        expect(after).toMatchObject({ parseError: null, distance: 0, bucket: 0 });
        expect(afterNested).toMatchObject({ parseError: null, distance: 0, bucket: 0 });
        const card = (s: string) => first.ctx.db.select().from(tables.studentState).where(eq(tables.studentState.studentId, s)).get()!;
        expect(card('s-0006').runCount).toBe(runsOf(first.ctx, 's-0006').length);
        // s-0010 ends on the too-large run: the card still shows the last program that parsed.
        expect(runsOf(first.ctx, 's-0010').at(-1)!.parseError).toContain('too large');
        expect(card('s-0010').pseudocode).not.toBeNull();

        // Everyone else: exactly the projection of their own events.
        const others = [...new Set(LOG.map((e) => e.student))].filter((s) => !HOSTILE_STUDENTS.has(s)).sort();
        expect(others.length).toBeGreaterThan(3);
        for (const s of others) {
          const direct = projectStudent(s, LOG.filter((e) => e.student === s).map((e) => ({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data })), { episodeGapMs: 600_000 });
          const { version: _v, ...row } = card(s);
          expect(row).toEqual(direct.card);
          expect(runsOf(first.ctx, s).map(({ version: _w, ...r }) => r)).toEqual(direct.runs);
        }
        incremental = dumpProjection(first.ctx.storage);
      } finally {
        first.cleanup();
      }

      // A restart on the same file: the cold start re-reads the too-large programs, applies the
      // bounds first, and comes up with the same projection.
      const second = inProcessDaemon({ events: EVENTS, now, dbPath });
      try {
        await tickUntilQuiet(second.ctx);
        expect(second.ctx.memory.ticks).toBeGreaterThan(0);
        expect(dumpProjection(second.ctx.storage)).toBe(incremental);
        // A rebuild under the daemon's config replays the log into the same bytes.
        await rebuildProjection(second.ctx.storage, projectionOptions(second.ctx.config, defaultStrategyModel), now());
        expect(dumpProjection(second.ctx.storage)).toBe(incremental);
      } finally {
        second.cleanup();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the bounds come from the config; the dump names them when they are not the defaults', async () => {
    const h = inProcessDaemon({ events: LOG, now: () => LAST + 60_000, env: { LMDASH_MAX_PROGRAM_NODES: '40' } });
    try {
      await tickUntilQuiet(h.ctx);
      const errors = h.ctx.db.select({ e: tables.run.parseError }).from(tables.run).all().map((r) => r.e);
      expect(errors.filter((e) => e?.startsWith('program too large: at least 41 nodes (limit 40;')).length).toBeGreaterThan(10);
      const dump = JSON.parse(dumpProjection(h.ctx.storage)) as { model: string };
      expect(dump.model).toMatch(/^default@[0-9a-f]{8} limits:bytes=1048576,nodes=40,depth=256$/);
      const incremental = dumpProjection(h.ctx.storage);
      await rebuildProjection(h.ctx.storage, projectionOptions(h.ctx.config, defaultStrategyModel), Date.now());
      expect(dumpProjection(h.ctx.storage)).toBe(incremental);
    } finally {
      h.cleanup();
    }
  }, 60_000);
});
