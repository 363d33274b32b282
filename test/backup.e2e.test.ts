/**
 * docs/operations.md's backup: SQLite's online backup (`sqlite3 FILE ".backup DEST"`) taken
 * while the daemon writes is a consistent copy: it passes the integrity check, and a daemon
 * restored from it catches up to exactly the source's events, with a projection equal to a
 * rebuild. (A copy may catch the log a tick ahead of the projection: a cold start recomputes.)
 */
import { expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, spawnSim } from './spawnSim.ts';

const LOG = resolve(REPO_ROOT, 'fixtures/logs/classroom.jsonl');
const sourceIds = readFileSync(LOG, 'utf8').trim().split('\n').map((l) => String((JSON.parse(l) as { id: number }).id)).sort();
const sqlite3 = Bun.which('sqlite3');
if (!sqlite3) console.warn('\n!!! sqlite3 not found (Debian package sqlite3): the online backup test is SKIPPED.\n');

test.skipIf(!sqlite3)('an online backup taken while the daemon writes is consistent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-backup-'));
  const db = join(dir, 'lmdash.sqlite');
  const copy = join(dir, 'backup.sqlite');
  const sim = await spawnSim(['--quiet', '--log', LOG, '--speed', '400']);
  const env = { ...process.env, PIPELINE_IDLE_MAX: '0.5', LMDASH_PAGE_SIZE: '20' };
  const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sim.url, '--track-all'], { cwd: REPO_ROOT, env, stdout: 'ignore', stderr: 'ignore' });
  try {
    // Back up while the daemon is mid-class (events arriving, ticks writing).
    const count = () => {
      try {
        const f = new Database(db, { readonly: true });
        const n = (f.query('SELECT count(*) AS n FROM vex_log').get() as { n: number }).n;
        f.close();
        return n;
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 200 && count() < 200; i++) await Bun.sleep(100);
    const r = Bun.spawnSync([sqlite3!, db, `.backup '${copy}'`]);
    expect(r.stderr.toString()).toBe('');
    expect(r.exitCode).toBe(0);
    expect(count()).toBeGreaterThan(0);

    const f = new Database(copy, { readonly: true });
    expect(f.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    expect((f.query('SELECT count(*) AS n FROM vex_log').get() as { n: number }).n).toBeGreaterThan(0);
    f.close();
    // Restore: the daemon runs on the copy, after the class (and its replay) has ended.
    daemon.kill('SIGKILL');
    await Bun.sleep(15_000);
    for (let i = 0; i < 3; i++) expect(Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'daemon', '--db', copy, '--source', sim.url, '--track-all', '--once'], { cwd: REPO_ROOT, env }).exitCode).toBe(0);
    const restored = new Database(copy, { readonly: true });
    const stored = (restored.query('SELECT source_event_id AS id FROM vex_log').all() as { id: string }[]).map((r) => r.id).sort();
    restored.close();
    expect(stored).toEqual(sourceIds);
    const dump = () => Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'dump', '--db', copy], { cwd: REPO_ROOT }).stdout.toString();
    const before = dump();
    expect(Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'rebuild', '--db', copy], { cwd: REPO_ROOT }).exitCode).toBe(0);
    expect(dump()).toBe(before);
  } finally {
    daemon.kill('SIGKILL');
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
