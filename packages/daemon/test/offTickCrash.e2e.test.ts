/**
 * A crash with distances in flight loses nothing: the real daemon, on a class of team-sized
 * programs, is killed with SIGKILL right after a tick that left students waiting for pairs on
 * its pool (three times); a restart with `--once` (which waits for the pool) ends with every
 * student written, and the dump equals a rebuild computed on the tick.
 */
import { describe, expect, test } from 'bun:test';
import { generateClassroom } from '@lmdash/fixtures';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSim } from '../../../test/spawnSim.ts';

const root = resolve(import.meta.dir, '../../..');
const CLASS = generateClassroom({ students: 3, minutes: 30, seed: 1, profile: 'team' });
const lmdash = (args: string[], env: Record<string, string | undefined>) => Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, env });

/** Starts the daemon and kills it with SIGKILL as soon as a tick reports students waiting for distances. */
async function killWhileWaiting(db: string, source: string, env: Record<string, string | undefined>): Promise<string> {
  const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', source, '--track-all'], { cwd: root, env, stdout: 'pipe', stderr: 'ignore' });
  const reader = daemon.stdout.getReader();
  let text = '';
  try {
    while (!/waiting for [1-9]\d* distances/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    daemon.kill('SIGKILL');
    await daemon.exited;
  }
  return text;
}

describe('a crash with distances in flight', () => {
  test('killed while students wait for the pool, the restart ends with the projection a rebuild gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-offtick-crash-'));
    const db = join(dir, 'lmdash.sqlite');
    const log = join(dir, 'team.jsonl');
    writeFileSync(log, CLASS.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const sim = await spawnSim(['--quiet', '--log', log, '--all-visible']);
    const env = { ...process.env, PIPELINE_IDLE_MAX: '0.5', LMDASH_DISTANCE_WORKERS: '2' };
    try {
      for (let i = 0; i < 3; i++) expect(await killWhileWaiting(db, sim.url, env)).toMatch(/waiting for [1-9]\d* distances/);
      const once = lmdash(['daemon', '--db', db, '--source', sim.url, '--track-all', '--once'], env);
      expect(once.exitCode).toBe(0);
      const incremental = lmdash(['dump', '--db', db], env).stdout.toString();
      const students = [...new Set(CLASS.events.map((e) => e.student))].sort();
      expect((JSON.parse(incremental) as { student_state: { studentId: string }[] }).student_state.map((s) => s.studentId)).toEqual(students);
      // A rebuild on the tick, with the durable cache emptied: the same bytes.
      const sqlite = new (await import('bun:sqlite')).Database(db);
      sqlite.run('DELETE FROM distance_cache');
      sqlite.close();
      expect(lmdash(['rebuild', '--db', db], { ...env, LMDASH_DISTANCE_WORKERS: '0' }).exitCode).toBe(0);
      expect(lmdash(['dump', '--db', db], env).stdout.toString()).toBe(incremental);
    } finally {
      sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
