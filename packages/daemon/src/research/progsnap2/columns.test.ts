import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAIN_COLUMNS, REQUIRED_COLUMNS, SPEC_COLUMNS, X_COLUMN_DOCS, X_EVENT_TYPE_DOCS } from './columns.ts';

describe('the ProgSnap2 vocabulary', () => {
  test('the required columns come first; every column is a spec column or an X- column, once', () => {
    expect(MAIN_COLUMNS.slice(0, REQUIRED_COLUMNS.length)).toEqual([...REQUIRED_COLUMNS]);
    expect(new Set(MAIN_COLUMNS).size).toBe(MAIN_COLUMNS.length);
    for (const c of MAIN_COLUMNS) expect(SPEC_COLUMNS.has(c) || c.startsWith('X-')).toBe(true);
  });

  test('docs/research-data.md documents every X- column as the export\'s README does, and every custom event type', () => {
    const docs = readFileSync(resolve(import.meta.dir, '../../../../../docs/research-data.md'), 'utf8');
    const escaped = (s: string) => s.replace(/\(docs\/triggers\.md\)/, '([triggers.md](triggers.md))');
    for (const [column, meaning] of Object.entries(X_COLUMN_DOCS)) expect(docs).toContain(`| \`${column}\` | ${escaped(meaning)} |`);
    for (const type of Object.keys(X_EVENT_TYPE_DOCS)) expect(docs).toContain(`\`${type}\``);
  });
});
