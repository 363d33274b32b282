import { expect, test } from 'bun:test';
import { parseHash, studentHref } from './route.ts';

test('hash routes', () => {
  expect(parseHash('')).toEqual({ view: 'cards', student: null });
  expect(parseHash('#/')).toEqual({ view: 'cards', student: null });
  expect(parseHash('#/panels')).toEqual({ view: 'panels', student: null });
  expect(parseHash('#/roster')).toEqual({ view: 'roster', student: null });
  expect(parseHash('#/student/s-0001')).toEqual({ view: 'cards', student: 's-0001' });
  expect(parseHash(studentHref('a b/c'))).toEqual({ view: 'cards', student: 'a b/c' });
  expect(parseHash('#/nonsense')).toEqual({ view: 'cards', student: null });
});
