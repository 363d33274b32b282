/** `bun run start` on its embedded default: a live classroom and the daemon, stopped cleanly by Ctrl-C. */
import { expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './spawnSim.ts';

test('start runs the simulator and the daemon, which fills the database; SIGINT stops both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-start-'));
  const proc = Bun.spawn(['bun', 'scripts/start.ts', '--data', dir, '--students', '5'], { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, LMDASH_SOURCE_URL: '' } });
  try {
    const reader = proc.stdout.getReader();
    let text = '';
    // The live classroom starts now: the first sessions appear within the first minute or so.
    const deadline = Date.now() + 90_000;
    while (!/\[daemon\] tick: .*students recomputed/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('[sim] listening on http://127.0.0.1:');
    expect(text).toMatch(/\[daemon\] tick: /);
    proc.kill('SIGINT');
    expect(await proc.exited).toBe(0);
    const file = new Database(join(dir, 'lmdash.sqlite'), { readonly: true });
    expect((file.query('SELECT COUNT(*) AS n FROM vex_log').get() as { n: number }).n).toBeGreaterThan(0);
    file.close();
  } finally {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
