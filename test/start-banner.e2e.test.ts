/**
 * The simulator's banner: `lmdash api --simulated` (what `lmdash start` runs without
 * LMDASH_SOURCE_URL) says `simulated: true` in /api/health and the dashboard shows one line
 * saying the class is simulated, with a link to the docs it serves; without the flag (a real
 * source) neither. In headless Chromium; skips loudly without it.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumOrWarn, ensureBuilt, launch, until } from '../packages/web/test/browser.ts';
import { spawnListening } from './spawnSim.ts';

const RUN = chromiumOrWarn('the simulator banner test');
const it = RUN ? test : test.skip;
const { LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, ...env } = process.env;

const dir = mkdtempSync(join(tmpdir(), 'lmdash-banner-'));
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `lmdash api` on an empty file in the temp folder, until `body` is done. */
async function withApi(flags: string[], body: (url: string) => Promise<void>): Promise<void> {
  const { proc, url } = await spawnListening(['api', '--db', join(dir, `${flags.length ? 'sim' : 'real'}.sqlite`), '--port', '0', ...flags], env);
  try {
    await body(url);
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
  }
}

describe('the simulated-class banner', () => {
  it('shows with --simulated, links to docs the API serves, and is absent with a real source', async () => {
    await ensureBuilt();
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const banner = page.locator('[data-testid=simulated-banner]');

    await withApi(['--simulated'], async (url) => {
      expect(((await (await fetch(`${url}/api/health`)).json()) as { simulated?: boolean }).simulated).toBe(true);
      await page.goto(`${url}/`);
      await until('the banner', () => banner.isVisible(), 30_000);
      expect(await banner.innerText()).toMatch(/Simulated class: generated students, not real data\. To mirror a real deployment, set LMDASH_SOURCE_URL/);
      const href = (await banner.locator('a').getAttribute('href'))!;
      const doc = await fetch(new URL(href, url));
      expect(doc.status).toBe(200);
      expect(doc.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await doc.text()).toContain('LMDASH_SOURCE_URL');
      for (const bad of ['/docs/..%2Fpackage.json', '/docs/nope.md', '/docs/config.txt']) expect((await fetch(`${url}${bad}`)).status).toBe(404);
    });

    await withApi([], async (url) => {
      expect('simulated' in ((await (await fetch(`${url}/api/health`)).json()) as object)).toBe(false);
      // The page asks /api/health once its stream is live; after that answer, still no banner.
      const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/health', { timeout: 30_000 });
      await page.goto(`${url}/`);
      const answer = await asked;
      expect(((await answer.json()) as { simulated?: boolean }).simulated).toBeUndefined();
      // Two animation frames in the page: Solid has rendered whatever that answer set.
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      expect(await page.locator('[data-testid=stream-status]').innerText()).toContain('live');
      expect(await banner.count()).toBe(0);
    });
  }, 120_000);
});
