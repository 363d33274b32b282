import { For, Match, Show, Switch, createMemo, type Component } from 'solid-js';
import { now } from '../app/clock.ts';
import { formatAgo } from '../cards/format.ts';
import { useDashboard } from '../stream/dashboard.ts';
import { JsonPanel } from './JsonPanel.tsx';
import { MetricPanel } from './MetricPanel.tsx';
import { NotePanel } from './NotePanel.tsx';
import type { PanelState } from './panels.ts';
import { SeriesPanel } from './SeriesPanel.tsx';
import { TablePanel } from './TablePanel.tsx';

/** One panel per published type and name, in the order they first appeared. */
export const PanelsView: Component = () => {
  const dash = useDashboard();
  const panels = createMemo(() => Object.values(dash.state.panels).sort((a, b) => a.firstSeq - b.firstSeq));
  return (
    <section class="panels-view" aria-labelledby="panels-heading">
      <div class="toolbar">
        <h2 id="panels-heading">Panels</h2>
        <span class="muted small">What notebooks and models on this laptop publish to <code>POST /publish</code>.</span>
      </div>
      <Show when={panels().length > 0} fallback={<p class="empty" data-testid="panels-empty">Nothing published yet.</p>}>
        <div class="panel-grid">
          <For each={panels()}>{(p) => <Panel panel={p} />}</For>
        </div>
      </Show>
    </section>
  );
};

const domId = (key: string) => `panel-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const Panel: Component<{ panel: PanelState }> = (props) => (
  <article class="panel" classList={{ 'panel-wide': props.panel.type === 'table' }} data-testid="panel" data-type={props.panel.type} data-name={props.panel.name ?? ''} aria-labelledby={domId(props.panel.key)}>
    <header class="panel-head">
      <h3 id={domId(props.panel.key)}>{props.panel.name ?? (props.panel.type === 'note' ? 'Notes' : props.panel.type)}</h3>
      <span class="tag">{props.panel.type}</span>
      <span class="muted small">{formatAgo(props.panel.receivedAt, now())}</span>
    </header>
    <Switch fallback={<JsonPanel panel={props.panel} />}>
      <Match when={props.panel.type === 'metric'}>
        <MetricPanel panel={props.panel} />
      </Match>
      <Match when={props.panel.type === 'series'}>
        <SeriesPanel panel={props.panel} />
      </Match>
      <Match when={props.panel.type === 'table'}>
        <TablePanel panel={props.panel} />
      </Match>
      <Match when={props.panel.type === 'note'}>
        <NotePanel panel={props.panel} />
      </Match>
    </Switch>
  </article>
);
