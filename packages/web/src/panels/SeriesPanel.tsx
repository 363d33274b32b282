import { Show, type Component } from 'solid-js';
import { sparklinePath } from '../cards/sparkline.ts';
import { formatNumber } from './MetricPanel.tsx';
import type { PanelState } from './panels.ts';

const W = 300;
const H = 90;
const PAD = 6;

/** A series: its points (t, value) as a line, scaled to the range seen. */
export const SeriesPanel: Component<{ panel: PanelState }> = (props) => {
  const values = () => props.panel.entries.map((e) => (typeof e.event.value === 'number' ? e.event.value : null));
  const seen = () => {
    const finite = values().filter((v): v is number => v != null);
    return finite.length ? { lo: Math.min(...finite), hi: Math.max(...finite) } : null;
  };
  const line = () => {
    const r = seen() ?? { lo: 0, hi: 1 };
    // A flat series sits in the middle rather than on the floor.
    const lo = r.hi > r.lo ? r.lo : r.lo - 0.5;
    const span = r.hi > r.lo ? r.hi - r.lo : 1;
    return sparklinePath(values().map((v) => (v == null ? null : v - lo)), W, H, span, PAD);
  };
  const last = () => line().points.at(-1) ?? null;
  return (
    <div class="series">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${props.panel.name}: ${values().length} points, latest ${formatNumber(values().at(-1))}`}>
        <path class="series-line" d={line().d} vector-effect="non-scaling-stroke" />
        <Show when={last()}>{(p) => <path class="series-dot" d={`M${p().x},${p().y}h0`} vector-effect="non-scaling-stroke" />}</Show>
      </svg>
      <p class="series-scale muted small">
        <span>min {formatNumber(seen()?.lo)}</span>
        <span data-testid="series-latest">
          latest {formatNumber(values().at(-1))} · {values().length} point{values().length === 1 ? '' : 's'}
        </span>
        <span>max {formatNumber(seen()?.hi)}</span>
      </p>
    </div>
  );
};
