/**
 * Crash safety, for real: the simulator replays the classroom log fast, with late commits and
 * faults, while the daemon is killed with SIGKILL at random moments (20 times) and restarted.
 * After it catches up, `vex_log` holds exactly the source's events: none missing, none twice;
 * and its projection equals a rebuild from the log. On the SQLite file and on PostgreSQL.
 */
import { describe, expect, test } from 'bun:test';
import { createScratchPostgres, openStorage } from '@lmdash/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interruptDaemon, seededDelays } from '../../../test/interrupt.ts';
import { spawnSim } from '../../../test/spawnSim.ts';

const root = resolve(import.meta.dir, '../../..');
const LOG = resolve(root, 'fixtures/logs/classroom.jsonl');
const sourceIds = readFileSync(LOG, 'utf8').trim().split('\n').map((l) => String((JSON.parse(l) as { id: number }).id)).sort();

/** Every source event id stored in the store at `db`, sorted. */
function storedIds(db: string): string[] {
  const opened = openStorage(db);
  try {
    return opened.storage.log.eventsAfter(0).map((e) => e.sourceEventId).sort();
  } finally {
    opened.close();
  }
}

async function killedAndRestarted(db: string): Promise<void> {
  // 90 minutes of class in about 11 s; faults that answer quickly (no 30 s timeouts here).
  const sim = await spawnSim(['--quiet', '--log', LOG, '--speed', '500', '--late-ms', '1500', '--seed', '5', '--fault-500', '0.08', '--fault-429-retry-after', '0.04', '--retry-after', '0', '--fault-bad-body', '0.06', '--fault-drop', '0.04', '--fault-duplicate', '0.1']);
  // Small pages make every drain many requests long, so kills land mid-drain.
  const env = { ...process.env, PIPELINE_IDLE_MAX: '0.5', LMDASH_PAGE_SIZE: '20' };
  try {
    const kills = await interruptDaemon({ db, source: sim.url, env, delays: seededDelays(20, 7, 150, 700), signal: 'SIGKILL' });
    expect(kills).toBe(20);
    // Let the replay finish (and its late commits land), then catch up without interruption.
    await Bun.sleep(12_000);
    for (let i = 0; i < 4; i++) {
      const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sim.url, '--track-all', '--once'], { cwd: root, env });
      expect(r.exitCode).toBe(0);
    }
    const stored = storedIds(db);
    expect(stored.length).toBe(sourceIds.length);
    expect(stored).toEqual(sourceIds);
    // And the projection built across the crashes equals a rebuild from the log.
    const before = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'dump', '--db', db], { cwd: root }).stdout.toString();
    expect(Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'rebuild', '--db', db], { cwd: root }).exitCode).toBe(0);
    const after = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'dump', '--db', db], { cwd: root }).stdout.toString();
    expect(before.length).toBeGreaterThan(1000);
    expect(after).toBe(before);
  } finally {
    sim.stop();
  }
}

describe('crash safety', () => {
  test('killed 20 times mid-drain under faults and late events, the mirror ends exact (SQLite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-crash-'));
    try {
      await killedAndRestarted(join(dir, 'lmdash.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('the same on PostgreSQL', async () => {
    const pg = createScratchPostgres();
    try {
      await killedAndRestarted(pg.url);
    } finally {
      pg.drop();
    }
  }, 180_000);
});
