import { describe, expect, test } from 'bun:test';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  test('quoted commas, doubled quotes and empty fields', () => {
    expect(parseCsv('a,"b, c","say ""hi""",')).toEqual([['a', 'b, c', 'say "hi"', '']]);
  });

  test('rows on line breaks, CRLF included; a final line break adds no row', () => {
    expect(parseCsv('h1,h2\r\n1,2\r\n3,4\n')).toEqual([
      ['h1', 'h2'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  test('a quoted field keeps its line breaks', () => {
    expect(parseCsv('id,note\n1,"two\nlines"\n')).toEqual([
      ['id', 'note'],
      ['1', 'two\nlines'],
    ]);
  });
});
