import { For, type Component } from 'solid-js';
import { barLayout } from '../cards/sparkline.ts';
import { historyLength, type PanelState } from './panels.ts';

const W = 240;
const H = 56;

/** A metric: its latest value, and its recent values as bars. */
export const MetricPanel: Component<{ panel: PanelState }> = (props) => {
  const values = () => props.panel.entries.map((e) => (typeof e.event.value === 'number' ? e.event.value : null));
  const latest = () => props.panel.entries.at(-1)?.event;
  const bars = () => barLayout(values(), W, H, undefined, 2, historyLength('metric'));
  return (
    <div class="metric">
      <p class="metric-value" data-testid="metric-value">
        {formatNumber(latest()?.value)}
        <span class="muted small"> {typeof latest()?.unit === 'string' ? String(latest()!.unit) : ''}</span>
      </p>
      <svg class="metric-bars" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`Last ${values().length} values of ${props.panel.name}`}>
        <For each={bars()}>
          {(b, i) => (
            <rect class="metric-bar" classList={{ latest: i() === bars().length - 1 }} x={b.x} y={b.y} width={b.width} height={b.height}>
              <title>{formatNumber(b.value)}</title>
            </rect>
          )}
        </For>
      </svg>
    </div>
  );
};

export function formatNumber(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  if (Number.isInteger(v)) return v.toLocaleString();
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
