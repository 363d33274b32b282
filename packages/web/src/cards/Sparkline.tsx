import { For, Show, type Component } from 'solid-js';
import { sparklinePath } from './sparkline.ts';

const W = 120;
const H = 28;
const PAD = 3;

/** Recent change scores (0 bottom, 1 top), oldest left; unparsed runs are grey ticks. */
export const Sparkline: Component<{ values: readonly (number | null)[] }> = (props) => {
  const line = () => sparklinePath(props.values, W, H, 1, PAD);
  const missing = () => line().xs.filter((_, i) => !line().points[i]);
  const last = () => {
    const pts = line().points;
    for (let i = pts.length - 1; i >= 0; i--) if (pts[i]) return pts[i];
    return null;
  };
  const label = () => {
    if (!props.values.length) return 'No runs yet';
    const shown = props.values.slice(-5).map((v) => (v == null ? 'unparsed' : v.toFixed(2)));
    return `Recent change scores, latest last: ${shown.join(', ')}`;
  };
  return (
    <svg class="sparkline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label()}>
      <line class="spark-base" x1="0" x2={W} y1={H - PAD} y2={H - PAD} vector-effect="non-scaling-stroke" />
      <path class="spark-line" d={line().d} vector-effect="non-scaling-stroke" />
      <For each={missing()}>
        {(x) => <line class="spark-missing" x1={x} x2={x} y1={H - 8} y2={H} vector-effect="non-scaling-stroke" />}
      </For>
      {/* A zero-length round-capped stroke: stays a round dot when the SVG is stretched. */}
      <Show when={last()}>{(p) => <path class="spark-dot" d={`M${p().x},${p().y}h0`} vector-effect="non-scaling-stroke" />}</Show>
    </svg>
  );
};
