/**
 * Program size bounds (issue 11): every hostile program gives a clear AstError, bytes are
 * counted before any parsing, and each bound holds exactly at its value (at the limit parses,
 * one over is too-large). Hostile programs come from the shared generator in fixtures.
 */
import { describe, expect, test } from 'bun:test';
import {
  HOSTILE_KINDS,
  chainProgram,
  entityBombProgram,
  externalEntityProgram,
  hostileProgram,
  hugeFieldProgram,
  invalidUtf8Bytes,
  invalidUtf8Program,
  loneSurrogateProgram,
  manyVariablesProgram,
  nestedProgram,
  wideProgram,
} from '@lmdash/fixtures';
import { treeDepth, treeSize } from '../tree/tree.ts';
import { computeStrategyStates } from '../strategy/computeStrategyStates.ts';
import { AstError } from './errors.ts';
import { extractAst } from './extract.ts';
import { DEFAULT_PROGRAM_LIMITS, resolveLimits, utf8Length, type ProgramLimits } from './limits.ts';

function failure(project: string | object, limits?: Partial<ProgramLimits>): AstError {
  try {
    extractAst(project, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(AstError);
    return e as AstError;
  }
  throw new Error('expected an AstError');
}

describe('utf8Length', () => {
  test('equals the length TextEncoder writes, lone surrogates included (as U+FFFD)', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', '\ud800\ud800\udc00', 'x'.repeat(1000) + '日本語' + '\u{10ffff}', loneSurrogateProgram(), invalidUtf8Program()]) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});

describe('resolveLimits', () => {
  test('fills in the defaults, lifts a bound with Infinity, refuses nonsense', () => {
    expect(resolveLimits(undefined)).toEqual({ ...DEFAULT_PROGRAM_LIMITS });
    expect(resolveLimits({ maxNodes: Infinity })).toEqual({ ...DEFAULT_PROGRAM_LIMITS, maxNodes: Infinity });
    for (const bad of [0, -1, 1.5, NaN]) expect(() => resolveLimits({ maxDepth: bad })).toThrow(RangeError);
  });
});

describe('every hostile program gives a clear AstError or a small tree', () => {
  test('the finding-sized programs', () => {
    const over = { 'long-chain': 'bytes', 'deep-nesting': 'bytes', 'wide-scripts': 'bytes', 'huge-field': 'bytes' } as const;
    for (const kind of HOSTILE_KINDS) {
      const text = hostileProgram(kind);
      if (kind in over) {
        const e = failure(text);
        expect({ kind, code: e.code, bound: e.bound }).toEqual({ kind, code: 'too-large', bound: 'maxBytes' });
        expect(e.message).toBe(`program too large: ${utf8Length(text).toLocaleString('en-US')} bytes (limit 1,048,576; LMDASH_MAX_PROGRAM_BYTES)`);
      } else if (kind === 'entity-bomb' || kind === 'external-entity') {
        const e = failure(text);
        expect({ kind, code: e.code, path: e.path }).toEqual({ kind, code: 'bad-xml', path: 'workspace' });
        expect(e.message).toContain('a DOCTYPE is not allowed');
      } else {
        // Odd text and many declarations are not a size problem: a small, ordinary tree.
        const r = extractAst(text);
        expect({ kind, small: treeSize(r.tree) < 10 }).toEqual({ kind, small: true });
      }
    }
  });

  test('the bytes are counted before anything is parsed', () => {
    // Not JSON, not XML, a merge conflict: the size is still what is reported first.
    const junk = '<<<<<<< HEAD\n' + '#'.repeat(DEFAULT_PROGRAM_LIMITS.maxBytes) + '\n=======\n>>>>>>> x\n';
    expect(failure(junk).code).toBe('too-large');
    expect(failure('{' + ' '.repeat(2_000_000)).code).toBe('too-large');
  });

  test('a parsed VEXcode object: its workspace XML is counted', () => {
    const obj = JSON.parse(hugeFieldProgram(2_000_000)) as Record<string, unknown>;
    expect(failure(obj).bound).toBe('maxBytes');
  });

  test('the billion laughs and an external entity are refused at the DOCTYPE, without expanding anything', () => {
    for (const text of [entityBombProgram(), entityBombProgram(30), externalEntityProgram()]) {
      const e = failure(text);
      expect(e.code).toBe('bad-xml');
      expect(e.message).toMatch(/^workspace XML: a DOCTYPE is not allowed .* at line 1, column 1$/);
    }
    // The same bomb as bare XML text.
    const bare = (JSON.parse(entityBombProgram()) as { workspace: string }).workspace;
    expect(failure(bare).code).toBe('bad-xml');
  });

  test('invalid UTF-8 (decoded leniently) and lone surrogates are field text like any other', () => {
    expect(invalidUtf8Program()).toContain('\ufffd');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(invalidUtf8Bytes())).toThrow();
    for (const text of [invalidUtf8Program(), loneSurrogateProgram()]) {
      const r = extractAst(text);
      const field = r.tree.children[0]!.children[1]!.children[0]!.children[0]!.children[0]!.label;
      expect(field.startsWith('TEXT=')).toBe(true);
    }
  });
});

describe('each bound holds exactly at its value', () => {
  test('bytes: a program of exactly maxBytes parses, one byte less of limit is too-large', () => {
    const text = hugeFieldProgram(1000).replace('xxxx', 'é€😀'); // multi-byte characters count as bytes
    const bytes = utf8Length(text);
    expect(bytes).toBeGreaterThan(text.length);
    expect(treeSize(extractAst(text, { maxBytes: bytes }).tree)).toBe(7);
    const e = failure(text, { maxBytes: bytes - 1 });
    expect(e.message).toBe(`program too large: ${bytes.toLocaleString('en-US')} bytes (limit ${(bytes - 1).toLocaleString('en-US')}; LMDASH_MAX_PROGRAM_BYTES)`);
  });

  test('nodes: a chain of n blocks is n + 2 nodes', () => {
    const limits = { maxBytes: Infinity };
    for (const n of [1, 10, 4_998]) {
      const text = chainProgram(n);
      expect(treeSize(extractAst(text, { ...limits, maxNodes: n + 2 }).tree)).toBe(n + 2);
      const e = failure(text, { ...limits, maxNodes: n + 1 });
      expect(e.code).toBe('too-large');
      expect(e.message).toBe(`program too large: at least ${(n + 2).toLocaleString('en-US')} nodes (limit ${(n + 1).toLocaleString('en-US')}; LMDASH_MAX_PROGRAM_NODES)`);
    }
    // The default bound: 4,998 blocks is exactly 5,000 nodes.
    expect(treeSize(extractAst(chainProgram(4_998)).tree)).toBe(5_000);
    expect(failure(chainProgram(4_999)).bound).toBe('maxNodes');
  });

  test('nodes: wide scripts, counted across scripts', () => {
    expect(treeSize(extractAst(wideProgram(2_499)).tree)).toBe(4_999);
    expect(failure(wideProgram(2_500)).message).toBe('program too large: at least 5,001 nodes (limit 5,000; LMDASH_MAX_PROGRAM_NODES)');
  });

  test('depth: n nested loops are 2n + 1 deep', () => {
    const r = extractAst(nestedProgram(127));
    expect(treeDepth(r.tree)).toBe(255);
    expect(treeDepth(extractAst(nestedProgram(10), { maxDepth: 21 }).tree)).toBe(21);
    const e = failure(nestedProgram(10), { maxDepth: 20 });
    expect(e.message).toBe('program too large: at least 21 levels deep (limit 20; LMDASH_MAX_PROGRAM_DEPTH)');
    expect(failure(nestedProgram(128)).bound).toBe('maxDepth');
  });

  test('the 50,000-deep nesting under the byte bound lifted: stopped by depth, not by the stack', () => {
    const e = failure(nestedProgram(50_000), { maxBytes: Infinity });
    expect(e.bound).toBe('maxDepth');
    const chain = failure(chainProgram(50_000), { maxBytes: Infinity });
    expect(chain.message).toBe('program too large: at least 5,001 nodes (limit 5,000; LMDASH_MAX_PROGRAM_NODES)');
  });

  test('many variables are not nodes: declarations are dropped before counting', () => {
    const r = extractAst(manyVariablesProgram(20_000), { maxNodes: 3 });
    expect(treeSize(r.tree)).toBe(3);
  });

  test('Scratch 3 and Blockly JSON objects are bounded by nodes and depth too', () => {
    const blocks: Record<string, unknown> = {};
    for (let i = 0; i < 6_000; i++) blocks[`b${i}`] = { opcode: 'motion_movesteps', next: i + 1 < 6_000 ? `b${i + 1}` : null, parent: i ? `b${i - 1}` : null, inputs: {}, fields: {}, shadow: false, topLevel: i === 0 };
    expect(failure({ targets: [{ isStage: false, name: 'S', blocks }] }).bound).toBe('maxNodes');
    let json: Record<string, unknown> = { type: 'end' };
    for (let i = 0; i < 300; i++) json = { type: 'loop', inputs: { DO: { block: json } } };
    expect(failure({ blocks: { languageVersion: 0, blocks: [json] } }).bound).toBe('maxDepth');
  });
});

describe('computeStrategyStates with limits', () => {
  test('a program over a bound is a counted run with its reason, never compared, and cached as its error', () => {
    const small = chainProgram(5);
    const big = chainProgram(30);
    const astCache = new Map();
    const runs = [small, big, small].map((project, i) => ({ timestamp: i * 1000, project, projectName: 'p', key: `k${i}` }));
    const { rows, latest } = computeStrategyStates(runs, { limits: { maxNodes: 20 }, astCache });
    expect(rows.map((r) => r.parseError)).toEqual([null, 'program too large: at least 21 nodes (limit 20; LMDASH_MAX_PROGRAM_NODES)', null]);
    expect(rows[1]).toMatchObject({ astSize: null, treeHash: null, distance: null, bucket: null });
    // The third run is compared with the first: the big one is skipped.
    expect(rows[2]).toMatchObject({ distance: 0, bucket: 0 });
    expect(latest?.index).toBe(2);
    expect(astCache.get('k1')).toBeInstanceOf(AstError);
  });
});
