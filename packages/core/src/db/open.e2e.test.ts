import { afterEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpoint, openDatabase } from './open.ts';
import { meta, sourceEventKey, vexLog } from './schema.ts';

const dirs: string[] = [];
const tempFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'lmdash-db-'));
  dirs.push(d);
  return join(d, 'nested', 'lmdash.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openDatabase', () => {
  test('creates the folder and file, with WAL, NORMAL sync, 8 KiB pages and a busy timeout', () => {
    const { sqlite, close } = openDatabase(tempFile());
    const pragma = (p: string) => Object.values(sqlite.query(`PRAGMA ${p}`).get() as object)[0];
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1); // NORMAL
    expect(pragma('page_size')).toBe(8192);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(pragma('journal_size_limit')).toBe(64 * 1024 * 1024);
    close();
  });

  test('creates every table the tools rely on, and the single meta and cursor rows', () => {
    const { sqlite, db, close } = openDatabase(':memory:');
    const tables = (sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%drizzle%' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['cursor', 'distance_cache', 'episode', 'meta', 'program_summary', 'published_event', 'run', 'student_directory', 'student_state', 'tracked_student', 'trigger_event', 'vex_log']);
    expect(db.select().from(meta).all()).toEqual([
      { id: 1, version: 0, epoch: 0, resetRequestedAt: null, health: 'unknown', healthChangedAt: null, lastError: null, heartbeatAt: null, tickCount: 0, lastTickMs: null, caughtUpAt: null, modelHash: null },
    ]);
    close();
  });

  test('opening again keeps the data and applies nothing twice', () => {
    const file = tempFile();
    const first = openDatabase(file);
    first.db.insert(vexLog).values({ sourceEventId: sourceEventKey(1), studentId: 's-1', type: 'runProject', ts: 5, data: '{}', ingestedAt: 6 }).run();
    first.db.update(meta).set({ version: 3 }).where(eq(meta.id, 1)).run();
    first.close();
    const again = openDatabase(file);
    expect(again.db.select().from(vexLog).all()).toHaveLength(1);
    expect(again.db.select().from(meta).get()?.version).toBe(3);
    again.close();
  });

  test('vex_log refuses a second copy of a source event; numeric and string ids do not collide', () => {
    const { db, close } = openDatabase(':memory:');
    const row = { studentId: 's-1', type: 'runProject', ts: 1, data: '{}', ingestedAt: 1 };
    db.insert(vexLog).values({ ...row, sourceEventId: sourceEventKey(42) }).run();
    expect(() => db.insert(vexLog).values({ ...row, sourceEventId: sourceEventKey(42) }).run()).toThrow(/UNIQUE/);
    db.insert(vexLog).values({ ...row, sourceEventId: sourceEventKey('42') }).run();
    expect(db.select().from(vexLog).all().map((r) => r.sourceEventId)).toEqual(['42', 's:42']);
    close();
  });

  test('a big rewrite is recorded once per run', () => {
    const { sqlite, close } = openDatabase(':memory:');
    const insert = "INSERT INTO trigger_event (student_id, kind, status, started_at, opened_at, run_index, version) VALUES ('s-1', 'big_rewrite', 'open', 1, 1, 7, 1)";
    sqlite.run(insert);
    expect(() => sqlite.run(insert)).toThrow(/UNIQUE/);
    // Sustained triggers have no run index and may recur.
    const sustained = "INSERT INTO trigger_event (student_id, kind, status, started_at, opened_at, version) VALUES ('s-1', 'wheelspin', 'open', 1, 1, 1)";
    sqlite.run(sustained);
    sqlite.run(sustained);
    close();
  });

  test('a second connection reads while the first writes, and checkpoints fold the WAL', () => {
    const file = tempFile();
    const writer = openDatabase(file);
    const reader = openDatabase(file);
    writer.db.update(meta).set({ version: 9 }).where(eq(meta.id, 1)).run();
    expect(reader.db.select().from(meta).get()?.version).toBe(9);
    const r = checkpoint(writer.sqlite, 'TRUNCATE');
    expect(r.busy).toBe(0);
    reader.close();
    writer.close();
  });

  test('processes opening one new file at the same moment all migrate it, once', async () => {
    const file = tempFile();
    const open = `import { openDatabase } from ${JSON.stringify(join(import.meta.dir, 'open.ts'))}; await Bun.sleep(Number(process.argv[1]) - Date.now()); openDatabase(process.argv[2]).close(); console.log('ok');`;
    const at = String(Date.now() + 800); // every process opens at this instant
    const procs = Array.from({ length: 12 }, () => Bun.spawn(['bun', '-e', open, at, file], { stdout: 'pipe', stderr: 'pipe' }));
    const results = await Promise.all(procs.map(async (p) => ({ code: await p.exited, out: (await new Response(p.stdout).text()).trim(), err: await new Response(p.stderr).text() })));
    expect(results).toEqual(results.map(() => ({ code: 0, out: 'ok', err: '' })));
    const { sqlite, close } = openDatabase(file);
    const applied = (sqlite.query('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
    expect(applied).toBe((await Array.fromAsync(new Bun.Glob('*.sql').scan(join(import.meta.dir, '../../drizzle')))).length);
    close();
  });
});
