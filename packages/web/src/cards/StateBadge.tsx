import type { Component } from 'solid-js';
import { stateName, type StrategyState } from '../types.ts';

const WORDS = { iterator: 'Iterator', explorer: 'Explorer', stuck: 'Stuck', none: 'No state' } as const;

/** The strategy state as colour and word (never colour alone). */
export const StateBadge: Component<{ state: StrategyState | null }> = (props) => {
  const name = () => stateName(props.state);
  return (
    <span class={`badge state-${name()}`}>
      <span class="badge-dot" aria-hidden="true" />
      {WORDS[name()]}
    </span>
  );
};
