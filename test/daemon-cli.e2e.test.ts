/**
 * The daemon's commands as a researcher runs them: the simulator serving the small classroom,
 * `lmdash daemon --once` a few times, then `dump`, `rebuild`, `dump` again: the projection
 * rebuilt from the log equals the incrementally built one, byte for byte.
 */
import { describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSim } from './spawnSim.ts';

const root = resolve(import.meta.dir, '..');
const lmdash = (args: string[], env: Record<string, string> = {}) => {
  const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

describe('lmdash daemon, dump and rebuild', () => {
  test('the daemon mirrors the classroom; a rebuilt projection dumps byte for byte the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-cli-'));
    const db = join(dir, 'lmdash.sqlite');
    const sim = await spawnSim(['--log', 'fixtures/logs/small.jsonl', '--all-visible']);
    try {
      for (let i = 0; i < 3; i++) {
        const r = lmdash(['daemon', '--db', db, '--source', sim.url, '--track-all', '--once']);
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
      }
      const file = new Database(db, { readonly: true });
      expect(file.query('SELECT COUNT(*) AS n, COUNT(DISTINCT source_event_id) AS distinct_ids FROM vex_log').get()).toEqual({ n: 266, distinct_ids: 266 });
      file.close();
      const before = lmdash(['dump', '--db', db]);
      expect(before.code).toBe(0);
      const dump = JSON.parse(before.out) as { student_state: unknown[]; run: unknown[]; episode: unknown[] };
      expect(dump.student_state).toHaveLength(10);
      expect(dump.run).toHaveLength(111);
      const rebuilt = lmdash(['rebuild', '--db', db]);
      expect(rebuilt.out).toContain('rebuilt the projection of 10 students');
      expect(lmdash(['dump', '--db', db]).out).toBe(before.out);
    } finally {
      sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('bad arguments are usage errors with a reason', () => {
    expect(lmdash(['daemon', '--track-all', '--track', 's-1', '--source', 'http://127.0.0.1:9']).err).toContain('exclude each other');
    // Without --db: LMDASH_DATABASE_URL, else the file in LMDASH_DATA_DIR, which must exist (a typo is not a new mirror).
    expect(lmdash(['dump'], { LMDASH_DATA_DIR: '/nonexistent/data' }).err).toContain('no such database: /nonexistent/data/lmdash.sqlite');
    expect(lmdash(['rebuild', '--db', '/nonexistent/x.sqlite']).err).toContain('no such database');
    expect(lmdash(['daemon', '--help']).out).toContain('usage: bun run lmdash daemon');
  });
});
