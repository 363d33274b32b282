/**
 * A child process under supervision: its output prefixed with its name, restarted with
 * exponential backoff (1 s doubling to 30 s) when it dies, the backoff forgotten once it has
 * stayed up a minute; stopped with a signal of the caller's choice.
 */
import type { Subprocess } from 'bun';

export type Child = { name: string; restarts: () => number; pid: () => number | undefined; stop: () => Promise<void> };

/** A child that stays up this long is healthy again: its next crash restarts it after 1 s. */
export const HEALTHY_AFTER_MS = 60_000;
export const MAX_BACKOFF_MS = 30_000;

export function restartDelay(restarts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** restarts);
}

async function pumpLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  }
  if (buf) onLine(buf);
}

export function supervise(o: {
  name: string;
  cmd: string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
  onLine?: (line: string) => void;
  /** The signal that stops it cleanly (the daemon finishes its tick on SIGINT). */
  stopWith?: NodeJS.Signals;
  log?: (line: string) => void;
}): Child {
  const log = o.log ?? ((line: string) => console.log(line));
  let proc: Subprocess<'ignore', 'pipe', 'pipe'> | null = null;
  let restarts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const launch = () => {
    const started = Date.now();
    const p = Bun.spawn(o.cmd, { cwd: o.cwd, env: o.env ?? process.env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    proc = p;
    for (const stream of [p.stdout, p.stderr]) {
      void pumpLines(stream, (line) => {
        log(`[${o.name}] ${line}`);
        o.onLine?.(line);
      });
    }
    void p.exited.then((code) => {
      if (o.signal.aborted) return;
      if (Date.now() - started >= HEALTHY_AFTER_MS) restarts = 0;
      const delay = restartDelay(restarts++);
      log(`[start] ${o.name} exited (${code}); restarting in ${delay / 1000} s`);
      timer = setTimeout(() => !o.signal.aborted && launch(), delay);
    });
  };
  launch();
  return {
    name: o.name,
    restarts: () => restarts,
    pid: () => proc?.pid,
    stop: async () => {
      clearTimeout(timer);
      if (!proc) return;
      proc.kill(o.stopWith ?? 'SIGTERM');
      await proc.exited;
    },
  };
}
