/**
 * Short human durations for cards and feeds: "45 s", "4 m", "1 h 5 m", and the activity line
 * ("active now", "idle 4 m") with its amber threshold.
 */

/** A student idle this long (no event) is shown in amber and ranks above the rest. */
export const IDLE_AMBER_MS = 3 * 60_000;
/** Below this a student counts as active rather than idle. */
export const ACTIVE_MS = 30_000;

/**
 * A duration in whole units, coarse on purpose (readable from a few steps away).
 * @example formatDuration(250_000) // "4 m"
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} m` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "updated 3 s ago"-style age; "just now" under a second, "never" without a time. */
export function formatAgo(at: number | null | undefined, now: number): string {
  if (at == null) return 'never';
  const ms = now - at;
  if (ms < 1000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

export interface Activity {
  label: string;
  idle: boolean;
}

/**
 * The last-activity line of a card, from the time of the student's last event.
 * @example activity(now - 250_000, now) // { label: "idle 4 m", idle: true }
 */
export function activity(lastEventAt: number | null | undefined, now: number): Activity {
  if (lastEventAt == null) return { label: 'no activity yet', idle: false };
  const ms = now - lastEventAt;
  if (ms < ACTIVE_MS) return { label: 'active now', idle: false };
  return { label: `idle ${formatDuration(ms)}`, idle: ms >= IDLE_AMBER_MS };
}

/** True when the student has been silent at least `IDLE_AMBER_MS`. */
export function isIdle(lastEventAt: number | null | undefined, now: number): boolean {
  return lastEventAt != null && now - lastEventAt >= IDLE_AMBER_MS;
}

/** A clock time for logs and tooltips, e.g. "09:04:12". */
export function formatClock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
