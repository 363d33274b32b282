/**
 * The dashboard in headless Chromium against the fake API (test/fakeApi.ts): cards live, alerts
 * and their ack, reset, reconnection after the API restarts, producer panels, the drill-down,
 * the roster, the header, 300 cards. Builds dist/ first when the sources are newer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumOrWarn, ensureBuilt, launch, until } from './browser.ts';
import { FakeApi } from './fakeApi.ts';

const RUN = chromiumOrWarn('the dashboard end-to-end tests');
const it = RUN ? test : test.skip;
const SLOW = 90_000;

let browser: Browser;

beforeAll(async () => {
  if (!RUN) return;
  await ensureBuilt();
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** A fresh fake API and a page on it; collects page errors, which fail the test. */
async function open(opts: ConstructorParameters<typeof FakeApi>[0] = {}, hash = '#/', viewport = { width: 1280, height: 800 }) {
  const api = new FakeApi({ students: 5, ...opts }).start();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${api.url}/${hash}`);
  const done = async () => {
    await context.close();
    await api.stop();
    expect(errors).toEqual([]);
  };
  return { api, page, errors, done };
}

const cards = (page: Page) => page.locator('[data-testid=student-card]');
const card = (page: Page, id: string) => page.locator(`[data-testid=student-card][data-student="${id}"]`);
const streamStatus = (page: Page) => page.locator('[data-testid=stream-status]').innerText();

describe('live cards', () => {
  it('cards appear with their state and update live', async () => {
    const { api, page, done } = await open({ students: 6 });
    try {
      await until('6 cards', async () => (await cards(page).count()) === 6);
      for (const c of api.cards.values()) {
        const want = c.state == null ? 'none' : ['iterator', 'explorer', 'stuck'][c.state];
        expect(await card(page, c.studentId).getAttribute('data-state')).toBe(want!);
      }
      expect(await streamStatus(page)).toContain('live');

      const target = [...api.cards.values()].find((c) => c.state !== 2)!;
      // Half a minute past 5 m: the page's clock ticks once a second, so ages may lag by up to 1 s.
      api.change([{ ...target, state: 2, stateSince: Date.now() - 330_000, lastEventAt: Date.now() - 330_000 }]);
      await until('the card turns stuck', async () => (await card(page, target.studentId).getAttribute('data-state')) === 'stuck');
      // The state attribute and the badge's text render apart: CI once read the badge empty between them.
      await until('the badge says stuck', async () => (await card(page, target.studentId).locator('.badge').innerText()).includes('Stuck'));
      expect(await card(page, target.studentId).locator('.badge').innerText()).toContain('Stuck');
      expect(await card(page, target.studentId).locator('.activity').innerText()).toBe('idle 5 m');
      expect(await card(page, target.studentId).locator('.activity').getAttribute('data-idle')).toBe('true');

      // A new student arrives, another leaves.
      const gone = [...api.cards.keys()].find((id) => id !== target.studentId)!;
      api.change([{ ...target, studentId: 's-0100', displayName: 'Zed Q.', state: 1 }], [], [gone]);
      await until('the new card', () => card(page, 's-0100').count());
      await until('the removed card is gone', async () => (await card(page, gone).count()) === 0);
    } finally {
      await done();
    }
  }, SLOW);

  it("a card says when the latest run could not be analysed, and why (in the title)", async () => {
    const { api, page, done } = await open({ students: 2 });
    try {
      await until('2 cards', async () => (await cards(page).count()) === 2);
      const [a, b] = [...api.cards.values()];
      const unreadable = (id: string) => card(page, id).locator('[data-testid=card-unreadable]');
      expect(await unreadable(a!.studentId).count()).toBe(0);
      const tooLarge = 'program too large: 3,739,228 bytes (limit 1,048,576; LMDASH_MAX_PROGRAM_BYTES)';
      api.change([
        { ...a!, runCount: a!.runCount + 1, lastRunError: tooLarge },
        { ...b!, runCount: b!.runCount + 1, lastRunError: 'workspace XML: unterminated tag <value> at line 1, column 986' },
      ]);
      await until('the warning', () => unreadable(a!.studentId).count());
      expect(await unreadable(a!.studentId).innerText()).toBe('last program too large to analyse');
      expect(await unreadable(a!.studentId).getAttribute('title')).toContain(tooLarge);
      await until('the other warning', () => unreadable(b!.studentId).count());
      expect(await unreadable(b!.studentId).innerText()).toBe('last program could not be read');
      // The next run parses: the card shows its runs again.
      api.change([{ ...a!, runCount: a!.runCount + 2, lastRunError: null }]);
      await until('the warning goes', async () => (await unreadable(a!.studentId).count()) === 0);
      expect(await card(page, a!.studentId).locator('.card-runs').innerText()).toContain(`${a!.runCount + 2} runs`);
    } finally {
      await done();
    }
  }, SLOW);

  it('orders by need: open alerts, then stuck, then idle, then the rest', async () => {
    const { api, page, done } = await open({ students: 0 });
    try {
      const base = { ...new FakeApi({ students: 1 }).cards.values().next().value! };
      const now = Date.now();
      api.change([
        { ...base, studentId: 'a', displayName: 'Rest', state: 0, lastEventAt: now },
        { ...base, studentId: 'b', displayName: 'Idle', state: 1, lastEventAt: now - 6 * 60_000 },
        { ...base, studentId: 'c', displayName: 'Stuck', state: 2, lastEventAt: now },
        { ...base, studentId: 'd', displayName: 'Alerted', state: 0, lastEventAt: now },
      ]);
      api.openAlert('d', 'big_rewrite');
      await until('alert on card d', () => card(page, 'd').locator('[data-testid=alert]').count());
      const order = await cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-student')));
      expect(order).toEqual(['d', 'c', 'b', 'a']);

      // Search and filter.
      await page.getByLabel('Search students').fill('stu');
      await until('search narrows', async () => (await cards(page).count()) === 1);
      await page.getByLabel('Search students').fill('');
      await page.getByLabel('Filter by state').selectOption('idle');
      await until('filter narrows', async () => (await cards(page).count()) === 1);
      expect(await cards(page).first().getAttribute('data-student')).toBe('b');
    } finally {
      await done();
    }
  }, SLOW);

  it('300 cards: a delta re-renders only its card and nothing moves', async () => {
    const { api, page, done } = await open({ students: 300 });
    try {
      const loadStart = Date.now();
      await until('300 cards', async () => (await cards(page).count()) === 300, 60_000, 50);
      console.log(`300 cards: on screen ${Date.now() - loadStart} ms after the page loaded`);
      // Mark every card node; a re-created node would lose its mark.
      await page.evaluate(() => document.querySelectorAll('[data-testid=student-card]').forEach((el) => ((el as HTMLElement & { mark?: string }).mark = el.getAttribute('data-student')!)));
      const heights = await cards(page).evaluateAll((els) => [...new Set(els.map((e) => Math.round(e.getBoundingClientRect().height)))]);
      expect(heights.length).toBe(1);

      // A card in the rest group, whose run does not change its rank.
      const target = [...api.cards.values()].filter((c) => c.state === 0).sort((a, b) => a.displayName.localeCompare(b.displayName))[0]!;
      const before = await cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-student')));
      const t0 = Date.now();
      api.change([{ ...target, runCount: target.runCount + 1, recentScores: [...target.recentScores, 0.42], lastEventAt: Date.now() }]);
      // textContent, not innerText: off-screen cards skip rendering (content-visibility) and have no innerText.
      await until('the card shows the new run', async () => (await card(page, target.studentId).textContent())?.includes(`${target.runCount + 1} runs`), 10_000, 20);
      const elapsed = Date.now() - t0;
      const after = await cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-student')));
      const remade = await page.evaluate(() => [...document.querySelectorAll('[data-testid=student-card]')].filter((el) => (el as HTMLElement & { mark?: string }).mark !== el.getAttribute('data-student')).length);
      expect(remade).toBe(0);
      expect(after).toEqual(before);
      expect(await card(page, target.studentId).evaluate((e) => Math.round(e.getBoundingClientRect().height))).toBe(heights[0]!);
      console.log(`300 cards: a delta reached the page in ${elapsed} ms`);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await done();
    }
  }, 120_000);
});

describe('alerts', () => {
  it('an alert shows on its card and in the feed, counts in the title, and is acked with a note', async () => {
    const { api, page, done } = await open({ students: 3 });
    try {
      await until('3 cards', async () => (await cards(page).count()) === 3);
      const id = [...api.cards.keys()][1]!;
      const row = api.openAlert(id, 'wheelspin');
      await until('alert on the card', () => card(page, id).locator('[data-testid=alert]').count());
      const openList = page.locator('[data-testid=open-alerts] [data-testid=alert]');
      await until('alert in the feed', async () => (await openList.count()) === 1);
      expect(await openList.first().innerText()).toContain('Wheel-spin');
      expect(await openList.first().innerText()).toMatch(/\b[34] m\b/); // began 4 m ago (the page clock may lag 1 s)
      await until('title counts it', async () => (await page.title()) === '(1) LM Dashboard');

      // A re-alert is marked as such.
      api.openAlert([...api.cards.keys()][2]!, 'inactive', { reopenedFrom: 99 });
      await until('two open', async () => (await openList.count()) === 2);
      expect(await page.locator('[data-testid=open-alerts] .tag', { hasText: 're-alert' }).count()).toBe(1);
      await until('title counts both', async () => (await page.title()) === '(2) LM Dashboard');

      // Ack with a note, by keyboard where it matters.
      await openList.filter({ hasText: 'Wheel-spin' }).getByRole('button', { name: /Acknowledge/ }).click();
      const note = page.getByLabel(/Note for the Wheel-spin alert/);
      await note.fill('talked it through');
      await note.press('Enter');
      await until('it leaves the open list', async () => (await openList.count()) === 1);
      const acked = page.locator('[data-testid=acked-alerts] [data-testid=alert]');
      await until('it shows as acked', async () => (await acked.count()) === 1);
      expect(await acked.first().innerText()).toContain('talked it through');
      expect(await card(page, id).locator('[data-testid=alert]').count()).toBe(0);
      expect(api.requests).toContainEqual({ method: 'POST', path: `/api/triggers/${row.id}/ack`, body: { note: 'talked it through' } });
      await until('title counts one', async () => (await page.title()) === '(1) LM Dashboard');

      // The card's quick ack, no note.
      const other = [...api.cards.keys()][2]!;
      await card(page, other).getByRole('button', { name: /Acknowledge/ }).click();
      await until('no open alerts', async () => (await openList.count()) === 0);
      await until('plain title', async () => (await page.title()) === 'LM Dashboard');
    } finally {
      await done();
    }
  }, SLOW);
});

describe('reset', () => {
  it('reset sits behind a dialog that wants RESET typed, then empties the view', async () => {
    const { api, page, done } = await open({ students: 4, initialAlerts: false }, '#/roster');
    try {
      api.openAlert([...api.cards.keys()][0]!);
      await page.getByRole('button', { name: 'Reset all data…' }).click();
      const dialog = page.locator('[data-testid=reset-dialog]');
      await until('dialog open', () => dialog.isVisible());
      // Escape closes it without resetting.
      await page.keyboard.press('Escape');
      await until('dialog closed', async () => !(await dialog.isVisible()));
      expect(api.requests.filter((r) => r.path === '/api/reset')).toEqual([]);

      await page.getByRole('button', { name: 'Reset all data…' }).click();
      await until('dialog open again', () => dialog.isVisible());
      const confirm = dialog.getByRole('button', { name: 'Reset everything' });
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel('Type RESET to confirm').fill('reset');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel('Type RESET to confirm').fill('RESET');
      await confirm.click();
      await until('dialog closed after reset', async () => !(await dialog.isVisible()));
      expect(api.requests).toContainEqual({ method: 'POST', path: '/api/reset', body: { confirm: 'RESET' } });

      await page.click('a[href="#/"]');
      await until('no cards', () => page.locator('[data-testid=cards-empty]').isVisible());
      expect(await cards(page).count()).toBe(0);
      expect(await page.locator('[data-testid=open-alerts] [data-testid=alert]').count()).toBe(0);

      // Mirroring starts again in the new epoch: new cards arrive as deltas.
      api.change([{ ...api.cohort.students.get('s-0001')!.card }]);
      await until('a card in the new epoch', async () => (await cards(page).count()) === 1);
    } finally {
      await done();
    }
  }, SLOW);

  it('a reset from elsewhere (the stream) empties an open tab', async () => {
    const { api, page, done } = await open({ students: 4 });
    try {
      await until('4 cards', async () => (await cards(page).count()) === 4);
      api.reset();
      await until('no cards', async () => (await cards(page).count()) === 0);
    } finally {
      await done();
    }
  }, SLOW);
});

describe('connection', () => {
  it('reconnects by itself after the API restarts, and catches up on what it missed', async () => {
    const { api, page, done } = await open({ students: 3 });
    try {
      await until('3 cards', async () => (await cards(page).count()) === 3);
      await until('live', async () => (await streamStatus(page)).includes('live'));
      const port = api.port;
      await api.stop();
      await until('the page notices', async () => /reconnecting|offline/.test(await streamStatus(page)), 30_000);

      // Changes while the page is away.
      const target = [...api.cards.values()].find((c) => c.state !== 2)!;
      api.change([{ ...target, state: 2 }]);
      api.change([{ ...api.cohort.students.get('s-0001')!.card, studentId: 's-0200', displayName: 'Late Arrival' }]);

      await Bun.sleep(1500);
      api.start(port);
      await until('live again', async () => (await streamStatus(page)).includes('live'), 45_000, 250);
      await until('missed change applied', async () => (await card(page, target.studentId).getAttribute('data-state')) === 'stuck', 20_000);
      await until('missed card arrived', () => card(page, 's-0200').count(), 20_000);
      expect(await cards(page).count()).toBe(4);
    } finally {
      await done();
    }
  }, 120_000);

  it('shows offline while the API stays down, and a fresh snapshot when it comes back with other data', async () => {
    const { api, page, done } = await open({ students: 2 });
    try {
      await until('2 cards', async () => (await cards(page).count()) === 2);
      const port = api.port;
      await api.stop();
      await until('offline after a while', async () => (await streamStatus(page)).includes('offline'), 45_000, 250);
      // A different API (new epoch, other students) on the same port.
      const other = new FakeApi({ students: 4, seed: 99 });
      other.epoch = 5;
      other.start(port);
      try {
        await until('live again', async () => (await streamStatus(page)).includes('live'), 45_000, 250);
        await until('the new snapshot replaced the cards', async () => (await cards(page).count()) === 4, 20_000);
      } finally {
        await other.stop();
      }
    } finally {
      await done();
    }
  }, 150_000);
});

describe('panels', () => {
  it('producer events show up as panels, by type and name, and survive a reload', async () => {
    const { api, page, done } = await open({ students: 1 }, '#/panels');
    try {
      await until('empty panels view', () => page.locator('[data-testid=panels-empty]').isVisible());
      const post = (event: Record<string, unknown>) => fetch(`${api.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
      await post({ type: 'metric', name: 'accuracy', value: 0.8125, unit: '' });
      await post({ type: 'series', name: 'loss', t: 1, value: 0.9 });
      await post({ type: 'series', name: 'loss', t: 2, value: 0.7 });
      await post({ type: 'series', name: 'loss', t: 3, value: 0.6 });
      await post({ type: 'table', name: 'per class', columns: ['class', 'n'], rows: [['Period 3', 12], ['Period 4', 9]] });
      await post({ type: 'note', text: 'model refit', level: 'warn' });
      await post({ type: 'embedding', name: 'umap', points: 3 });
      const panel = (type: string) => page.locator(`[data-testid=panel][data-type="${type}"]`);
      await until('5 panels', async () => (await page.locator('[data-testid=panel]').count()) === 5);
      expect(await panel('metric').locator('[data-testid=metric-value]').innerText()).toContain('0.813');
      expect(await panel('series').locator('[data-testid=series-latest]').innerText()).toContain('3 points');
      expect(await panel('series').locator('path.series-line').getAttribute('d')).toMatch(/^M[\d.,]+L[\d.,]+L[\d.,]+$/);
      expect(await panel('table').locator('tbody tr').count()).toBe(2);
      expect(await panel('note').innerText()).toContain('model refit');
      expect(await panel('embedding').innerText()).toContain('"points": 3');
      expect(await page.locator('a[href="#/panels"]').innerText()).toContain('(5)');

      // A second metric name is a second panel; the same name updates its panel.
      await post({ type: 'metric', name: 'recall', value: 0.5 });
      await post({ type: 'metric', name: 'accuracy', value: 0.9 });
      await until('6 panels', async () => (await page.locator('[data-testid=panel]').count()) === 6);
      await until('accuracy updated', async () => (await page.locator('[data-testid=panel][data-name=accuracy] [data-testid=metric-value]').innerText()).includes('0.9'));

      // Warm from the snapshot after a reload.
      await page.reload();
      await until('panels back after reload', async () => (await page.locator('[data-testid=panel]').count()) === 6);
    } finally {
      await done();
    }
  }, SLOW);
});

describe('drill-down, roster, header', () => {
  it('the drill-down shows runs, program, prompt and alert history, and refetches when the card changes', async () => {
    const { api, page, done } = await open({ students: 3 });
    try {
      const id = [...api.cards.keys()][0]!;
      api.openAlert(id, 'wheelspin');
      await until('card', () => card(page, id).count());
      await card(page, id).locator('.card-name').click();
      expect(page.url()).toContain(`#/student/${id}`);
      const drawer = page.locator('[data-testid=student-detail]');
      await until('timeline', () => drawer.locator('[data-testid=runs-timeline]').isVisible());
      const runs = api.cohort.students.get(id)!.runs.length;
      expect(await drawer.locator('[data-testid=runs-timeline] rect.bar, [data-testid=runs-timeline] rect.bar-missing').count()).toBe(runs);
      expect(await drawer.locator('[data-testid=pseudocode]').innerText()).toContain('when started');
      expect(await drawer.locator('[data-testid=prompt]').innerText()).toContain('Ask one question');
      expect(await drawer.locator('.history-item').count()).toBe(1);
      await drawer.locator('[data-testid=copy-prompt]').click();
      await until('copy reacts', async () => /Copied|Copy failed/.test(await drawer.locator('[data-testid=copy-prompt]').innerText()));

      // The student runs again: the card's version moves and the drill-down refetches.
      const s = api.cohort.students.get(id)!;
      s.runs.push({ ...s.runs.at(-1)!, runIndex: s.runs.length, ts: Date.now(), score: 0.3 });
      api.change([{ ...s.card, runCount: s.runs.length }]);
      await until('a new bar', async () => (await drawer.locator('[data-testid=runs-timeline] rect.bar, [data-testid=runs-timeline] rect.bar-missing').count()) === runs + 1);

      await page.keyboard.press('Escape');
      await until('closed', async () => !(await drawer.isVisible()));
      expect(new URL(page.url()).hash).toBe('#/');
    } finally {
      await done();
    }
  }, SLOW);

  it('the roster tracks (showing the backfill) and untracks', async () => {
    const { api, page, done } = await open({ students: 2, untracked: 3, backfillMs: 2500 }, '#/roster');
    try {
      const row = (id: string) => page.locator(`[data-testid=roster-row][data-student="${id}"]`);
      await until('roster rows', async () => (await page.locator('[data-testid=roster-row]').count()) === 5);
      await page.getByLabel('Search the roster').fill('s-0004');
      await until('search narrows', async () => (await page.locator('[data-testid=roster-row]').count()) === 1);
      await row('s-0004').getByRole('button', { name: /^Track/ }).click();
      await until('backfilling…', async () => (await row('s-0004').innerText()).includes('backfilling…'));
      await until('tracked', async () => (await row('s-0004').getAttribute('data-status')) === 'tracked', 20_000);
      expect(api.requests).toContainEqual({ method: 'POST', path: '/api/track', body: { studentIds: ['s-0004'] } });

      await row('s-0004').getByRole('button', { name: /^Untrack/ }).click();
      await until('untracked', async () => (await row('s-0004').getAttribute('data-status')) === 'untracked');
      await page.click('a[href="#/"]');
      await until('two cards', async () => (await cards(page).count()) === 2);
    } finally {
      await done();
    }
  }, SLOW);

  it('the header shows counts per state, daemon health, stream status, the model and freshness', async () => {
    const { api, page, done } = await open({ students: 8 });
    try {
      await until('8 cards', async () => (await cards(page).count()) === 8);
      const counts = { iterator: 0, explorer: 0, stuck: 0, none: 0 };
      for (const c of api.cards.values()) counts[c.state == null ? 'none' : (['iterator', 'explorer', 'stuck'] as const)[c.state]]++;
      for (const [name, n] of Object.entries(counts)) expect(await page.locator(`[data-count=${name}]`).innerText()).toBe(`${n} ${name === 'none' ? 'no state' : name}`);
      const health = page.locator('[data-testid=daemon-health]');
      expect(await health.innerText()).toContain('daemon healthy');
      expect(await page.locator('[data-testid=freshness]').innerText()).toMatch(/updated (just now|\d+ s ago)/);
      // The model that decoded the states (meta.model_hash: the fake API's is an unnamed 'fake').
      expect(await page.locator('[data-testid=model]').innerText()).toBe('model fake');
      api.setHealth({ daemon: 'unhealthy', lastError: 'source answered 503' });
      await until('unhealthy', async () => (await health.innerText()).includes('daemon unhealthy'));
      expect(await health.getAttribute('title')).toContain('503');
      api.setHealth({ heartbeatStale: true, heartbeatAt: Date.now() - 120_000 });
      await until('stale', async () => (await health.innerText()).includes('heartbeat stale'));
    } finally {
      await done();
    }
  }, SLOW);

  it('every button has a name, dialogs are keyboard-reachable, and the page fits a tablet', async () => {
    const { api, page, done } = await open({ students: 12, initialAlerts: true }, '#/', { width: 768, height: 1024 });
    try {
      api.openAlert([...api.cards.keys()][0]!);
      await until('cards', async () => (await cards(page).count()) === 12);
      const unnamed = await page.locator('button, a, input, select').evaluateAll((els) =>
        els.filter((e) => !(e.getAttribute('aria-label') || (e as HTMLElement).innerText?.trim() || (e as HTMLInputElement).placeholder)).map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(unnamed).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
      // Tab from the top reaches a card link and an ack button.
      const reached = new Set<string>();
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        reached.add(await page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.getAttribute('aria-label')?.split(' ')[0] ?? ''}`));
      }
      expect([...reached].some((r) => r.startsWith('BUTTON:Acknowledge'))).toBe(true);
      expect([...reached].some((r) => r.startsWith('A:'))).toBe(true);
    } finally {
      await done();
    }
  }, SLOW);
});
