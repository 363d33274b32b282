/**
 * Golden: the committed classroom logs replayed through the simulator into the daemon, with a
 * fixed clock; the final projection and alerts must equal the committed golden dumps. A
 * mismatch writes `<name>.actual.json` beside the golden file for review (see README).
 */
import { describe, expect, test } from 'bun:test';
import { createScratchPostgres, type SourceEvent } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dumpProjection } from '../src/rebuild/dumpProjection.ts';
import { inProcessDaemon, inProcessDaemonOn, type Harness } from './harness.ts';
import type { StartedDaemon } from '../src/daemon.ts';
import { tick } from '../src/tick/tick.ts';

const logs = resolve(import.meta.dir, '../../../fixtures/logs');

/** Replays a committed log into a daemon on a fresh SQLite file, or on a scratch PostgreSQL database. */
async function replay(name: string, env: Record<string, string> = {}, engine: 'sqlite' | 'postgres' = 'sqlite'): Promise<string> {
  const events: SourceEvent[] = readEventLog(resolve(logs, `${name}.jsonl`));
  const now = Math.max(...events.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
  const o = { events, now: () => now, roster: JSON.parse(readFileSync(resolve(logs, `${name}.roster.json`), 'utf8')), env };
  if (engine === 'sqlite') return dumpAfterReplay(inProcessDaemon(o));
  const pg = createScratchPostgres();
  try {
    return await dumpAfterReplay(inProcessDaemonOn(pg.url, o));
  } finally {
    pg.drop();
  }
}

async function dumpAfterReplay({ ctx, cleanup }: Harness<StartedDaemon>): Promise<string> {
  try {
    for (let i = 0; i < 5; i++) await tick(ctx);
    // With a pool, students whose pairs are off the tick are written once those are in.
    while (ctx.memory.waiting.size > 0) {
      const signal = ctx.distances.nextDelivery();
      if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      await tick(ctx);
    }
    const alerts = ctx.storage.reads
      .alertsByStatus(null, Number.MAX_SAFE_INTEGER)
      .map(({ id: _id, version: _v, ...t }) => t)
      .sort((a, b) => a.studentId.localeCompare(b.studentId) || a.kind.localeCompare(b.kind) || a.startedAt - b.startedAt);
    return dumpProjection(ctx.storage).replace(/\n$/, '') + '\n' + JSON.stringify({ trigger_event: alerts }, null, 1) + '\n';
  } finally {
    cleanup();
  }
}

describe('golden replays', () => {
  for (const name of ['small', 'classroom']) {
    test(`${name}: the projection and alerts equal the committed golden dump`, async () => {
      const golden = resolve(import.meta.dir, `golden/${name}.dump.json`);
      const actual = await replay(name);
      const actualPath = golden.replace(/\.json$/, '.actual.json');
      if (!existsSync(golden) || readFileSync(golden, 'utf8') !== actual) {
        writeFileSync(actualPath, actual);
        throw new Error(`${name}: the replay differs from ${golden} (or it is missing); review ${actualPath} and, if right, rename it over the golden file`);
      }
      if (existsSync(actualPath)) rmSync(actualPath);
      expect(actual).toBe(readFileSync(golden, 'utf8'));
    }, 60_000);

    test(`${name}: with distances off the tick (a pool of 2 threads), the same bytes`, async () => {
      expect(await replay(name, { LMDASH_DISTANCE_WORKERS: '2' })).toBe(readFileSync(resolve(import.meta.dir, `golden/${name}.dump.json`), 'utf8'));
    }, 60_000);

    test(`${name}: on PostgreSQL, the same bytes`, async () => {
      expect(await replay(name, {}, 'postgres')).toBe(readFileSync(resolve(import.meta.dir, `golden/${name}.dump.json`), 'utf8'));
    }, 120_000);
  }
});
