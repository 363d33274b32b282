/**
 * The login in headless Chromium against the real API bound beyond loopback (0.0.0.0, with a
 * token and a users file) over a seeded database: the page shows the login form instead of the
 * cards, a wrong token says so, the token shows the cards over a live stream, a quick ack goes
 * through (the fetch wrapper echoes the CSRF cookie), signing out brings the form back, and a
 * user of the users file signs in too. Skips loudly without chromium.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { applyWrite, seedClass, tempDb, type TempDb } from '../../api/test/daemonWrites.ts';
import { spawnApi, type ApiProcess } from '../../api/test/helpers.ts';
import { chromiumOrWarn, ensureBuilt, launch, until } from './browser.ts';

const RUN = chromiumOrWarn('the login end-to-end test');
const it = RUN ? test : test.skip;
const TOKEN = 'login-e2e-token-0123456789';

const { LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, LMDASH_SESSION_SECRET: _s, LMDASH_API_USERS_FILE: _f, ...cleanEnv } = process.env;

let db: TempDb;
let dir = '';
let api: ApiProcess;
let browser: Browser;
let page: Page;
let alertId = 0;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!RUN) return;
  await ensureBuilt();
  db = tempDb();
  seedClass(db.sqlite);
  alertId = applyWrite(db.sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: Date.now() - 240_000 }).id!;
  dir = mkdtempSync(join(tmpdir(), 'lmdash-login-'));
  const users = join(dir, 'users');
  writeFileSync(users, `alice:${await Bun.password.hash('correct horse', { algorithm: 'argon2id', memoryCost: 1024, timeCost: 1 })}\n`);
  api = await spawnApi(['--db', db.path, '--host', '0.0.0.0', '--port', '0'], { ...(cleanEnv as Record<string, string>), LMDASH_API_TOKEN: TOKEN, LMDASH_API_USERS_FILE: users });
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  db?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

const cards = () => page.locator('[data-testid=student-card]');
const form = () => page.locator('[data-testid=login-form]');

describe('the dashboard beyond loopback', () => {
  it('asks for a login, shows the cards once signed in, writes with the CSRF token, signs out', async () => {
    await page.goto(`${api.url.replace('0.0.0.0', '127.0.0.1')}/`);
    await until('the login form', () => form().isVisible());
    expect(await cards().count()).toBe(0);

    await page.locator('[data-testid=login-secret]').fill('not-the-token-0123456789');
    await page.locator('[data-testid=login-submit]').click();
    await until('the refusal', async () => (await page.locator('[data-testid=login-error]').innerText()).includes('wrong token'));

    await page.locator('[data-testid=login-secret]').fill(TOKEN);
    await page.locator('[data-testid=login-submit]').click();
    await until('the cards', async () => (await cards().count()) === 3);
    await until('a live stream', async () => (await page.locator('[data-testid=stream-status]').innerText()).includes('live'));
    // The session cookie is out of the page's reach; the CSRF one is not.
    expect(await page.evaluate(() => document.cookie)).toMatch(/^lmdash_csrf=[A-Za-z0-9_-]+$/);

    // A write signed in by cookie: the quick ack on the card.
    await page.locator(`[data-testid=student-card][data-student=s-1]`).getByRole('button', { name: /Acknowledge/ }).click();
    await until('acked in the database', () => (db.sqlite.query('SELECT status FROM trigger_event WHERE id = ?').get(alertId) as { status: string }).status === 'acked');

    await page.locator('[data-testid=logout]').click();
    await until('the login form again', () => form().isVisible());
    expect(await cards().count()).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // A user of the users file.
    await page.locator('[data-testid=login-user]').fill('alice');
    await page.locator('[data-testid=login-secret]').fill('correct horse');
    await page.locator('[data-testid=login-submit]').click();
    await until('the cards for alice', async () => (await cards().count()) === 3);
    expect(await page.locator('[data-testid=logout]').getAttribute('title')).toBe('Signed in as alice');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
