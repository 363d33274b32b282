/**
 * The dashboard on the real stack, each part its own process as a researcher runs them: the
 * simulator replaying the committed small classroom 40 times faster (`lmdash sim --log
 * fixtures/logs/small.jsonl --speed 40`: deterministic content, and its big rewrites open alerts
 * within a minute), the daemon mirroring it (`--track-all`), and the API serving dist/. In
 * headless Chromium: cards appear and update live, an alert is acked with a note, a producer
 * event becomes a panel, the page reconnects by itself after the API restarts, and a reset
 * empties the view. Skips loudly without chromium or without packages/api.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TriggerRow } from '../src/types.ts';
import { chromiumOrWarn, ensureBuilt, launch, until } from './browser.ts';

const REPO_ROOT = resolve(import.meta.dir, '..', '..', '..');
const API_READY = existsSync(join(REPO_ROOT, 'packages', 'api', 'src', 'cli.ts'));
if (!API_READY) console.warn('\n!! packages/api/src/cli.ts is missing: skipping the dashboard tests on the real stack\n');
const RUN = chromiumOrWarn('the dashboard tests on the real stack') && API_READY;
const it = RUN ? test : test.skip;

// The children get a clean environment: no production source, no API token, no fixed ports.
const { LMDASH_SOURCE_URL: _u, LMDASH_SOURCE_TOKEN: _k, LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, ...baseEnv } = process.env;
const ENV: Record<string, string> = { ...(baseEnv as Record<string, string>), PIPELINE_IDLE_MAX: '1' };

interface Child {
  proc: ReturnType<typeof Bun.spawn>;
  output: string[];
}

/** Spawns `bun scripts/lmdash.ts ...args`, collecting its output; resolves with the URL it prints, if asked to wait for one. */
async function lmdash(args: string[], waitForUrl: boolean): Promise<Child & { url: string }> {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', ...args], { cwd: REPO_ROOT, env: ENV, stdout: 'pipe', stderr: 'pipe' });
  const output: string[] = [];
  let url = '';
  let resolveUrl!: (u: string) => void;
  const found = new Promise<string>((r) => (resolveUrl = r));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of stream) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        output.push(line);
        if (output.length > 400) output.shift();
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m && !url) resolveUrl((url = m[1]!));
      }
    }
  };
  void pump(proc.stdout as ReadableStream<Uint8Array>);
  void pump(proc.stderr as ReadableStream<Uint8Array>);
  if (waitForUrl) {
    const exited = proc.exited.then((code) => {
      throw new Error(`lmdash ${args[0]} exited (${code}) before listening:\n${output.join('\n')}`);
    });
    const timeout = Bun.sleep(60_000).then(() => {
      throw new Error(`lmdash ${args[0]} did not print "listening on" within 60 s:\n${output.join('\n')}`);
    });
    url = await Promise.race([found, exited, timeout]);
  }
  return { proc, output, url };
}

async function stop(child: Child | undefined): Promise<void> {
  if (!child || child.proc.exitCode !== null) return;
  child.proc.kill('SIGTERM');
  const done = await Promise.race([child.proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
  if (!done) child.proc.kill('SIGKILL');
  await child.proc.exited;
}

let dir = '';
let sim: Child & { url: string };
let daemon: Child;
let api: Child & { url: string };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const cards = () => page.locator('[data-testid=student-card]');
const streamStatus = () => page.locator('[data-testid=stream-status]').innerText();
const logs = () => `\n--- daemon ---\n${daemon?.output.slice(-20).join('\n')}\n--- api ---\n${api?.output.slice(-20).join('\n')}`;

beforeAll(async () => {
  if (!RUN) return;
  dir = mkdtempSync(join(tmpdir(), 'lmdash-web-stack-'));
  const db = join(dir, 'lmdash.sqlite');
  await ensureBuilt();
  sim = await lmdash(['sim', '--log', 'fixtures/logs/small.jsonl', '--speed', '40', '--port', '0', '--quiet'], true);
  daemon = await lmdash(['daemon', '--db', db, '--source', sim.url, '--track-all'], false);
  api = await lmdash(['api', '--db', db, '--port', '0'], true);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${api.url}/`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stop(api);
  await stop(daemon);
  await stop(sim);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the dashboard on the real stack', () => {
  it('cards appear and update live', async () => {
    await until('the cohort\'s cards', async () => (await cards().count()) >= 5, 90_000, 250).catch((e) => {
      throw new Error(`${e.message}${logs()}`);
    });
    expect(await streamStatus()).toContain('live');
    expect(await page.locator('[data-testid=daemon-health]').innerText()).toContain('daemon healthy');
    expect(await page.locator('[data-testid=model]').innerText()).toBe('default model');
    await until('a card with a strategy state', async () => (await page.locator('[data-testid=student-card]:not([data-state=none])').count()) > 0, 90_000, 250);
    const versions = async () => (await cards().evaluateAll((els) => els.map((e) => `${e.getAttribute('data-student')}@${e.getAttribute('data-version')}`))).sort().join(' ');
    const before = await versions();
    await until('a card updated live', async () => (await versions()) !== before, 90_000, 250);
    expect(pageErrors).toEqual([]);
  }, 200_000);

  it('an alert opens, is acked with a note, and leaves the open list', async () => {
    const open = page.locator('[data-testid=open-alerts] [data-testid=alert]');
    await until('an open alert', async () => (await open.count()) > 0, 150_000, 500).catch((e) => {
      throw new Error(`${e.message}${logs()}`);
    });
    await until('the title counts it', async () => /^\(\d+\) LM Dashboard$/.test(await page.title()));
    const first = open.first();
    const id = await first.getAttribute('data-alert');
    await first.getByRole('button', { name: /Acknowledge/ }).click();
    await page.locator(`[data-testid=open-alerts] [data-alert="${id}"] input`).fill('checked in at the robot');
    await page.locator(`[data-testid=open-alerts] [data-alert="${id}"]`).getByRole('button', { name: 'Acknowledge' }).click();
    await until('it leaves the open list', async () => (await page.locator(`[data-testid=open-alerts] [data-alert="${id}"]`).count()) === 0);
    await until('it shows as acked', () => page.locator(`[data-testid=acked-alerts] [data-alert="${id}"]`).count());
    expect(await page.locator(`[data-testid=acked-alerts] [data-alert="${id}"]`).innerText()).toContain('checked in at the robot');
    const acked = (await (await fetch(`${api.url}/api/triggers?status=acked`)).json()) as TriggerRow[];
    expect(acked.find((t) => String(t.id) === id)?.ackNote).toBe('checked in at the robot');
  }, 200_000);

  it('a producer event shows up as a panel', async () => {
    const res = await fetch(`${api.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'metric', name: 'stack check', value: 42, unit: 'runs' }) });
    expect(res.status).toBeLessThan(300);
    await page.click('a[href="#/panels"]');
    const panel = page.locator('[data-testid=panel][data-type=metric][data-name="stack check"]');
    await until('the panel', () => panel.count(), 20_000);
    expect(await panel.locator('[data-testid=metric-value]').innerText()).toContain('42');
    await page.click('a[href="#/"]');
  }, 60_000);

  it('the page reconnects by itself after the API restarts', async () => {
    const port = new URL(api.url).port;
    const n = await cards().count();
    await stop(api);
    await until('the page notices', async () => /reconnecting|offline/.test(await streamStatus()), 30_000, 250);
    api = await lmdash(['api', '--db', join(dir, 'lmdash.sqlite'), '--port', port], true);
    await until('live again', async () => (await streamStatus()).includes('live'), 60_000, 250);
    await until('the cards are all there', async () => (await cards().count()) >= n, 20_000, 250);
    // And still live: a publish after the restart arrives.
    await fetch(`${api.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'note', text: 'after the restart' }) });
    await page.click('a[href="#/panels"]');
    await until('the note after the restart', async () => (await page.locator('[data-testid=panel][data-type=note]').innerText().catch(() => '')).includes('after the restart'), 20_000);
    await page.click('a[href="#/"]');
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('a reset behind its confirmation empties the view', async () => {
    // The previous test ends by going back to the cards: wait for them to render again.
    await until('the cards are shown', async () => (await cards().count()) > 0, 20_000, 250);
    // The daemon may track the roster again after a reset: record that the view was empty at some point.
    await page.evaluate(() => {
      const w = window as Window & { sawEmpty?: boolean };
      w.sawEmpty = false;
      new MutationObserver(() => {
        if (document.querySelectorAll('[data-testid=student-card]').length === 0) w.sawEmpty = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.click('a[href="#/roster"]');
    await page.getByRole('button', { name: 'Reset all data…' }).click();
    const dialog = page.locator('[data-testid=reset-dialog]');
    await dialog.getByLabel('Type RESET to confirm').fill('RESET');
    await dialog.getByRole('button', { name: 'Reset everything' }).click();
    await until('the dialog closes', async () => !(await dialog.isVisible()), 20_000);
    await page.click('a[href="#/"]');
    await until('the view was emptied', () => page.evaluate(() => (window as Window & { sawEmpty?: boolean }).sawEmpty === true), 20_000);
    await until('the acked alert is gone with the reset', async () => (await page.locator('[data-testid=acked-alerts] [data-testid=alert]').count()) === 0, 20_000);
    const acked = (await (await fetch(`${api.url}/api/triggers?status=acked`)).json()) as TriggerRow[];
    expect(acked).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
