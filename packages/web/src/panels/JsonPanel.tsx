import { For, type Component } from 'solid-js';
import { formatClock } from '../cards/format.ts';
import type { PanelState } from './panels.ts';

/** A type the dashboard does not know: its recent events as JSON, newest first. */
export const JsonPanel: Component<{ panel: PanelState }> = (props) => (
  <ol class="json-list">
    <For each={[...props.panel.entries].reverse()}>
      {(e) => (
        <li>
          <span class="mono small muted">{formatClock(e.receivedAt)}</span>
          <pre class="code small" tabindex="0">{JSON.stringify(e.event, null, 2)}</pre>
        </li>
      )}
    </For>
  </ol>
);
