/**
 * One clock for the whole page: a signal holding `Date.now()`, ticking once a second, that every
 * age on screen reads ("idle 4 m", "stuck for 6 m"). One timer, not one per card.
 *
 * Times in the data are stamped by the daemon and the API; `serverNow()` is the clock shifted by
 * the skew the health events reveal, so ages stay right when the laptop's clock is off.
 */
import { createRoot, createSignal, type Accessor } from 'solid-js';

const TICK_MS = 1000;
/** Skews below this are network latency, not a wrong clock: ignored to keep ages steady. */
const SKEW_DEADBAND_MS = 2000;

const clock = createRoot(() => {
  const [now, setNow] = createSignal(Date.now());
  const [skew, setSkew] = createSignal(0);
  if (typeof window !== 'undefined') setInterval(() => setNow(Date.now()), TICK_MS);
  return { now, skew, setSkew };
});

/** The browser's time, updated every second. */
export const now: Accessor<number> = clock.now;

/** The API's time, estimated: `now()` plus the measured skew. */
export const serverNow: Accessor<number> = () => clock.now() + clock.skew();

/** Records the API clock seen at `clientAt` (from a health event's `now`). */
export function observeServerClock(serverAt: number, clientAt: number): void {
  const skew = serverAt - clientAt;
  clock.setSkew(Math.abs(skew) < SKEW_DEADBAND_MS ? 0 : skew);
}
