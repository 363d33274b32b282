import { For, type Component } from 'solid-js';
import { STATE_NAMES } from '../types.ts';
import { ribbonCells } from './sparkline.ts';

const W = 120;
const H = 8;

/** The states of the session's runs, oldest left, as coloured cells. */
export const Ribbon: Component<{ ribbon: readonly { state: 0 | 1 | 2 }[]; height?: number }> = (props) => {
  const cells = () => ribbonCells(props.ribbon, W);
  const label = () => {
    if (!props.ribbon.length) return 'No runs this session';
    const counts = [0, 0, 0];
    for (const r of props.ribbon) counts[r.state]!++;
    return `Session states: ${STATE_NAMES.map((n, i) => `${counts[i]} ${n}`).join(', ')}`;
  };
  return (
    <svg class="ribbon" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label()} style={{ height: `${props.height ?? H}px` }}>
      <rect class="ribbon-empty" x="0" y="0" width={W} height={H} rx="2" />
      <For each={cells()}>{(c) => <rect class={`fill-${STATE_NAMES[c.state]}`} x={c.x} y="0" width={c.width} height={H} />}</For>
    </svg>
  );
};
