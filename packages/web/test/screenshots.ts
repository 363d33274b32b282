/**
 * Writes the README's screenshots to docs/screenshots/ (1280x800 PNGs) from exactly what a new
 * user sees about a minute after `bun run start`: `lmdash start` on a fresh data folder (its
 * embedded default: a simulated class of 30 that began 35 minutes earlier, profile mixed, seed
 * 1), the dashboard opened at the "dashboard:" line, the pictures taken a minute later. Only the
 * panels view needs more: a notebook's results, published here from the API's own answers
 * (a new user's panels view is empty until something publishes). Not a test:
 * `bun test/screenshots.ts` from packages/web (needs Debian's chromium).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM, HAS_CHROMIUM, ensureBuilt, launch, until } from './browser.ts';

const ROOT = resolve(import.meta.dir, '..', '..', '..');
const OUT = resolve(ROOT, 'docs', 'screenshots');
/** How long after the dashboard line the pictures are taken. */
const AFTER_MS = 60_000;
if (!HAS_CHROMIUM) {
  console.error(`${CHROMIUM} is missing: cannot take screenshots`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
await ensureBuilt();

function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

const dir = mkdtempSync(join(tmpdir(), 'lmdash-shots-'));
// As a new user runs it: no production source, the default class, a fresh data folder.
const { LMDASH_SOURCE_URL: _u, LMDASH_SOURCE_TOKEN: _k, LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, LMDASH_DATA_DIR: _d, ...env } = process.env;
const startProc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'start', '--port', String(freePort()), '--data', dir], { cwd: ROOT, env, stdout: 'pipe', stderr: 'inherit' });
let text = '';
void (async () => {
  for await (const chunk of startProc.stdout as ReadableStream<Uint8Array>) text += new TextDecoder().decode(chunk);
})();
const apiUrl = (await until('the dashboard line', () => /^dashboard: (http:\/\/\S+?)\/?$/m.exec(text)?.[1], 240_000, 100))!;
const lineAt = Date.now();
console.log(text.split('\n').filter((l) => l.startsWith('[start]') || l.startsWith('dashboard:')).join('\n'));
const api = { url: apiUrl };

type Card = { studentId: string; state: number | null; runCount: number };
type Trigger = { id: number; studentId: string; kind: string; status: string };
type Run = { ts: number; state: number; score: number | null; bucket: number | null };
const get = async <T>(path: string): Promise<T> => (await (await fetch(`${api.url}${path}`)).json()) as T;
const post = (path: string, body: unknown) => fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** What a notebook might publish about this class, from the API's own data. */
async function publishPanels(cards: Card[]): Promise<void> {
  const runs = (await Promise.all(cards.map((c) => get<{ runs: Run[] }>(`/api/students/${c.studentId}`)))).flatMap((d) => d.runs);
  const first = Math.min(...runs.map((r) => r.ts));
  const perMinute = new Map<number, number>();
  for (const r of runs) perMinute.set(Math.floor((r.ts - first) / 60_000), (perMinute.get(Math.floor((r.ts - first) / 60_000)) ?? 0) + 1);
  for (const [t, value] of [...perMinute].sort((a, b) => a[0] - b[0])) await post('/publish', { type: 'series', name: 'runs per minute (class)', t, value });
  const byState = [0, 1, 2].map((s) => runs.filter((r) => r.state === s).length);
  await post('/publish', { type: 'table', name: 'runs per decoded state', columns: ['state', 'runs', 'share'], rows: ['iterator', 'explorer', 'stuck'].map((n, k) => [n, byState[k]!, `${Math.round((100 * byState[k]!) / runs.length)} %`]) });
  const scored = runs.filter((r) => r.score !== null);
  await post('/publish', { type: 'metric', name: 'mean change score', value: Math.round((1000 * scored.reduce((a, r) => a + r.score!, 0)) / scored.length) / 1000 });
  await post('/publish', { type: 'metric', name: 'runs so far', value: runs.length, unit: 'runs' });
  await post('/publish', { type: 'note', text: `decoded ${runs.length} runs of ${cards.length} students with the default model`, level: 'info' });
  // A type the dashboard does not know: shown as JSON.
  const buckets: Record<string, number> = {};
  for (const r of runs) buckets[r.bucket === null ? 'none' : String(r.bucket)] = (buckets[r.bucket === null ? 'none' : String(r.bucket)] ?? 0) + 1;
  await post('/publish', { type: 'histogram', name: 'runs per change bucket', buckets });
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${api.url}/#/`);
  await until('cards', async () => (await page.locator('[data-testid=student-card]').count()) >= 30, 60_000);
  const wait = lineAt + AFTER_MS - Date.now();
  console.log(`waiting ${Math.round(wait / 1000)} s: the pictures are taken a minute after the dashboard line`);
  if (wait > 0) await Bun.sleep(wait);
  const cards = await get<Card[]>('/api/students');
  // The drill-down of a student the feed points at: a wheel-spin if there is one.
  const openAlerts = await get<Trigger[]>('/api/triggers?status=open');
  const open = openAlerts.find((t) => t.kind === 'wheelspin') ?? openAlerts[0];
  if (!open) throw new Error('no open alert a minute in');

  const shot = async (name: string) => {
    await page.mouse.move(1, 1); // no hover highlight left from the last click
    await Bun.sleep(400);
    await page.screenshot({ path: resolve(OUT, `${name}.png`) });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await shot('cards');

  await page.click(`[data-student="${open.studentId}"] .card-name`);
  await until('drill-down', () => page.locator('[data-testid=runs-timeline]').isVisible());
  await shot('student');
  await page.keyboard.press('Escape');

  await publishPanels(cards);
  await page.click('a[href="#/panels"]');
  await until('panels', async () => (await page.locator('[data-testid=panel]').count()) >= 5);
  await shot('panels');

  await page.click('a[href="#/roster"]');
  await until('roster', async () => (await page.locator('[data-testid=roster-row]').count()) >= 30);
  await shot('roster');

  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto(`${api.url}/#/`);
  await until('cards', async () => (await page.locator('[data-testid=student-card]').count()) >= 30);
  await shot('tablet');
} finally {
  await browser.close();
  startProc.kill('SIGINT');
  await startProc.exited;
  rmSync(dir, { recursive: true, force: true });
}
