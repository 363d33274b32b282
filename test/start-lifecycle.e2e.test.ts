/**
 * `bun run lmdash start` on its embedded default: a live classroom, the daemon and the API as
 * separate processes; the dashboard's address printed once it answers; a crashed child
 * restarted; Ctrl-C stops everything, the daemon after its tick.
 */
import { expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './spawnSim.ts';

function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** Pids of running processes whose command line contains `needle`. */
function pids(needle: string): number[] {
  const r = Bun.spawnSync(['pgrep', '-f', needle]);
  return r.stdout.toString().trim().split('\n').filter(Boolean).map(Number);
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await probe().catch(() => null);
    if (v) return v;
    await Bun.sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('start serves the dashboard over a live classroom, restarts a crashed API, and stops cleanly on SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-start-'));
  const port = freePort();
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'start', '--port', String(port), '--data', dir, '--students', '5'], {
    cwd: REPO_ROOT,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, LMDASH_SOURCE_URL: '' },
  });
  let text = '';
  void (async () => {
    for await (const chunk of proc.stdout) text += new TextDecoder().decode(chunk);
  })();
  const db = join(dir, 'lmdash.sqlite');
  try {
    const url = await until('the dashboard line', async () => /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(text)?.[1]);
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(text).toContain('[sim] listening on http://127.0.0.1:');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');

    // The daemon tracks the simulated class and the API shows its cards.
    const cards = await until('cards from the daemon', async () => {
      const r = (await (await fetch(`${url}api/students`)).json()) as unknown[];
      return r.length > 0 ? r : null;
    });
    expect(cards.length).toBeGreaterThan(0);
    expect(((await (await fetch(`${url}api/health`)).json()) as { daemon: string }).daemon).toBe('healthy');

    // Kill the API: start brings it back on the same port.
    const [api] = pids(`lmdash.ts api --db ${db}`);
    expect(api).toBeGreaterThan(0);
    process.kill(api, 'SIGKILL');
    await until('the restart notice', async () => /\[start\] api exited .*restarting in 1 s/.test(text));
    await until('the API back', async () => (await fetch(`${url}api/health`)).ok);

    proc.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    expect(text).toContain('[start] stopped');
    expect(pids(db)).toEqual([]);
    const file = new Database(db, { readonly: true });
    expect((file.query('SELECT COUNT(*) AS n FROM vex_log').get() as { n: number }).n).toBeGreaterThan(0);
    file.close();
  } finally {
    proc.kill('SIGKILL');
    for (const pid of pids(db)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);

test('start with an unreachable LMDASH_SOURCE_URL says what is wrong and starts nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-start-'));
  try {
    const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'start', '--data', dir, '--port', String(freePort())], {
      cwd: REPO_ROOT,
      env: { ...process.env, LMDASH_SOURCE_URL: `http://127.0.0.1:${freePort()}` },
      timeout: 120_000,
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.toString()).toMatch(/is not usable: unreachable .*\n.*LMDASH_SOURCE_URL/);
    expect(pids(join(dir, 'lmdash.sqlite'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
