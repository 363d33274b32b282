/**
 * Writes the README's screenshots to docs/screenshots/ (1280x800 PNGs) from the fake API with a
 * cohort of 20 students: the cards with alerts, the drill-down, the panels, the roster, and the
 * cards at tablet width. Not a test: `bun test/screenshots.ts` from packages/web.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM, HAS_CHROMIUM, ensureBuilt, launch, until } from './browser.ts';
import { FakeApi } from './fakeApi.ts';

const OUT = resolve(import.meta.dir, '..', '..', '..', 'docs', 'screenshots');

if (!HAS_CHROMIUM) {
  console.error(`${CHROMIUM} is missing: cannot take screenshots`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
await ensureBuilt();

const api = new FakeApi({ students: 20, seed: 11, initialAlerts: true }).start();
// Some activity first, then a few more things worth seeing: a re-alert, an inactive student, an acked alert with a note.
for (let i = 0; i < 8; i++) api.step();
const cards = [...api.cards.values()];
const stuck = cards.filter((c) => c.state === 2).map((c) => c.studentId);
const others = cards.filter((c) => c.state !== 2 && !stuck.includes(c.studentId)).map((c) => c.studentId);
const idle = api.cards.get(others[0]!)!;
api.change([{ ...idle, lastEventAt: Date.now() - 11 * 60_000 }]);
api.openAlert(idle.studentId, 'inactive', { startedAt: Date.now() - 11 * 60_000 });
api.openAlert(others[1]!, 'big_rewrite', { startedAt: Date.now() - 90_000, detail: { score: 0.64, distance: 19 }, runIndex: 9 });
const respun = stuck[0] ?? others[2]!;
for (const t of [...api.triggers.values()]) if (t.studentId === respun) api.change([], [{ ...t, status: 'resolved', resolvedAt: Date.now() }]);
const acked = api.openAlert(respun, 'wheelspin', { startedAt: Date.now() - 16 * 60_000 });
api.change([], [{ ...acked, status: 'resolved', ackedAt: Date.now() - 6 * 60_000, ackNote: 'helped with the turn angle', resolvedAt: Date.now() - 60_000 }]);
api.openAlert(respun, 'wheelspin', { startedAt: Date.now() - 16 * 60_000, reopenedFrom: acked.id });
const done = api.openAlert(others[3]!, 'big_rewrite', { startedAt: Date.now() - 9 * 60_000, detail: { score: 0.71, distance: 22 }, runIndex: 4 });
api.change([], [{ ...done, status: 'acked', ackedAt: Date.now() - 4 * 60_000, ackNote: 'new approach on purpose' }]);

/** What the notebooks publish while the page is open (a series needs the tab open to collect points). */
function publishPanels(): void {
  let t = 0;
  for (const v of [0.91, 0.84, 0.8, 0.74, 0.71, 0.66, 0.64, 0.6, 0.58, 0.55, 0.55, 0.52]) api.publish({ type: 'series', name: 'validation loss', t: ++t, value: v });
  for (const v of [0.61, 0.66, 0.7, 0.69, 0.73, 0.78, 0.81]) api.publish({ type: 'metric', name: 'state accuracy', value: v });
  api.publish({ type: 'table', name: 'stuck by project', columns: ['project', 'students', 'stuck runs'], rows: [['Drive Square', 6, 14], ['Arm Control', 4, 9], ['Sensor Stop', 5, 3], ['Counter', 3, 1]] });
  api.publish({ type: 'note', text: 'HMM refit on 458 runs: log-likelihood -612.4', level: 'info' });
  api.publish({ type: 'note', text: 'two students share one robot: their runs interleave', level: 'warn' });
  api.publish({ type: 'cluster', name: 'k-means', k: 3, sizes: [9, 7, 4] });
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = async (name: string) => {
    await page.mouse.move(1, 1); // no hover highlight left from the last click
    await Bun.sleep(400);
    await page.screenshot({ path: resolve(OUT, `${name}.png`) });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await page.goto(`${api.url}/#/`);
  await until('cards', async () => (await page.locator('[data-testid=student-card]').count()) >= 20);
  publishPanels();
  await shot('cards');

  await page.click(`[data-student="${respun}"] .card-name`);
  await until('drill-down', () => page.locator('[data-testid=runs-timeline]').isVisible());
  await shot('student');
  await page.keyboard.press('Escape');

  await page.click('a[href="#/panels"]');
  await until('panels', async () => (await page.locator('[data-testid=panel]').count()) >= 5);
  await shot('panels');

  await page.click('a[href="#/roster"]');
  await until('roster', async () => (await page.locator('[data-testid=roster-row]').count()) >= 20);
  await shot('roster');

  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto(`${api.url}/#/`);
  await until('cards', async () => (await page.locator('[data-testid=student-card]').count()) >= 20);
  await shot('tablet');
} finally {
  await browser.close();
  await api.stop();
}
