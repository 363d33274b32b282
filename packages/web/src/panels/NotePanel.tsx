import { For, type Component } from 'solid-js';
import { formatClock } from '../cards/format.ts';
import type { PanelState } from './panels.ts';

/** Notes as a log, newest first, with their level in words. */
export const NotePanel: Component<{ panel: PanelState }> = (props) => {
  const entries = () => [...props.panel.entries].reverse();
  return (
    <ol class="log" aria-label="Notes, newest first">
      <For each={entries()}>
        {(e) => {
          const level = typeof e.event.level === 'string' ? e.event.level : 'info';
          return (
            <li class={`log-item level-${level}`}>
              <span class="mono small muted">{formatClock(e.receivedAt)}</span>
              <span class="level">{level}</span>
              <span class="log-text">{String(e.event.text ?? '')}</span>
            </li>
          );
        }}
      </For>
    </ol>
  );
};
