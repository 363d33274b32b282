import { Show, createSignal, type Component } from 'solid-js';
import { serverNow } from '../app/clock.ts';
import { studentHref } from '../app/route.ts';
import { formatAgo, formatDuration } from '../cards/format.ts';
import type { TriggerRow } from '../types.ts';
import { AckForm } from './AckForm.tsx';
import { alertSummary, kindLabel } from './kinds.ts';

/** One alert in the feed: kind, student, age from when the condition began, and its ack. */
export const AlertItem: Component<{ alert: TriggerRow; name: string }> = (props) => {
  const [acking, setAcking] = createSignal(false);
  const isOpen = () => props.alert.status === 'open';
  return (
    <li class={`feed-item kind-${props.alert.kind}`} classList={{ acked: !isOpen() }} data-testid="alert" data-alert={props.alert.id} data-status={props.alert.status}>
      <div class="feed-line">
        <span class="kind">{kindLabel(props.alert.kind)}</span>
        <Show when={props.alert.reopenedFrom != null}>
          <span class="tag" title={`Re-opens alert ${props.alert.reopenedFrom}, acknowledged while the condition held`}>re-alert</span>
        </Show>
        <span class="age" title={`began ${new Date(props.alert.startedAt).toLocaleTimeString()}`}>
          {formatDuration(serverNow() - props.alert.startedAt)}
        </span>
      </div>
      <div class="feed-line">
        <a href={studentHref(props.alert.studentId)} class="feed-student">
          {props.name}
        </a>
        <span class="muted small">{alertSummary(props.alert)}</span>
      </div>
      <Show
        when={isOpen()}
        fallback={
          <div class="feed-line muted small">
            acked {formatAgo(props.alert.ackedAt, serverNow())}
            <Show when={props.alert.ackNote}>{(note) => <q class="note">{note()}</q>}</Show>
          </div>
        }
      >
        <Show
          when={acking()}
          fallback={
            <button type="button" class="btn btn-small" onClick={() => setAcking(true)} aria-label={`Acknowledge ${kindLabel(props.alert.kind)} alert for ${props.name}`}>
              Ack…
            </button>
          }
        >
          <AckForm alert={props.alert} name={props.name} onDone={() => setAcking(false)} />
        </Show>
      </Show>
    </li>
  );
};
