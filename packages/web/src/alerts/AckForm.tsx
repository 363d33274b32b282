import { createSignal, onMount, type Component } from 'solid-js';
import type { TriggerRow } from '../types.ts';
import { kindLabel } from './kinds.ts';
import { useAck } from './useAck.ts';

/** Acknowledge with an optional note; Escape cancels. */
export const AckForm: Component<{ alert: TriggerRow; name: string; onDone: () => void }> = (props) => {
  const ack = useAck();
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;
  onMount(() => input.focus());
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await ack(props.alert, note());
    setBusy(false);
    if (ok) props.onDone();
  };
  // Escape cancels the form only, not the dialog (the drill-down) around it.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    props.onDone();
  };
  return (
    <form class="ack-form" onSubmit={submit} onKeyDown={onKeyDown}>
      <input
        ref={input}
        class="input"
        type="text"
        maxLength={2000}
        placeholder="Note (optional)"
        aria-label={`Note for the ${kindLabel(props.alert.kind)} alert of ${props.name}`}
        value={note()}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      <button type="submit" class="btn btn-primary btn-small" disabled={busy()}>
        Acknowledge
      </button>
      <button type="button" class="btn btn-small" onClick={() => props.onDone()}>
        Cancel
      </button>
    </form>
  );
};
