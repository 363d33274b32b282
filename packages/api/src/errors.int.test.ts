import { describe, expect, test } from 'bun:test';
import { loadConfig } from '@lmdash/core';
import { Database } from 'bun:sqlite';
import { createApiApp } from './app.ts';
import { seedClass, tempDb } from '../test/daemonWrites.ts';

describe('errors', () => {
  test('a write blocked by another writer past the busy timeout is a 503 to retry, not a 500', async () => {
    const db = tempDb();
    seedClass(db.sqlite);
    db.sqlite.run('PRAGMA busy_timeout = 100');
    const lines: string[] = [];
    const api = createApiApp({ db, config: loadConfig({ env: {} }), webRoot: null, log: (l) => lines.push(l) });
    const other = new Database(db.path);
    try {
      other.run('BEGIN IMMEDIATE');
      const res = await api.app.request('/api/untrack', { method: 'POST', body: JSON.stringify({ studentIds: ['s-1'] }) });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'the database is busy: try again' });
      other.run('ROLLBACK');
      expect((await api.app.request('/api/untrack', { method: 'POST', body: JSON.stringify({ studentIds: ['s-1'] }) })).status).toBe(200);
    } finally {
      other.close();
      api.close();
      db.cleanup();
    }
  });

  test('an unexpected failure is logged and answered with a bare 500: no stack trace reaches the client', async () => {
    const db = tempDb();
    const lines: string[] = [];
    const api = createApiApp({ db, config: loadConfig({ env: {} }), webRoot: null, log: (l) => lines.push(l) });
    try {
      // Sabotage the schema under the API: its next read fails inside SQLite.
      db.sqlite.run('DROP TABLE student_directory');
      const res = await api.app.request('/api/roster?q=a');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal error' });
      expect(text).not.toContain('student_directory');
      expect(lines.join('\n')).toContain('no such table: student_directory');
    } finally {
      api.close();
      db.cleanup();
    }
  });
});
