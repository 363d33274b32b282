/**
 * A guard for `PARSER_VERSION`: stored program summaries are keyed by it, so a change to what a
 * text parses into (tree, hash, size, shape, metadata, or the error) must bump it, or the
 * summaries stored by the old parser would be read as the new one's. This pins what the real
 * programs of `../shared/data/blocks` parse into: when it fails, the parse changed — bump
 * `PARSER_VERSION` (packages/inference/src/blocks/extract.ts) and pin the new digest here.
 */
import { describe, expect, test } from 'bun:test';
import { AstError, extractAst, PARSER_VERSION, programShape, treeHash, treeSize } from '@lmdash/inference';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../../test/shared.ts';
import { encodeSummary } from './programSummaries.ts';

const PINNED = { parserVersion: 1, digest: '51d9db71c833ddf2cc6f7409834524c1ca0daf10af882d5ba699f8c2246f4225' };

const blocks = sharedPath('data/blocks');
const PROGRAM = /\.(v5blocks|iqblocks|expblocks|vrblocks|blocks)$/;

describe.skipIf(blocks === null)('PARSER_VERSION', () => {
  test('what the real programs parse into is what this parser version pinned', () => {
    const files = (readdirSync(blocks!, { recursive: true }) as string[]).filter((f) => PROGRAM.test(f)).sort();
    expect(files.length).toBeGreaterThan(200);
    const hasher = new Bun.CryptoHasher('sha256');
    for (const f of files) {
      let summary: string;
      try {
        const { tree, meta } = extractAst(readFileSync(join(blocks!, f), 'utf8'));
        summary = encodeSummary({ hash: treeHash(tree), size: treeSize(tree), meta, shape: programShape(tree) });
      } catch (e) {
        if (!(e instanceof AstError)) throw e;
        summary = encodeSummary(e);
      }
      hasher.update(`${f}\n${summary}\n`);
    }
    expect({ parserVersion: PARSER_VERSION, digest: hasher.digest('hex') }).toEqual(PINNED);
  });
});
