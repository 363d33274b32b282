import { For, Show, createMemo, createSignal, type Component } from 'solid-js';
import { serverNow } from '../app/clock.ts';
import { useDashboard } from '../stream/dashboard.ts';
import type { StudentCard as Card } from '../types.ts';
import { CardToolbar } from './CardToolbar.tsx';
import { matchesFilter, orderByNeed, type StateFilter } from './need.ts';
import { StudentCard } from './StudentCard.tsx';

const sameItems = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The cohort's cards, most in need first, with search and a state filter. `<For>` keys rows by
 * the card object, which the store keeps stable, so a delta re-renders only the cards it
 * touched, and a re-order moves existing nodes instead of rebuilding them.
 */
export const CardGrid: Component = () => {
  const dash = useDashboard();
  const [query, setQuery] = createSignal('');
  const [filter, setFilter] = createSignal<StateFilter>('all');
  // The order reads the clock in 10 s steps: time alone re-sorts the cards at most that often.
  const coarseNow = createMemo(() => Math.floor(serverNow() / 10_000) * 10_000);
  const visible = createMemo<Card[]>(
    () => {
      const open = dash.openByStudent();
      const now = coarseNow();
      const shown = dash.cards().filter((c) => matchesFilter(c, query(), filter(), open, now));
      return orderByNeed(shown, open, now);
    },
    [],
    { equals: sameItems },
  );
  return (
    <section class="cards-view" aria-labelledby="cards-heading">
      <CardToolbar query={query()} onQuery={setQuery} filter={filter()} onFilter={setFilter} shown={visible().length} total={dash.cards().length} />
      <Show
        when={visible().length > 0}
        fallback={
          <p class="empty" data-testid="cards-empty">
            <Show when={dash.cards().length > 0} fallback={<>No students tracked yet. Track students from the <a href="#/roster">roster</a>.</>}>
              No card matches this search and filter.
            </Show>
          </p>
        }
      >
        <div class="grid" data-testid="card-grid">
          <For each={visible()}>{(card) => <StudentCard card={card} alerts={dash.openFor(card.studentId)} />}</For>
        </div>
      </Show>
    </section>
  );
};
