/** Starts `bun run lmdash <command>` as its own process, as a researcher would, and waits until it serves. */
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dir, '..');

const LISTENING = /listening on (http:\/\/\S+)/;

/** `lmdash <args>` (a command that prints `listening on URL`), once it serves; stderr goes to the error if it exits first. */
export async function spawnListening(args: string[], env: Record<string, string | undefined> = process.env): Promise<{ proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>; url: string }> {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', ...args], { cwd: REPO_ROOT, env, stdout: 'pipe', stderr: 'pipe' });
  // stderr is read all along (a full pipe would stall the process); its tail explains an early exit.
  let errors = '';
  const drained = (async () => {
    for await (const chunk of proc.stderr) errors = (errors + new TextDecoder().decode(chunk)).slice(-4096);
  })();
  const reader = proc.stdout.getReader();
  let text = '';
  while (!LISTENING.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`lmdash ${args[0]} exited: ${text}${(await drained, errors)}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { proc, url: LISTENING.exec(text)![1]! };
}

export async function spawnSim(args: string[]): Promise<{ url: string; stop: () => void }> {
  const { proc, url } = await spawnListening(['sim', '--port', '0', ...args]);
  return { url, stop: () => proc.kill() };
}
