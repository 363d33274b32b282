/**
 * The daemon as its own process, mid-class: a generated class of 1,000 students that began 30
 * minutes ago is served by the simulator at real time (`--as-is`), and `lmdash daemon
 * --track-all` starts cold: its first tick catches up on the 30 minutes, then it follows the
 * class at the loop's own cadence. Tick times come from the daemon's log lines; RSS from /proc.
 */
import { join, resolve } from 'node:path';
import { watchPeak } from './processRss.ts';
import { quantile } from './stats.ts';

const root = resolve(import.meta.dir, '../../..');

/** Reads a process's stdout until `pattern` matches, then hands each later line to `onLine`. */
export async function until(proc: { stdout: ReadableStream<Uint8Array> }, pattern: RegExp, onLine: (line: string) => void): Promise<RegExpExecArray> {
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`exited before ${pattern}: ${text.slice(-500)}`);
    text += decoder.decode(value, { stream: true });
    const m = pattern.exec(text);
    if (m) {
      // Keep reading in the background, line by line.
      (async () => {
        let rest = text.slice(m.index + m[0].length);
        for (;;) {
          const lines = rest.split('\n');
          rest = lines.pop()!;
          lines.forEach(onLine);
          const next = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (next.done) return;
          rest += decoder.decode(next.value, { stream: true });
        }
      })();
      return m;
    }
  }
}

/** `profile`: the generator's program sizes (`classic`: the small programs of the earlier tables). */
export async function benchDaemonProcess(dir: string, o: { students: number; followSeconds: number; profile: string }): Promise<string[]> {
  const log = join(dir, `class-${o.students}-${o.profile}.jsonl`);
  const start = new Date(Date.now() - 30 * 60_000).toISOString();
  const gen = Bun.spawnSync(['bun', 'scripts/lmdash.ts', 'gen', '--profile', o.profile, '--students', String(o.students), '--minutes', '75', '--seed', '9', '--start', start, '--out', log], { cwd: root });
  if (gen.exitCode !== 0) throw new Error(`gen failed: ${gen.stderr.toString()}`);
  const sim = Bun.spawn(['bun', 'scripts/lmdash.ts', 'sim', '--log', log, '--as-is', '--port', '0', '--quiet'], { cwd: root, stdout: 'pipe', stderr: 'inherit' });
  const url = (await until(sim, /listening on (http:\/\/\S+)/, () => {}))[1];
  const ticks: { ms: number; events: number }[] = [];
  const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', join(dir, `daemon-${o.students}-${o.profile}.sqlite`), '--source', url, '--track-all'], { cwd: root, stdout: 'pipe', stderr: 'inherit' });
  const watch = watchPeak(daemon.pid);
  const tickLine = /tick: (\d+) new events(?:, (\d+) backfilled)?.*\((\d+) ms\)/;
  const first = await until(daemon, tickLine, (line) => {
    const m = tickLine.exec(line);
    if (m) ticks.push({ events: Number(m[1]), ms: Number(m[3]) });
  });
  const catchUp = { events: Number(first[1]) + Number(first[2] ?? 0), ms: Number(first[3]) };
  await Bun.sleep(o.followSeconds * 1000);
  daemon.kill('SIGINT');
  await daemon.exited;
  const peak = watch.stop();
  sim.kill();
  const times = ticks.map((t) => t.ms);
  const events = ticks.reduce((a, t) => a + t.events, 0);
  console.log(`daemon process, ${o.students} students (${o.profile}): catch-up ${catchUp.ms} ms, ${ticks.length} ticks p50 ${quantile(times, 0.5)} p95 ${quantile(times, 0.95)} ms, peak RSS ${peak.toFixed(0)} MB`);
  return [
    `| ${o.students} | ${o.profile} | ${catchUp.events.toLocaleString('en')} events in ${catchUp.ms.toLocaleString('en')} ms | ${ticks.length} | ${(events / Math.max(1, ticks.length)).toFixed(1)} | ${quantile(times, 0.5)} | ${quantile(times, 0.95)} | ${Math.max(0, ...times)} | ${peak.toFixed(0)} |`,
  ];
}
