/** One line for transient messages (a failed ack, a reset done), read by a live region. */
import { createRoot, createSignal } from 'solid-js';

export interface Notice {
  text: string;
  kind: 'info' | 'error';
  id: number;
}

const store = createRoot(() => {
  const [notice, setNotice] = createSignal<Notice | null>(null);
  return { notice, setNotice };
});

export const notice = store.notice;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

export function notify(text: string, kind: Notice['kind'] = 'info', ms = 6000): void {
  store.setNotice({ text, kind, id: ++seq });
  clearTimeout(timer);
  timer = setTimeout(() => store.setNotice(null), ms);
}

export function dismissNotice(): void {
  store.setNotice(null);
}
