/**
 * `lmdash copy` moves a mirror between engines: the committed classroom log mirrored into a
 * SQLite file, copied to PostgreSQL and back; `lmdash dump` prints the same bytes on all three,
 * and the version, the epoch, the alerts and the log's high-water mark come along. A target
 * that is not empty is refused.
 */
import { describe, expect, test } from 'bun:test';
import { createScratchPostgres, openStorage, type SourceEvent } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tick } from '../src/tick/tick.ts';
import { inProcessDaemon } from './harness.ts';

const root = resolve(import.meta.dir, '../../..');
const logs = resolve(root, 'fixtures/logs');
const lmdash = (...args: string[]) => {
  const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};
/** What a copy must carry beyond the projection (the dump): alerts, counters, version and epoch, the cursor. */
const extras = (db: string) => {
  const o = openStorage(db);
  try {
    const s = o.storage;
    const { version, epoch } = s.status.version();
    return { version, epoch, alerts: s.reads.alertsByStatus(null, 10_000), counters: s.status.counters(), cursor: s.log.readCursor(), roster: s.roster.search('', 10_000), log: s.log.lastPosition() };
  } finally {
    o.close();
  }
};

describe('lmdash copy', () => {
  test('SQLite → PostgreSQL → SQLite: the same dump, alerts, counters, version and epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-copy-'));
    const pg = createScratchPostgres();
    try {
      const file = join(dir, 'lmdash.sqlite');
      const events: SourceEvent[] = readEventLog(resolve(logs, 'classroom.jsonl'));
      const now = Math.max(...events.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
      const h = inProcessDaemon({ events, now: () => now, roster: JSON.parse(readFileSync(resolve(logs, 'classroom.roster.json'), 'utf8')), dbPath: file });
      try {
        for (let i = 0; i < 5; i++) await tick(h.ctx);
        // A researcher's ack and a reset's epoch must travel too.
        const open = h.ctx.storage.reads.alertsByStatus('open', 1)[0]!;
        expect(h.ctx.storage.actions.ack(open.id, 'seen', now).ok).toBe(true);
      } finally {
        h.cleanup();
      }
      const dump = lmdash('dump', '--db', file);
      expect(dump.code).toBe(0);
      expect(dump.out.length).toBeGreaterThan(10_000);

      const toPg = lmdash('copy', '--from', `sqlite:${file}`, '--to', pg.url);
      expect(toPg.err).not.toContain('Error');
      expect(toPg.code).toBe(0);
      expect(toPg.out).toMatch(/rows copied/);
      expect(lmdash('dump', '--db', pg.url).out).toBe(dump.out);
      expect(extras(pg.url)).toEqual(extras(file));

      const back = join(dir, 'back.sqlite');
      expect(lmdash('copy', '--from', pg.url, '--to', back).code).toBe(0);
      expect(lmdash('dump', '--db', back).out).toBe(dump.out);
      expect(extras(back)).toEqual(extras(file));

      // Again into the same target: refused, nothing touched.
      const again = lmdash('copy', '--from', file, '--to', pg.url);
      expect(again.code).toBe(1);
      expect(again.err).toContain('is not empty');
      expect(lmdash('dump', '--db', pg.url).out).toBe(dump.out);
    } finally {
      pg.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
