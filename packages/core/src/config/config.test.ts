import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, redactConfig, renderConfigDocs } from './config.ts';

describe('loadConfig', () => {
  test('nothing set: safe defaults (loopback, simulator, demo credentials)', () => {
    const c = loadConfig();
    expect(c.apiHost).toBe('127.0.0.1');
    expect(c.apiPort).toBe(8447);
    expect(c.sourceUrl).toBeUndefined();
    expect(c.sourceUser).toBe('demo');
    expect(c.wheelspinMinRuns).toBe(3);
    expect(c.idleMax).toBe(5);
  });

  test('environment beats file beats default, with types coerced', () => {
    const c = loadConfig({ env: { LMDASH_API_PORT: '9000' }, file: { LMDASH_API_PORT: 9100, BACKFILL_HOURS: 2, LMDASH_SOURCE_URL: 'https://vex.example.edu' } });
    expect(c.apiPort).toBe(9000);
    expect(c.backfillHours).toBe(2);
    expect(c.sourceUrl).toBe('https://vex.example.edu');
  });

  test('bad values name their variables, all at once', () => {
    try {
      loadConfig({ env: { LMDASH_API_PORT: 'eighty', WHEELSPIN_MIN_RUNS: '0', LMDASH_SOURCE_URL: 'ftp://x' } });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const vars = (e as ConfigError).problems.map((p) => p.variable);
      expect(vars).toEqual(['LMDASH_SOURCE_URL', 'WHEELSPIN_MIN_RUNS', 'LMDASH_API_PORT']);
      expect((e as Error).message).toContain('LMDASH_API_PORT: ');
    }
  });

  test('an unknown key in the config file is an error, not silently ignored', () => {
    expect(() => loadConfig({ file: { LMDASH_API_PROT: 1 } })).toThrow(/LMDASH_API_PROT: unknown setting/);
  });

  test('binding beyond loopback needs a token; secrets never show', () => {
    expect(() => loadConfig({ env: { LMDASH_API_HOST: '0.0.0.0' } })).toThrow(/LMDASH_API_TOKEN: required/);
    const c = loadConfig({ env: { LMDASH_API_HOST: '0.0.0.0', LMDASH_API_TOKEN: 'a-long-enough-secret', LMDASH_SOURCE_PASSWORD: 'hunter2' } });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('a-long-enough-secret');
    try {
      loadConfig({ env: { LMDASH_API_TOKEN: 'short-secret' } });
    } catch (e) {
      expect((e as Error).message).toContain('LMDASH_API_TOKEN');
      expect((e as Error).message).not.toContain('short-secret');
    }
  });
});

test('docs/config.md is the generated table', () => {
  const docs = readFileSync(resolve(import.meta.dir, '../../../../docs/config.md'), 'utf8');
  expect(docs).toBe(renderConfigDocs());
});
