/**
 * Writes the README's screenshots to docs/screenshots/ (1280x800 PNGs) from the real system: a
 * generated class of 20 that began 40 minutes ago, served at real time by the simulator
 * (`--as-is`), mirrored by the daemon, shown by the API. Panels are what a notebook would
 * publish about this class, computed from the API's own answers. Not a test:
 * `bun test/screenshots.ts` from packages/web (needs Debian's chromium).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM, HAS_CHROMIUM, ensureBuilt, launch, until } from './browser.ts';

const ROOT = resolve(import.meta.dir, '..', '..', '..');
const OUT = resolve(ROOT, 'docs', 'screenshots');
if (!HAS_CHROMIUM) {
  console.error(`${CHROMIUM} is missing: cannot take screenshots`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
await ensureBuilt();

/** Starts `bun scripts/lmdash.ts <args>` and resolves with the address it prints. */
async function serve(args: string[]): Promise<{ url: string; proc: ReturnType<typeof Bun.spawn> }> {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', ...args], { cwd: ROOT, stdout: 'pipe', stderr: 'inherit' });
  let text = '';
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  while (!/listening on (http:\/\/\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${args[0]} exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void (async () => {
    for await (const _ of proc.stdout as ReadableStream<Uint8Array>);
  })();
  return { url: /listening on (http:\/\/\S+)/.exec(text)![1]!, proc };
}

const dir = mkdtempSync(join(tmpdir(), 'lmdash-shots-'));
const log = join(dir, 'class.jsonl');
const db = join(dir, 'lmdash.sqlite');
const start = new Date(Date.now() - 40 * 60_000).toISOString();
const gen = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'gen', '--students', '20', '--minutes', '70', '--seed', '4', '--start', start, '--out', log], { cwd: ROOT });
if (gen.exitCode !== 0) throw new Error(gen.stderr.toString());
const sim = await serve(['sim', '--log', log, '--as-is', '--port', '0', '--quiet']);
const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sim.url, '--track-all'], { cwd: ROOT, stdout: 'ignore', stderr: 'inherit' });
console.log(`simulator at ${sim.url}`);
const api = await serve(['api', '--db', db, '--port', '0']);
console.log(`API at ${api.url}`);

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
  const cards = await until('20 cards with runs', async () => {
    const c = await get<Card[]>('/api/students');
    return c.length >= 20 && c.every((x) => x.runCount > 0) ? c : null;
  });
  const open = await until('an open alert', async () => (await get<Trigger[]>('/api/triggers?status=open')).filter((t) => t.kind !== 'inactive').at(0) ?? null);
  await publishPanels(cards);
  // One alert a researcher has seen to, with a note.
  const others = (await get<Trigger[]>('/api/triggers?status=open')).filter((t) => t.id !== open.id);
  if (others[0]) await post(`/api/triggers/${others[0].id}/ack`, { note: 'talked it through at the robot' });

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = async (name: string) => {
    await page.mouse.move(1, 1); // no hover highlight left from the last click
    await Bun.sleep(400);
    await page.screenshot({ path: resolve(OUT, `${name}.png`) });
    console.log(`wrote docs/screenshots/${name}.png`);
  };
  await page.goto(`${api.url}/#/`);
  await until('cards', async () => (await page.locator('[data-testid=student-card]').count()) >= 20);
  await shot('cards');

  await page.click(`[data-student="${open.studentId}"] .card-name`);
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
  daemon.kill('SIGINT');
  api.proc.kill();
  sim.proc.kill();
  await daemon.exited;
  rmSync(dir, { recursive: true, force: true });
}
