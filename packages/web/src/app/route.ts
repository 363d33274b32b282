/**
 * The location hash as the page's route: `#/` the cards, `#/panels`, `#/roster`, and
 * `#/student/<id>` the drill-down over the cards. One signal, updated on `hashchange`.
 */
import { createRoot, createSignal } from 'solid-js';

export type View = 'cards' | 'panels' | 'roster';
export interface Route {
  view: View;
  student: string | null;
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head, ...rest] = path.split('/');
  if (head === 'student' && rest.length > 0) return { view: 'cards', student: decodeURIComponent(rest.join('/')) };
  if (head === 'panels' || head === 'roster') return { view: head, student: null };
  return { view: 'cards', student: null };
}

export function studentHref(id: string): string {
  return `#/student/${encodeURIComponent(id)}`;
}

export const route = createRoot(() => {
  const [value, set] = createSignal<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));
  if (typeof window !== 'undefined') window.addEventListener('hashchange', () => set(parseHash(location.hash)));
  return value;
});

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
}
