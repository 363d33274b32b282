/** Starts `bun run lmdash sim` as its own process, as a researcher would, and waits until it serves. */
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dir, '..');

export async function spawnSim(args: string[]): Promise<{ url: string; stop: () => void }> {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'sim', '--port', '0', ...args], { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'pipe' });
  const reader = proc.stdout.getReader();
  let text = '';
  while (!/listening on (http:\/\/\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`sim exited: ${text}${await new Response(proc.stderr).text()}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { url: /listening on (http:\/\/\S+)/.exec(text)![1], stop: () => proc.kill() };
}
