import { describe, expect, test } from 'bun:test';
import type { XmlElement } from './xml.ts';
import { XmlError, childElements, directText, lineColumn, parseXml } from './xml.ts';

function errorOf(text: string): XmlError {
  try {
    parseXml(text);
  } catch (e) {
    if (e instanceof XmlError) return e;
    throw e;
  }
  throw new Error('expected an XmlError');
}

describe('parseXml', () => {
  test('elements, attributes with both quote styles, text', () => {
    const root = parseXml(`<xml a="1" b='two'><block type="x"/>hi</xml>`);
    expect(root.name).toBe('xml');
    expect(root.attrs).toEqual({ a: '1', b: 'two' });
    expect(childElements(root, 'block')[0].attrs.type).toBe('x');
    expect(directText(root)).toBe('hi');
  });

  test('the five predefined entities and numeric references, in text and attributes', () => {
    const root = parseXml(`<f n="&lt;&gt;&amp;&quot;&apos;">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</f>`);
    expect(root.attrs.n).toBe(`<>&"'`);
    expect(directText(root)).toBe(`<>&"'AB😀`);
  });

  test('CDATA is text, taken literally, and merges with neighbouring text', () => {
    const root = parseXml('<f>a<![CDATA[<b> & ]]>c</f>');
    expect(root.children).toEqual([{ kind: 'text', text: 'a<b> & c' }]);
  });

  test('comments, processing instructions and the XML declaration are skipped', () => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- top --><xml><!-- in --><?pi data?><a/></xml><!-- after -->\n`);
    expect(root.name).toBe('xml');
    expect(childElements(root).map((e) => e.name)).toEqual(['a']);
  });

  test('a DOCTYPE is rejected, with or without entity declarations', () => {
    for (const doc of ['<!DOCTYPE xml>', '<!DOCTYPE xml [ <!ENTITY x "y"> ]>', '<!DOCTYPE xml SYSTEM "http://example.test/x.dtd">']) {
      expect(() => parseXml(`<?xml version="1.0"?>\n${doc}<xml>&x;</xml>`)).toThrow('a DOCTYPE is not allowed');
    }
  });

  test('prefixed names match by local name and namespace declarations are dropped', () => {
    const root = parseXml(`<b:xml xmlns="u1" xmlns:b="u2"><b:block b:type="t" id="i"></b:block></b:xml>`);
    expect(root.name).toBe('xml');
    expect(root.qname).toBe('b:xml');
    expect(root.attrs).toEqual({});
    const block = childElements(root, 'block')[0];
    expect(block.attrs).toEqual({ type: 't', id: 'i' });
  });

  test('whitespace text inside elements is kept (a field value can be a space)', () => {
    const root = parseXml('<field name="TEXT"> </field>');
    expect(directText(root)).toBe(' ');
  });

  test('a byte-order mark is ignored', () => {
    expect(parseXml('\uFEFF<a/>').name).toBe('a');
  });

  test('offsets and ends of elements', () => {
    const text = '<a><b x="1"/><c></c></a>';
    const root = parseXml(text);
    const [b, c] = childElements(root);
    expect(text.slice(b.offset, b.end)).toBe('<b x="1"/>');
    expect(text.slice(c.offset, c.end)).toBe('<c></c>');
    expect(root.end).toBe(text.length);
  });

  test('10,000-deep nesting parses without recursion', () => {
    const depth = 10_000;
    const text = '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);
    let el: XmlElement = parseXml(text);
    let d = 1;
    while (el.children[0]?.kind === 'element') {
      el = el.children[0] as XmlElement;
      d++;
    }
    expect(d).toBe(depth);
    expect(directText(el)).toBe('x');
  });
});

describe('parseXml errors carry line and column', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['mismatched closing tag', '<a>\n  <b>\n  </c>\n</a>', 3, 3, /expected <\/b> \(opened at line 2, column 3\) but found <\/c>/],
    ['unclosed element', '<a>\n<b>', 2, 4, /element <b> opened at line 2, column 1 is never closed/],
    ['unknown entity', '<a>x &nbsp; y</a>', 1, 6, /unknown entity '&nbsp;'/],
    ['bare ampersand', '<a>fish & chips</a>', 1, 9, /bare '&'/],
    ['bad character reference', '<a>&#xZZ;</a>', 1, 4, /invalid character reference/],
    ['unquoted attribute', '<a b=1/>', 1, 6, /must be quoted/],
    ['duplicate attribute', '<a b="1" b="2"/>', 1, 10, /duplicate attribute 'b'/],
    ['attribute without value', '<a b/>', 1, 5, /has no value/],
    ['< in attribute value', '<a b="x<y"/>', 1, 8, /'<' is not allowed/],
    ['text after root', '<a/>\ntail', 2, 1, /unexpected text 'tail' after the root element/],
    ['text before root', 'hello <a/>', 1, 1, /before the root element/],
    ['two roots', '<a/><b/>', 1, 5, /a second root element/],
    ['unterminated comment', '<a><!-- x</a>', 1, 4, /unterminated comment/],
    ['unterminated CDATA', '<a><![CDATA[x</a>', 1, 4, /unterminated CDATA/],
    ['merge-conflict marker', '<<<<<<< HEAD\n<a/>', 1, 1, /unexpected '<<<<<<< HEAD'/],
    ['no root', '<!-- only a comment -->', 1, 24, /no root element/],
    ['stray closing tag', '</a>', 1, 1, /closing tag <\/a> with no open element/],
  ];
  for (const [name, text, line, column, message] of cases) {
    test(name, () => {
      const e = errorOf(text);
      expect(e.message).toMatch(message);
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.message).toContain(`at line ${line}, column ${column}`);
      expect(lineColumn(text, e.offset)).toEqual({ line, column });
    });
  }
});
