import { For, Show, createMemo, type Component } from 'solid-js';
import { useDashboard } from '../stream/dashboard.ts';
import { AlertItem } from './AlertItem.tsx';

const ACKED_SHOWN = 30;

/** Open alerts (oldest first) and recently acknowledged ones (newest first). */
export const AlertFeed: Component = () => {
  const dash = useDashboard();
  const open = createMemo(() => dash.triggers().filter((t) => t.status === 'open').sort((a, b) => a.startedAt - b.startedAt || a.id - b.id));
  const acked = createMemo(() =>
    dash
      .triggers()
      .filter((t) => t.status === 'acked')
      .sort((a, b) => (b.ackedAt ?? 0) - (a.ackedAt ?? 0) || b.id - a.id)
      .slice(0, ACKED_SHOWN),
  );
  const name = (id: string) => dash.state.students[id]?.displayName ?? id;
  return (
    <aside class="feed" aria-labelledby="feed-heading" data-testid="alert-feed">
      <h2 id="feed-heading" class="feed-heading">
        Alerts <span class="pill pill-alert" classList={{ 'pill-zero': open().length === 0 }}>{open().length} open</span>
      </h2>
      <section aria-label="Open alerts" data-testid="open-alerts">
        <Show when={open().length > 0} fallback={<p class="empty small">No open alerts.</p>}>
          <ul class="feed-list">
            <For each={open()}>{(t) => <AlertItem alert={t} name={name(t.studentId)} />}</For>
          </ul>
        </Show>
      </section>
      <section aria-labelledby="acked-heading" data-testid="acked-alerts">
        <h3 id="acked-heading" class="feed-subheading">Acknowledged</h3>
        <Show when={acked().length > 0} fallback={<p class="empty small">None yet.</p>}>
          <ul class="feed-list">
            <For each={acked()}>{(t) => <AlertItem alert={t} name={name(t.studentId)} />}</For>
          </ul>
        </Show>
      </section>
    </aside>
  );
};
