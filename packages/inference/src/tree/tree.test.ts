import { describe, expect, test } from 'bun:test';
import { BracketError, node, parseBracket, toBracket, treeDepth, treeEquals, treeSize } from './tree.ts';

describe('bracket notation', () => {
  test('parses labels and child order', () => {
    const t = parseBracket('{f{a}{e{c{b}}{d}}}');
    expect(t.label).toBe('f');
    expect(t.children.map((c) => c.label)).toEqual(['a', 'e']);
    expect(t.children[1].children[0].children[0].label).toBe('b');
    expect(treeSize(t)).toBe(6);
  });

  test('round-trips, escapes included', () => {
    for (const s of ['{a}', '{a{b}{c}}', '{f{a}{e{c{b}}{d}}}', '{x=\\{1\\}{\\\\}}', '{}']) {
      expect(toBracket(parseBracket(s))).toBe(s);
    }
    const t = node('FIELD={weird}', [node('a\\b')]);
    expect(treeEquals(parseBracket(toBracket(t)), t)).toBe(true);
  });

  test('multi-character labels and whitespace between nodes', () => {
    const t = parseBracket('{v5_control_forever {NUM=50} {SUBSTACK}}');
    expect(t.label).toBe('v5_control_forever ');
    expect(t.children.map((c) => c.label)).toEqual(['NUM=50', 'SUBSTACK']);
  });

  test('rejects malformed text with an offset', () => {
    expect(() => parseBracket('a{b}')).toThrow(BracketError);
    expect(() => parseBracket('{a{b}')).toThrow(/unclosed/);
    expect(() => parseBracket('{a}}')).toThrow(/unbalanced|after the root/);
    expect(() => parseBracket('{a}{b}')).toThrow(/after the root/);
  });

  test('a 10,000-deep path parses, prints, measures and compares without recursion', () => {
    const depth = 10_000;
    const text = '{n'.repeat(depth) + '}'.repeat(depth);
    const t = parseBracket(text);
    expect(treeSize(t)).toBe(depth);
    expect(treeDepth(t)).toBe(depth);
    expect(toBracket(t)).toBe(text);
    expect(treeEquals(t, parseBracket(text))).toBe(true);
  });
});
