import { describe, expect, test } from 'bun:test';
import { deepEvent, invalidUtf8Bodies, loneSurrogateBodies, wideEvent } from '../../test/hostile.ts';
import { scanJson } from './jsonScan.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const limits = { maxDepth: 64, maxKeys: 1000 };

describe('depth', () => {
  test('counts arrays and objects, not brackets inside strings', () => {
    expect(scanJson(bytes('{"type":"x"}'), limits)).toEqual({ ok: true, depth: 1, keys: 1 });
    expect(scanJson(bytes('{"a":[{"b":[]}]}'), limits)).toMatchObject({ ok: true, depth: 4 });
    expect(scanJson(bytes('{"a":"[[[[{{{{\\"]]]"}'), { maxDepth: 1, maxKeys: 10 })).toMatchObject({ ok: true, depth: 1 });
  });

  test('exactly at the bound passes, one over is refused at the bracket that crosses it', () => {
    expect(scanJson(bytes(deepEvent(64)), limits)).toMatchObject({ ok: true, depth: 64 });
    const over = deepEvent(65);
    const r = scanJson(bytes(over), limits);
    expect(r).toMatchObject({ ok: false, kind: 'depth', offset: over.indexOf('[') + 63 });
    expect(r.ok || r.message).toContain('nested deeper than 64');
  });

  test('a 40,000-deep array stops at the bound: the scan never looks further', () => {
    const body = deepEvent(40_000);
    const r = scanJson(bytes(body), limits);
    expect(r).toMatchObject({ ok: false, kind: 'depth' });
    expect(r.ok ? 0 : r.offset).toBeLessThan(100);
  });
});

describe('keys and items', () => {
  test('object keys plus array items, empty containers count nothing', () => {
    expect(scanJson(bytes('{"a":1,"b":[1,2,[]],"c":{}}'), limits)).toMatchObject({ ok: true, keys: 6 });
    expect(scanJson(bytes('{"a":"x,y,z"}'), limits)).toMatchObject({ ok: true, keys: 1 });
    expect(scanJson(bytes(' [ ] '), limits)).toMatchObject({ ok: true, keys: 0 });
  });

  test('exactly at the bound passes, one over is refused', () => {
    expect(scanJson(bytes(wideEvent(1000)), limits)).toMatchObject({ ok: true, keys: 1000 });
    const r = scanJson(bytes(wideEvent(1001)), limits);
    expect(r).toMatchObject({ ok: false, kind: 'keys' });
    expect(r.ok || r.message).toContain('more than 1000');
  });
});

describe('text', () => {
  test('well-formed UTF-8 of every length passes, surrogate pairs as escapes too', () => {
    for (const s of ['{"t":"é€😀𐍈"}', '{"t":"\\uD83D\\uDE00 \\u00e9"}', '{"\u{10FFFF}":1}']) expect(scanJson(bytes(s), limits).ok).toBe(true);
  });

  test('invalid UTF-8 is refused at its byte offset', () => {
    for (const b of invalidUtf8Bodies()) {
      const r = scanJson(b.body, limits);
      expect({ name: b.name, r }).toMatchObject({ name: b.name, r: { ok: false, kind: 'utf8', offset: b.offset } });
      expect(r.ok || r.message).toContain(`byte offset ${b.offset}`);
    }
  });

  test('a sequence cut short by the end of the body is refused', () => {
    const r = scanJson(new Uint8Array([0x22, 0xf0, 0x9f, 0x98]), limits);
    expect(r).toMatchObject({ ok: false, kind: 'utf8', offset: 1 });
  });

  test('lone surrogate escapes are refused at the escape', () => {
    for (const b of loneSurrogateBodies()) {
      const r = scanJson(bytes(b.body), limits);
      expect({ name: b.name, r }).toMatchObject({ name: b.name, r: { ok: false, kind: 'surrogate', offset: b.offset } });
    }
  });
});
