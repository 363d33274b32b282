/**
 * Golden canonical trees for small hand-written programs in ./golden (original content, one per
 * input format). The expected text is committed; a missing or different expectation writes
 * `<name>.actual.txt` beside it and fails, so changes to the canonical form are always reviewed.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '../tree/tree.ts';
import { parseBracket, toBracket, treeEquals } from '../tree/tree.ts';
import { extractAst } from './index.ts';

const dir = join(import.meta.dir, 'golden');
const GOLDEN_INPUT = /\.(?:v5blocks|iqblocks|expblocks|vrblocks|blocks|blockly-json|scratch3-json)$/;

/** One node per line, two spaces per level; `\` and newlines in labels are escaped. Iterative. */
function indentedDump(tree: Tree): string {
  const out: string[] = [];
  const stack: [Tree, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    out.push('  '.repeat(depth) + n.label.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
    for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], depth + 1]);
  }
  return out.join('\n') + '\n';
}

/** Expected text: a comment-free header with meta, then the bracket form, then the indented dump. */
function goldenText(file: string): string {
  const r = extractAst(readFileSync(join(dir, file), 'utf8'));
  return `meta: ${JSON.stringify(r.meta)}\nbracket: ${toBracket(r.tree)}\n\n${indentedDump(r.tree)}`;
}

const inputs = readdirSync(dir).filter((f) => GOLDEN_INPUT.test(f)).sort();

describe('golden canonical trees', () => {
  test('there are golden programs for every input format', () => {
    const formats = new Set(inputs.map((f) => extractAst(readFileSync(join(dir, f), 'utf8')).meta.format));
    expect([...formats].sort()).toEqual(['blockly-json', 'blockly-xml', 'scratch3', 'vexcode']);
  });

  for (const file of inputs) {
    test(file, () => {
      const expectedPath = join(dir, `${file}.expected.txt`);
      const actualPath = join(dir, `${file}.actual.txt`);
      const actual = goldenText(file);
      const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : null;
      if (expected !== actual) {
        writeFileSync(actualPath, actual);
        throw new Error(
          expected === null
            ? `no expected output for ${file}: wrote ${actualPath}; review it and rename it to ${file}.expected.txt`
            : `${file} differs from ${file}.expected.txt: wrote ${actualPath} for review`,
        );
      }
      if (existsSync(actualPath)) rmSync(actualPath);
      // The bracket line round-trips to the same tree.
      const bracket = expected.split('\n')[1].slice('bracket: '.length);
      expect(treeEquals(parseBracket(bracket), extractAst(readFileSync(join(dir, file), 'utf8')).tree)).toBe(true);
    });
  }
});

describe('README.md, canonical form', () => {
  test('the worked example gives the documented tree', () => {
    const md = readFileSync(join(import.meta.dir, '..', '..', 'README.md'), 'utf8').split('\n## Canonical form')[1];
    const xml = md.split('```xml\n')[1].split('```')[0];
    const dump = md.split('```xml\n')[1].split('```\n\n')[1].split('```\n')[1].split('```')[0];
    expect(indentedDump(extractAst(xml).tree)).toBe(dump);
  });
});
