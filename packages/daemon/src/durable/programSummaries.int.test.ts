import { describe, expect, test } from 'bun:test';
import { openDatabase, type SourceEvent, type Storage } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { dumpProjection } from '../rebuild/dumpProjection.ts';
import { rebuildProjection } from '../rebuild/rebuildProjection.ts';
import { DurableSummaries } from './programSummaries.ts';
import type { ProgramLimits } from '@lmdash/inference';

/** A real-size class, plus runs whose programs do not parse: a summary of an error is one too. */
function classLog(): SourceEvent[] {
  const { events } = generateClassroom({ students: 5, minutes: 40, seed: 23, profile: 'mixed' });
  const last = events.at(-1)!;
  const run = (id: number, workspace: string) => ({ ...last, id: (last.id as number) + id, type: 'runProject', data: { project: 'broken', workspace } }) as SourceEvent;
  return [...events, run(1, '<xml><block type="drive"'), run(2, '   '), run(3, '<xml><block type="drive"')];
}

function withStore(run: (storage: Storage, sqlite: ReturnType<typeof openDatabase>['sqlite']) => Promise<void>): Promise<void> {
  const o = openDatabase(':memory:');
  o.storage.log.append(classLog(), null, 0);
  return run(o.storage, o.sqlite).finally(o.close);
}

async function rebuilt(storage: Storage, summaries?: DurableSummaries, limits?: Partial<ProgramLimits>): Promise<string> {
  await rebuildProjection(storage, { limits }, 0, undefined, summaries);
  return dumpProjection(storage);
}

const runsWithText = (sqlite: ReturnType<typeof openDatabase>['sqlite']) =>
  (sqlite.query("SELECT count(*) AS n FROM vex_log WHERE type = 'runProject' AND json_type(data, '$.workspace') = 'text'").get() as { n: number }).n;

describe('a rebuild with program summaries', () => {
  test('the first stores a summary per distinct program, the second parses none of them, and both give the projection of parsing everything', () =>
    withStore(async (storage, sqlite) => {
      const parsed = await rebuilt(storage);
      const first = new DurableSummaries(storage.summaries, 1_000_000, undefined);
      expect(await rebuilt(storage, first)).toBe(parsed);
      expect(first.counts.hits).toBe(0);
      const distinct = (sqlite.query("SELECT count(DISTINCT json_extract(data, '$.workspace')) AS n FROM vex_log WHERE type = 'runProject'").get() as { n: number }).n;
      expect(storage.summaries.count()).toBe(distinct);
      // The parse errors are summaries too.
      expect((sqlite.query("SELECT count(*) AS n FROM program_summary WHERE summary LIKE '{\"e\":%'").get() as { n: number }).n).toBe(2);

      const second = new DurableSummaries(storage.summaries, 1_000_000, undefined);
      expect(await rebuilt(storage, second)).toBe(parsed);
      expect(second.counts.misses).toBe(0);
      // Each student's runs are looked up once, by distinct text.
      expect(second.counts.hits).toBeGreaterThanOrEqual(distinct);
      expect(second.counts.hits).toBeLessThanOrEqual(runsWithText(sqlite));
    }));

  test('a corrupt row is parsed again and written again; a deleted table only costs parsing', () =>
    withStore(async (storage, sqlite) => {
      const parsed = await rebuilt(storage, new DurableSummaries(storage.summaries, 1_000_000, undefined));
      const { program_key: key } = sqlite.query("SELECT program_key FROM program_summary WHERE summary LIKE '{\"h\":%' LIMIT 1").get() as { program_key: string };
      sqlite.run("UPDATE program_summary SET summary = '{\"h\":\"x\",\"n\":-3}' WHERE program_key = ?", [key]);
      const again = new DurableSummaries(storage.summaries, 1_000_000, undefined);
      expect(await rebuilt(storage, again)).toBe(parsed);
      expect(again.counts.corrupt).toBeGreaterThanOrEqual(1);
      expect((sqlite.query('SELECT summary FROM program_summary WHERE program_key = ?').get(key) as { summary: string }).summary).toStartWith('{"h":"');

      sqlite.run('DROP TABLE program_summary');
      const lines: string[] = [];
      expect(await rebuilt(storage, new DurableSummaries(storage.summaries, 1_000_000, undefined, (l) => lines.push(l)))).toBe(parsed);
      expect(lines.some((l) => l.startsWith('program summaries unreadable (no such table: program_summary)'))).toBe(true);
    }));

  test('other program bounds never read the summaries made under the old ones', () =>
    withStore(async (storage) => {
      await rebuilt(storage, new DurableSummaries(storage.summaries, 1_000_000, undefined));
      const small = { maxNodes: 80 };
      const expected = await rebuilt(storage, undefined, small);
      // Under the smaller bound the big programs are too large: a stale summary would hide it.
      expect(expected.includes('(limit 80; LMDASH_MAX_PROGRAM_NODES)')).toBe(true);
      const s = new DurableSummaries(storage.summaries, 1_000_000, small);
      expect(await rebuilt(storage, s, small)).toBe(expected);
      expect(s.counts.hits).toBe(0);
    }));
});
