import { describe, expect, test } from 'bun:test';
import { unreadableLabel } from './unreadable.ts';

describe('unreadableLabel', () => {
  test('nothing to say when the latest run parsed', () => {
    expect(unreadableLabel(null)).toBeNull();
    expect(unreadableLabel(undefined)).toBeNull();
  });
  test('a program over a size bound, and any other parse error', () => {
    expect(unreadableLabel('program too large: over 5,000 nodes (limit 5,000; LMDASH_MAX_PROGRAM_NODES)')).toBe('last program too large to analyse');
    expect(unreadableLabel("workspace XML: unterminated tag <value> at line 1, column 986")).toBe('last program could not be read');
  });
});
