/**
 * What the header says about the system: the daemon's health, the stream's status, and how
 * fresh the data is. Pure, so the wording is tested without a page.
 */
import type { StreamStatus } from '../stream/connection.ts';
import type { Health } from '../types.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'quiet';

export interface Indicator {
  label: string;
  tone: Tone;
  detail: string;
}

export function daemonIndicator(health: Health | null): Indicator {
  if (!health) return { label: 'daemon: waiting', tone: 'quiet', detail: 'No health report yet' };
  if (health.heartbeatStale) {
    return { label: 'heartbeat stale', tone: 'bad', detail: 'No heartbeat from the daemon for several ticks: it is probably not running' };
  }
  if (health.daemon === 'unhealthy') {
    return { label: 'daemon unhealthy', tone: 'bad', detail: health.lastError ? `Last error: ${health.lastError}` : 'The daemon reports a problem' };
  }
  if (health.daemon === 'healthy') {
    const lag = health.sourceLagSeconds;
    // sourceLagSeconds: time since the drain last reached the end of the source.
    return { label: 'daemon healthy', tone: 'ok', detail: lag == null ? 'Mirroring the source' : `Mirroring the source; caught up ${Math.round(lag)} s ago` };
  }
  return { label: 'daemon: unknown', tone: 'quiet', detail: 'The daemon has not reported its health yet' };
}

export function streamIndicator(status: StreamStatus): Indicator {
  switch (status) {
    case 'live':
      return { label: 'live', tone: 'ok', detail: 'Receiving updates as they happen' };
    case 'connecting':
      return { label: 'connecting…', tone: 'quiet', detail: 'Opening the live stream' };
    case 'reconnecting':
      return { label: 'reconnecting…', tone: 'warn', detail: 'The connection dropped; retrying. What you see may be out of date.' };
    case 'offline':
      return { label: 'offline', tone: 'bad', detail: 'The API cannot be reached; still retrying. What you see is out of date.' };
    default: {
      const never: never = status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

/**
 * Which strategy model decoded the states: `meta.model_hash` is `name@hash` for a named model
 * (the default is `default@…`, a fitted one carries the name `lmdash model fit` gave it), a
 * bare hash for an unnamed one, and may end with the program bounds when they are not the
 * defaults. Null before the daemon has recorded one.
 */
export function modelLabel(health: Health | null): { label: string; detail: string } | null {
  const identity = health?.modelHash;
  if (!identity) return null;
  const [model, ...rest] = identity.split(' ');
  const at = model.lastIndexOf('@');
  const name = at > 0 ? model.slice(0, at) : null;
  const hash = at > 0 ? model.slice(at + 1) : model;
  const bounds = rest.length > 0 ? `; ${rest.join(' ')}` : '';
  return {
    label: name === null ? `model ${hash}` : name === 'default' ? 'default model' : `model: ${name}`,
    detail: `The strategy model that decoded the states: ${name === null ? '' : `${name}, `}hash ${hash}${bounds} (set with LMDASH_MODEL; see docs/model.md)`,
  };
}

/**
 * When the data on screen was last known current (browser time): the newest of the last frame
 * received and the daemon's heartbeat (the daemon checked the source then and found it all).
 */
export function lastUpdate(dataAt: number | null, health: Health | null, healthAt: number | null): number | null {
  let best = dataAt;
  if (health?.heartbeatAt != null && healthAt != null && !health.heartbeatStale) {
    // heartbeatAt is on the API's clock; shift it by the clock difference seen in this report.
    const heartbeat = health.heartbeatAt - (health.now - healthAt);
    best = best == null ? heartbeat : Math.max(best, heartbeat);
  }
  return best;
}

/** Counts of cards per state (null as 'none'). */
export function stateCounts(cards: Iterable<{ state: 0 | 1 | 2 | null }>): { iterator: number; explorer: number; stuck: number; none: number } {
  const out = { iterator: 0, explorer: 0, stuck: 0, none: 0 };
  for (const c of cards) {
    if (c.state === 0) out.iterator++;
    else if (c.state === 1) out.explorer++;
    else if (c.state === 2) out.stuck++;
    else out.none++;
  }
  return out;
}
