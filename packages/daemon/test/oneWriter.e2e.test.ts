/**
 * One writer per store, for real: a second daemon pointed at the same store waits (it says so)
 * and writes nothing; when the first is killed with -9 it takes over and finishes the mirror,
 * which ends exact. On PostgreSQL (the advisory lock) and on the SQLite file (the lock file).
 */
import { describe, expect, test } from 'bun:test';
import { createScratchPostgres, openStorage } from '@lmdash/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSim } from '../../../test/spawnSim.ts';

const root = resolve(import.meta.dir, '../../..');
const LOG = resolve(root, 'fixtures/logs/small.jsonl');
const sourceIds = readFileSync(LOG, 'utf8').trim().split('\n').map((l) => String((JSON.parse(l) as { id: number }).id)).sort();

type Daemon = { proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>; lines: string[]; saw: (re: RegExp, ms: number) => Promise<boolean> };

function spawnDaemon(db: string, source: string): Daemon {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', source, '--track-all'], {
    cwd: root,
    env: { ...process.env, PIPELINE_IDLE_MAX: '0.5' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const lines: string[] = [];
  void (async () => {
    for await (const chunk of proc.stdout) lines.push(...new TextDecoder().decode(chunk).split('\n').filter(Boolean));
  })();
  void (async () => {
    for await (const _ of proc.stderr);
  })();
  const saw = async (re: RegExp, ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (lines.some((l) => re.test(l))) return true;
      await Bun.sleep(50);
    }
    return false;
  };
  return { proc, lines, saw };
}

const stored = (db: string) => {
  const o = openStorage(db);
  try {
    return { ids: o.storage.log.eventsAfter(0).map((e) => e.sourceEventId).sort(), cursor: o.storage.log.readCursor() };
  } finally {
    o.close();
  }
};

async function secondWaitsThenTakesOver(db: string): Promise<void> {
  // An hour of class in 12 s: the first daemon is killed mid-class, the second finishes it.
  const sim = await spawnSim(['--quiet', '--log', LOG, '--speed', '300']);
  const first = spawnDaemon(db, sim.url);
  let second: Daemon | null = null;
  try {
    expect(await first.saw(/^tick: /, 30_000)).toBe(true);
    second = spawnDaemon(db, sim.url);
    expect(await second.saw(/another daemon is writing .*; waiting/, 15_000)).toBe(true);
    expect(second.lines.filter((l) => l.startsWith('tick: '))).toEqual([]);
    first.proc.kill('SIGKILL');
    await first.proc.exited;
    expect(await second.saw(/the other daemon is gone; this one now writes/, 20_000)).toBe(true);
    // The survivor finishes the mirror: every event once, the cursor at the end.
    const until = Date.now() + 30_000;
    while (stored(db).ids.length < sourceIds.length && Date.now() < until) await Bun.sleep(200);
    const s = stored(db);
    expect(s.ids).toEqual(sourceIds);
    expect(s.cursor.lastEventTime).not.toBeNull();
  } finally {
    first.proc.kill('SIGKILL');
    second?.proc.kill('SIGKILL');
    await Promise.all([first.proc.exited, second?.proc.exited]);
    sim.stop();
  }
}

describe('one writer per store', () => {
  test('PostgreSQL: a second daemon waits, then takes over when the first is killed', async () => {
    const pg = createScratchPostgres();
    try {
      await secondWaitsThenTakesOver(pg.url);
    } finally {
      pg.drop();
    }
  }, 120_000);

  test('SQLite: the same with the lock file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-writer-'));
    try {
      await secondWaitsThenTakesOver(join(dir, 'lmdash.sqlite'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
