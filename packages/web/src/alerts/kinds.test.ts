import { expect, test } from 'bun:test';
import { alertSummary, alertTitle, kindLabel } from './kinds.ts';

test('the tab title counts open alerts', () => {
  expect(alertTitle(0)).toBe('LM Dashboard');
  expect(alertTitle(3)).toBe('(3) LM Dashboard');
});

test('kind labels and summaries', () => {
  expect(kindLabel('wheelspin')).toBe('Wheel-spin');
  expect(kindLabel('some_new_kind')).toBe('some new kind');
  expect(alertSummary({ kind: 'big_rewrite', runIndex: 7, detail: { score: 0.62 } })).toBe('run 7 changed 62 % of the program');
  expect(alertSummary({ kind: 'wheelspin', runIndex: 3, detail: { runs: 4 } })).toBe('4 stuck runs in a row');
});
