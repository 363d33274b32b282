/**
 * Shared helpers of the end-to-end tests and the screenshot script: Debian's chromium through
 * playwright-core, a fresh `dist/` build when the sources are newer, and polling.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.LMDASH_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_DIR = resolve(import.meta.dir, '..');
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Warns loudly once and says whether the browser tests can run. */
export function chromiumOrWarn(what: string): boolean {
  if (!HAS_CHROMIUM) console.warn(`\n!! ${CHROMIUM} is missing: skipping ${what} (install Debian's chromium, or set LMDASH_CHROMIUM)\n`);
  return HAS_CHROMIUM;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

function newest(dir: string): number {
  let best = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    best = Math.max(best, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return best;
}

/** Builds `dist/` with `bun run build` unless it is newer than every source file. */
export async function ensureBuilt(): Promise<void> {
  const index = join(WEB_DIR, 'dist', 'index.html');
  const sources = Math.max(newest(join(WEB_DIR, 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(join(WEB_DIR, f)).mtimeMs));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const proc = Bun.spawn(['bun', 'run', 'build'], { cwd: WEB_DIR, stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${out}\n${err}`);
}

/** Polls `check` until it returns a truthy value or `ms` pass; throws with `what` on timeout. */
export async function until<T>(what: string, check: () => T | Promise<T>, ms = 20_000, every = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last instanceof Error ? last.message : String(last)})`);
    await Bun.sleep(every);
  }
}
