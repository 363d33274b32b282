import { createSignal, type Component } from 'solid-js';

/** Copies text to the clipboard (falling back to a hidden textarea where the API is denied). */
export const CopyButton: Component<{ text: string; label: string }> = (props) => {
  const [done, setDone] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(props.text);
      ok = true;
    } catch {
      ok = legacyCopy(props.text);
    }
    setDone(ok ? 'copied' : 'failed');
    setTimeout(() => setDone('idle'), 2000);
  };
  return (
    <button type="button" class="btn btn-small" onClick={copy} aria-label={props.label} data-testid="copy-prompt">
      {done() === 'copied' ? 'Copied' : done() === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
};

function legacyCopy(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
