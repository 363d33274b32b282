import { Show, createSignal, type Component } from 'solid-js';
import { serverNow } from '../app/clock.ts';
import { kindLabel } from '../alerts/kinds.ts';
import { useAck } from '../alerts/useAck.ts';
import type { TriggerRow } from '../types.ts';
import { formatDuration } from './format.ts';

/** The oldest open alert on a card, with a one-click ack (notes are added from the feed). */
export const CardAlert: Component<{ alert: TriggerRow; name: string; more: number }> = (props) => {
  const ack = useAck();
  const [busy, setBusy] = createSignal(false);
  const onAck = async () => {
    setBusy(true);
    try {
      await ack(props.alert);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card-alert" data-testid="alert" data-alert={props.alert.id} data-status={props.alert.status}>
      <span class="alert-icon" aria-hidden="true">!</span>
      <span class="card-alert-text">
        {kindLabel(props.alert.kind)}
        <Show when={props.alert.reopenedFrom != null}> (again)</Show> · {formatDuration(serverNow() - props.alert.startedAt)}
        <Show when={props.more > 0}>
          <span class="more"> +{props.more}</span>
        </Show>
      </span>
      <button type="button" class="btn btn-small" disabled={busy()} onClick={onAck} aria-label={`Acknowledge ${kindLabel(props.alert.kind)} alert for ${props.name}`}>
        Ack
      </button>
    </div>
  );
};
