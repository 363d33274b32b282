import { describe, expect, test } from 'bun:test';
import { CsvParser, parseCsv } from './csv.ts';

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

  test('fed in chunks cut anywhere (inside quotes, between the two quotes of a "", in a CRLF): the same rows', () => {
    const text = 'id,code,note\r\n1,"say ""hi""\nnext","a, b"\r\n2,,"""x"""\n3,plain,"ends with """\n"4",last,';
    const whole = parseCsv(text);
    expect(whole).toEqual([
      ['id', 'code', 'note'],
      ['1', 'say "hi"\nnext', 'a, b'],
      ['2', '', '"x"'],
      ['3', 'plain', 'ends with "'],
      ['4', 'last', ''],
    ]);
    for (let size = 1; size <= text.length; size++) {
      const p = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows).toEqual(whole);
    }
  });
});
