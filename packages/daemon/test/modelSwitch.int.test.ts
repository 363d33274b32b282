/**
 * Switching the model (LMDASH_MODEL) on a mirrored log: a restarted daemon re-decodes every
 * student from the distances it already has, the projection changes only where the states
 * show, meta.model_hash names the model, and a rebuild gives the same bytes. Old model files (a
 * bucket-only fitBaumWelch JSON, an hmmlearn export) still load and decode on the buckets.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import type { SourceEvent } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import { computeStrategyStates, defaultModel, runsFromEvents, toHmmlearn, type StrategyModel } from '@lmdash/inference';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { distanceResolver, loadModel, modelHash } from '../src/daemon.ts';
import { runModel } from '../src/cli/model.ts';
import { loggedStudents, studentEvents } from '../src/model/log.ts';
import { projectionOptions } from '../src/projection/options.ts';
import { dumpProjection } from '../src/rebuild/dumpProjection.ts';
import { rebuildProjection } from '../src/rebuild/rebuildProjection.ts';
import type { TickContext } from '../src/tick/context.ts';
import { tick } from '../src/tick/tick.ts';
import { inProcessDaemon } from './harness.ts';

const EVENTS: SourceEvent[] = readEventLog(resolve(import.meta.dir, '../../../fixtures/logs/small.jsonl'));
const NOW = Math.max(...EVENTS.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'lmdash-model-switch-'));
const db = join(dir, 'lmdash.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Dump = { model: string; student_state: Record<string, unknown>[]; run: Record<string, unknown>[]; episode: Record<string, unknown>[] };

async function quiet(ctx: TickContext): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await tick(ctx);
    if (i > 0 && r.ingested === 0 && r.recomputed === 0) return;
  }
  throw new Error('the daemon did not settle');
}

/** The daemon on the shared file with these settings until it settles; its dump. */
async function daemonDump(env: Record<string, string> = {}): Promise<string> {
  const h = inProcessDaemon({ events: EVENTS, now: () => NOW, dbPath: db, env });
  try {
    await quiet(h.ctx);
    return dumpProjection(h.ctx.storage);
  } finally {
    h.cleanup();
  }
}

/** The rows without the fields that come from the decoded states. */
const STATE_FIELDS = { student_state: ['state', 'stateSince', 'stuckStreakRuns', 'stuckStreakStartedAt', 'prompt'], run: ['state', 'posterior'], episode: ['stateMix', 'longestStuckStreak'] } as const;
function withoutStates(d: Dump) {
  const strip = (rows: Record<string, unknown>[], fields: readonly string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !fields.includes(k))));
  return { student_state: strip(d.student_state, STATE_FIELDS.student_state), run: strip(d.run, STATE_FIELDS.run), episode: strip(d.episode, STATE_FIELDS.episode) };
}

/** Each run's state decoded straight from the log with `model`, by student and run index. */
function decodedFromLog(model: StrategyModel): string[] {
  const h = inProcessDaemon({ events: [], now: () => NOW, dbPath: db });
  try {
    return loggedStudents(h.ctx.storage).flatMap((s) => computeStrategyStates(runsFromEvents(studentEvents(h.ctx.storage, s), (e) => e.sourceEventId), { model }).rows.map((r) => `${s}/${r.index}:${r.state}`));
  } finally {
    h.cleanup();
  }
}

describe('switching LMDASH_MODEL', () => {
  const files = { fitted: join(dir, 'fitted.json'), buckets: join(dir, 'buckets.json'), hmmlearn: join(dir, 'hmmlearn.json') };
  let before: string;

  test('a daemon restarted with another model re-decodes every run from the cached distances; nothing but the states changes; a rebuild gives the same bytes', async () => {
    before = await daemonDump();
    expect(runModel(['fit', '--db', db, '--out', files.fitted], { stdout: () => {}, stderr: () => {}, isTty: false })).toBe(0);
    writeFileSync(files.buckets, JSON.stringify({ ...defaultModel, transProb: [[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]] }));
    writeFileSync(files.hmmlearn, JSON.stringify(toHmmlearn(defaultModel)));
    const first = JSON.parse(before) as Dump;
    for (const file of Object.values(files)) {
      const model = loadModel(file);
      const after = await daemonDump({ LMDASH_MODEL: file });
      const d = JSON.parse(after) as Dump;
      expect(d.model).toBe(modelHash(model));
      expect(withoutStates(d)).toEqual(withoutStates(first));
      expect(d.run.map((r) => `${r.studentId}/${r.runIndex}:${r.state}`).sort()).toEqual(decodedFromLog(model).sort());
      // A rebuild under the same model: the same bytes, every distance read from the durable cache.
      const h = inProcessDaemon({ events: EVENTS, now: () => NOW, dbPath: db, env: { LMDASH_MODEL: file } });
      const distances = distanceResolver(h.ctx.storage, h.ctx.config, () => {});
      try {
        await rebuildProjection(h.ctx.storage, projectionOptions(h.ctx.config, model), NOW, distances);
        expect(dumpProjection(h.ctx.storage)).toBe(after);
        expect(distances.counts.durable).toBeGreaterThan(0);
        expect(distances.counts.here + distances.counts.submitted).toBe(0);
      } finally {
        distances.close();
        h.cleanup();
      }
    }
    // The fitted model and the reshaped bucket model really decode differently from the default.
    expect(decodedFromLog(loadModel(files.fitted))).not.toEqual(decodedFromLog(loadModel(files.buckets)));
  }, 120_000);

  test('back to the default model: the first projection again, byte for byte', async () => {
    expect(await daemonDump()).toBe(before);
  }, 60_000);

  test('old model files decode on the change buckets alone, as they did', () => {
    expect(decodedFromLog(loadModel(files.hmmlearn))).toEqual(decodedFromLog(defaultModel));
  });
});
