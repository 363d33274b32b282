import { expect, test } from 'bun:test';
import { trackStatus } from './status.ts';

test('backfilling until both the backfill is done and the card has arrived', () => {
  expect(trackStatus({ tracked: false, backfilled: false }, false)).toBe('untracked');
  expect(trackStatus({ tracked: true, backfilled: false }, false)).toBe('backfilling');
  expect(trackStatus({ tracked: true, backfilled: true }, false)).toBe('backfilling');
  expect(trackStatus({ tracked: true, backfilled: false }, true)).toBe('backfilling');
  expect(trackStatus({ tracked: true, backfilled: true }, true)).toBe('tracked');
});
