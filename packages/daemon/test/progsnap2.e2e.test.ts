/**
 * `lmdash export` and `lmdash import` as processes: the secret made once with mode 0600 in the
 * data folder, the export checked by `--check`, `--real-ids` refused beyond loopback without the
 * token, a broken folder rejected, the import's log read by the simulator's loader.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readEventLog } from '@lmdash/fixtures';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tick } from '../src/tick/tick.ts';
import { inProcessDaemon } from './harness.ts';

const root = resolve(import.meta.dir, '../../..');
const logs = join(root, 'fixtures/logs');

function lmdash(args: string[], env: Record<string, string>): { code: number; out: string; err: string } {
  const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, env: { ...process.env, LMDASH_DATABASE_URL: '', ...env }, stdout: 'pipe', stderr: 'pipe' });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

describe('lmdash export and import (processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-ps2-cli-'));
  const db = join(dir, 'lmdash.sqlite');
  const env = { LMDASH_DATA_DIR: dir };
  beforeAll(async () => {
    const events = readEventLog(join(logs, 'small.jsonl'));
    const now = Math.max(...events.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
    const h = inProcessDaemon({ events, now: () => now, roster: JSON.parse(readFileSync(join(logs, 'small.roster.json'), 'utf8')), dbPath: db });
    for (let i = 0; i < 5; i++) await tick(h.ctx);
    h.cleanup();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('export: pseudonyms under a secret made once (0600); the result passes --check; the same again', () => {
    const a = lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', join(dir, 'a')], env);
    expect(a.code).toBe(0);
    expect(a.err).toContain('made the export secret');
    expect(a.out).toMatch(/wrote .*: [\d,]+ rows/);
    const secret = join(dir, 'export-secret');
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const b = lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', join(dir, 'b'), '--quiet'], env);
    expect(b.code).toBe(0);
    expect(b.err).not.toContain('made the export secret');
    expect(readFileSync(join(dir, 'b/MainTable.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a/MainTable.csv'), 'utf8'));
    const check = lmdash(['export', '--check', join(dir, 'a')], env);
    expect([check.code, check.out]).toEqual([0, expect.stringContaining('a valid ProgSnap2 data set')]);
    // An existing, non-empty folder is refused.
    expect(lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', join(dir, 'a')], env).code).toBe(1);
  }, 60_000);

  test('--real-ids: allowed on loopback; refused for a store beyond loopback without the token (before connecting)', () => {
    const local = lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', join(dir, 'real'), '--real-ids', '--students', 's-0001'], env);
    expect(local.code).toBe(0);
    expect(readFileSync(join(dir, 'real/MainTable.csv'), 'utf8')).toContain(',s-0001,');
    const remote = lmdash(['export', '--db', 'postgres://lmdash@db.example.org/lmdash', '--format', 'progsnap2', '--out', join(dir, 'remote'), '--real-ids'], env);
    expect(remote.code).toBe(1);
    expect(remote.err).toContain('--real-ids refused: the database is beyond loopback (db.example.org)');
    expect(existsSync(join(dir, 'remote'))).toBe(false);
  }, 60_000);

  test('--check rejects a broken folder; bad arguments exit 2', () => {
    const broken = join(dir, 'broken');
    lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', broken, '--quiet'], env);
    writeFileSync(join(broken, 'CodeStates/CodeStates.csv'), 'CodeStateID,Code\n');
    const r = lmdash(['export', '--check', broken], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NOT a valid ProgSnap2 data set');
    expect(r.out).toContain('is not among the code states');
    expect(lmdash(['export', '--db', db, '--format', 'csv', '--out', join(dir, 'x')], env).code).toBe(2);
    expect(lmdash(['export', '--db', db, '--format', 'progsnap2', '--out', join(dir, 'x'), '--from', 'soon'], env).code).toBe(2);
  }, 60_000);

  test('import: the log and its roster, which the simulator\'s loader reads', () => {
    const out = join(dir, 'replay.jsonl');
    const r = lmdash(['import', '--progsnap2', join(dir, 'a'), '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('an LM Dashboard export');
    expect(readEventLog(out).length).toBe(readEventLog(join(logs, 'small.jsonl')).length);
    expect(JSON.parse(readFileSync(join(dir, 'replay.roster.json'), 'utf8')).length).toBe(10);
    expect(lmdash(['import', '--progsnap2', join(dir, 'a'), '--out', out], env).code).toBe(2);
  }, 60_000);
});
