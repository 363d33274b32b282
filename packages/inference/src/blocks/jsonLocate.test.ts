import { describe, expect, test } from 'bun:test';
import { locateJsonError } from './jsonLocate.ts';

describe('locateJsonError', () => {
  test('valid JSON has no problem', () => {
    for (const t of ['{}', '[]', ' {"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9"],"b":{}} ', '"s"', '0', '\uFEFF{"a":1}']) {
      expect(locateJsonError(t)).toBeNull();
    }
  });

  test('problems and where they are', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a":1', 6, /unexpected end of input/],
      ['{"a":1,}', 7, /expected a quoted property name/],
      ['[1,]', 3, /where a value was expected/],
      ['{"a" 1}', 5, /expected ':'/],
      ['{"a":1} x', 8, /after the end of the JSON value/],
      ['{"a":"x\ny"}', 7, /unescaped control character/],
      ['{"a":"\\q"}', 6, /bad escape/],
      ['{"a":"abc', 5, /unterminated string/],
      ['[01]', 2, /expected ',' or '\]'/],
      ['{a:1}', 1, /expected a quoted property name/],
    ];
    for (const [text, offset, reason] of cases) {
      const p = locateJsonError(text);
      expect(p).not.toBeNull();
      expect(p!.offset).toBe(offset);
      expect(p!.reason).toMatch(reason);
    }
  });

  test('agrees with JSON.parse on every truncation and corruption of a document', () => {
    const doc = JSON.stringify({ a: [1, 2.5, -3e2, 'x"y', null, true], b: { c: {}, d: [] }, e: 'é\n' });
    const variants: string[] = [];
    for (let i = 0; i <= doc.length; i++) variants.push(doc.slice(0, i));
    for (let i = 0; i < doc.length; i++) for (const ch of ['{', '}', '[', ']', ',', ':', '"', '1', 'x', ' ']) variants.push(doc.slice(0, i) + ch + doc.slice(i + 1));
    for (const v of variants) {
      let valid = true;
      try {
        JSON.parse(v);
      } catch {
        valid = false;
      }
      expect(locateJsonError(v) === null).toBe(valid);
    }
  });
});
