import { describe, expect, test } from 'bun:test';
import { openDatabase } from '@lmdash/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableDistances } from './durable.ts';

function withDb(run: (o: ReturnType<typeof openDatabase>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-distances-'));
  const o = openDatabase(join(dir, 'lmdash.sqlite'));
  try {
    run(o);
  } finally {
    o.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the durable distance cache', () => {
  test('stores and reads distances by pair key; deleted rows read as misses', () =>
    withDb(({ storage, sqlite }) => {
      const d = new DurableDistances(storage.distances, 100);
      d.put(new Map([['a>b', 3], ['b>c', 0]]), 1);
      expect(d.get('a>b')).toBe(3);
      expect(d.get('b>c')).toBe(0);
      expect(d.get('c>d')).toBeUndefined();
      sqlite.run('DELETE FROM distance_cache');
      expect(d.get('a>b')).toBeUndefined();
      d.put(new Map([['a>b', 4]]), 2); // and it goes on
      expect(d.get('a>b')).toBe(4);
    }));

  test('a corrupt row (negative, fractional, text, null-ish) reads as a miss and is overwritten by the next put', () =>
    withDb(({ storage, sqlite }) => {
      const d = new DurableDistances(storage.distances, 100);
      for (const [key, value] of [['neg', -1], ['frac', 2.5], ['text', 'seven'], ['huge', 1e300]] as const) sqlite.run('INSERT INTO distance_cache (pair_key, distance, stored_at) VALUES (?, ?, 0)', [key, value]);
      for (const key of ['neg', 'frac', 'text', 'huge']) expect(d.get(key)).toBeUndefined();
      expect(d.corrupt).toBe(4);
      d.put(new Map([['neg', 5]]), 1);
      expect(d.get('neg')).toBe(5);
    }));

  test('bounded: past maxRows the oldest rows go first', () =>
    withDb(({ storage, sqlite }) => {
      const d = new DurableDistances(storage.distances, 10);
      for (let i = 0; i < 25; i++) d.put(new Map([[`k${i}`, i]]), i);
      const keys = (sqlite.query('SELECT pair_key AS k FROM distance_cache ORDER BY rowid').all() as { k: string }[]).map((r) => r.k);
      expect(keys.length).toBeLessThanOrEqual(10);
      expect(keys.at(-1)).toBe('k24');
      expect(keys).toEqual(Array.from({ length: keys.length }, (_, i) => `k${25 - keys.length + i}`));
    }));

  test('0 rows keeps nothing; a missing table is logged, not thrown', () =>
    withDb(({ storage, sqlite }) => {
      const none = new DurableDistances(storage.distances, 0);
      none.put(new Map([['a>b', 1]]), 1);
      expect((sqlite.query('SELECT count(*) AS n FROM distance_cache').get() as { n: number }).n).toBe(0);
      const lines: string[] = [];
      const d = new DurableDistances(storage.distances, 10, (l) => lines.push(l));
      sqlite.run('DROP TABLE distance_cache');
      expect(d.get('a>b')).toBeUndefined();
      d.put(new Map([['a>b', 1]]), 1);
      expect(lines.length).toBe(2);
    }));
});
