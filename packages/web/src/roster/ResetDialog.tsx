import { Show, createSignal, type Component } from 'solid-js';
import { api } from '../api/client.ts';
import { notify } from '../app/notice.ts';
import { useDashboard } from '../stream/dashboard.ts';
import { Dialog } from '../ui/Dialog.tsx';

const WORD = 'RESET';

/** The reset, behind a dialog that asks for the word RESET to be typed. */
export const ResetDialog: Component<{ open: boolean; onClose: () => void }> = (props) => {
  const dash = useDashboard();
  const [typed, setTyped] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const close = () => {
    setTyped('');
    setError(null);
    props.onClose();
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (typed() !== WORD) return;
    setBusy(true);
    setError(null);
    try {
      await api.reset();
      dash.clearLocal();
      notify('Reset done: mirroring starts again from scratch.');
      close();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={close} labelledBy="reset-title" class="confirm" testid="reset-dialog">
      <form onSubmit={submit} class="confirm-body">
        <h2 id="reset-title">Reset all data?</h2>
        <p>
          This deletes every mirrored event, card, run and alert (acknowledgements and notes included), the list of tracked students and the published panels. It cannot be undone. Type{' '}
          <strong>{WORD}</strong> to confirm.
        </p>
        <input class="input" type="text" autocomplete="off" aria-label={`Type ${WORD} to confirm`} value={typed()} onInput={(e) => setTyped(e.currentTarget.value)} autofocus />
        <Show when={error()}>
          <p class="notice-error" role="alert">
            Reset failed: {error()}
          </p>
        </Show>
        <div class="confirm-actions">
          <button type="button" class="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" class="btn btn-danger" disabled={typed() !== WORD || busy()}>
            Reset everything
          </button>
        </div>
      </form>
    </Dialog>
  );
};
