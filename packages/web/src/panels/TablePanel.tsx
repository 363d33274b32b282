import { For, Show, type Component } from 'solid-js';
import type { PanelState } from './panels.ts';

const MAX_ROWS = 200;

/** A table: the latest one published under this name. */
export const TablePanel: Component<{ panel: PanelState }> = (props) => {
  const table = () => props.panel.entries.at(-1)?.event;
  const columns = () => (Array.isArray(table()?.columns) ? (table()!.columns as unknown[]).map(String) : []);
  const rows = () => (Array.isArray(table()?.rows) ? (table()!.rows as unknown[][]) : []);
  const numeric = (i: number) => rows().length > 0 && rows().every((r) => r[i] == null || typeof r[i] === 'number');
  return (
    <div class="table-wrap" tabindex="0" aria-label={`Table ${props.panel.name}`}>
      <table class="table">
        <thead>
          <tr>
            <For each={columns()}>{(c, i) => <th scope="col" classList={{ num: numeric(i()) }}>{c}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={rows().slice(0, MAX_ROWS)}>
            {(row) => (
              <tr>
                <For each={row}>{(cell) => <td classList={{ num: typeof cell === 'number' }}>{cell == null ? '' : String(cell)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={rows().length > MAX_ROWS}>
        <p class="muted small">Showing {MAX_ROWS} of {rows().length} rows.</p>
      </Show>
    </div>
  );
};
