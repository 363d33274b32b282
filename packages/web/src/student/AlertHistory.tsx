import { For, Show, type Component } from 'solid-js';
import { kindLabel } from '../alerts/kinds.ts';
import { formatClock } from '../cards/format.ts';
import type { TriggerRow } from '../types.ts';

/** Every alert of the student, newest first. */
export const AlertHistory: Component<{ triggers: TriggerRow[] }> = (props) => {
  const sorted = () => [...props.triggers].sort((a, b) => b.openedAt - a.openedAt || b.id - a.id);
  return (
    <Show when={props.triggers.length > 0} fallback={<p class="empty small">No alerts for this student.</p>}>
      <ul class="history">
        <For each={sorted()}>
          {(t) => (
            <li class="history-item" data-status={t.status}>
              <span class="kind">{kindLabel(t.kind)}</span>
              <Show when={t.reopenedFrom != null}>
                <span class="tag">re-alert</span>
              </Show>
              <span class={`status-word status-${t.status}`}>{t.status}</span>
              <span class="muted small">
                began {formatClock(t.startedAt)}
                <Show when={t.ackedAt}>{(at) => <> · acked {formatClock(at())}</>}</Show>
                <Show when={t.resolvedAt}>{(at) => <> · resolved {formatClock(at())}</>}</Show>
              </span>
              <Show when={t.ackNote}>{(note) => <q class="note">{note()}</q>}</Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
};
