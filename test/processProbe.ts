/**
 * Watching real processes from the outside, as an operator would: resident memory from /proc,
 * and an HTTP endpoint's answer time. Used by `bun run test:robustness` and its tests.
 */
import { readFileSync } from 'node:fs';

/** Resident and peak resident memory of a process, in MB (Linux /proc); null once it is gone. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** One timed request: its status (0 when it failed or timed out) and how long it took. */
export async function timedFetch(url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - t0, body };
  } catch {
    return { status: 0, ms: performance.now() - t0, body: '' };
  }
}

/** Samples `probe` every `everyMs` until `stop()`; keeps the worst figures. */
export class Sampler {
  worstHealthMs = 0;
  failedHealth = 0;
  peakRssMb = new Map<string, number>();
  /** The longest time between two different daemon heartbeats, ms. */
  longestHeartbeatGapMs = 0;
  private lastBeat: { at: number; seenAt: number } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private inFlight = false;

  constructor(private readonly healthUrl: string, private readonly pids: () => Record<string, number | undefined>, private readonly everyMs = 250) {}

  start(): this {
    this.timer = setInterval(() => void this.sample(), this.everyMs);
    return this;
  }

  private async sample(): Promise<void> {
    for (const [name, pid] of Object.entries(this.pids())) {
      const m = pid === undefined ? null : memoryOf(pid);
      if (m) this.peakRssMb.set(name, Math.max(this.peakRssMb.get(name) ?? 0, m.rssMb));
    }
    if (this.inFlight) return; // a slow answer is already being timed
    this.inFlight = true;
    const r = await timedFetch(this.healthUrl);
    this.inFlight = false;
    this.worstHealthMs = Math.max(this.worstHealthMs, r.ms);
    if (r.status !== 200) return void this.failedHealth++;
    const beat = (JSON.parse(r.body) as { heartbeatAt: number | null }).heartbeatAt;
    const now = Date.now();
    if (beat === null) return;
    if (this.lastBeat && beat !== this.lastBeat.at) this.longestHeartbeatGapMs = Math.max(this.longestHeartbeatGapMs, beat - this.lastBeat.at);
    if (!this.lastBeat || beat !== this.lastBeat.at) this.lastBeat = { at: beat, seenAt: now };
  }

  /** Forgets the heartbeat seen so far (the daemon is stopped on purpose). */
  resetHeartbeat(): void {
    this.lastBeat = null;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
