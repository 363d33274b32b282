import { For, Show, createMemo, onCleanup, onMount, type Component } from 'solid-js';
import { now } from '../app/clock.ts';
import { route, type View } from '../app/route.ts';
import { logout, session } from '../auth/session.ts';
import { formatAgo } from '../cards/format.ts';
import { useDashboard } from '../stream/dashboard.ts';
import { SimulatedBanner } from './SimulatedBanner.tsx';
import { daemonIndicator, lastUpdate, modelLabel, stateCounts, streamIndicator, type Indicator } from './health.ts';

const Status: Component<{ indicator: Indicator; testid: string }> = (props) => (
  <span class={`status tone-${props.indicator.tone}`} title={props.indicator.detail} data-testid={props.testid} data-tone={props.indicator.tone}>
    <span class="status-dot" aria-hidden="true" />
    {props.indicator.label}
    <span class="visually-hidden">: {props.indicator.detail}</span>
  </span>
);

const NAV: { view: View; href: string; label: string }[] = [
  { view: 'cards', href: '#/', label: 'Students' },
  { view: 'panels', href: '#/panels', label: 'Panels' },
  { view: 'roster', href: '#/roster', label: 'Roster' },
];

/** Title and navigation, the cohort's counts per state, and the health of the system. */
export const Header: Component = () => {
  const dash = useDashboard();
  const counts = createMemo(() => stateCounts(dash.cards()));
  const updated = () => lastUpdate(dash.state.dataAt, dash.state.health, dash.state.healthAt);
  const model = () => modelLabel(dash.state.health);
  let el!: HTMLElement;
  // The header wraps on narrower screens; the sticky feed below it needs its height.
  onMount(() => {
    const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--header-h', `${el.offsetHeight}px`));
    observer.observe(el);
    onCleanup(() => observer.disconnect());
  });
  return (
    <header class="top" ref={el}>
      <div class="brand">LM Dashboard</div>
      <nav class="nav" aria-label="Views">
        <For each={NAV}>
          {(item) => (
            <a href={item.href} class="nav-link" aria-current={route().view === item.view ? 'page' : undefined}>
              {item.label}
              {item.view === 'panels' && Object.keys(dash.state.panels).length > 0 ? ` (${Object.keys(dash.state.panels).length})` : ''}
            </a>
          )}
        </For>
      </nav>
      <ul class="counts" aria-label="Students per state" data-testid="state-counts">
        <li class="badge state-iterator" data-count="iterator">{counts().iterator} iterator</li>
        <li class="badge state-explorer" data-count="explorer">{counts().explorer} explorer</li>
        <li class="badge state-stuck" data-count="stuck">{counts().stuck} stuck</li>
        <li class="badge state-none" data-count="none">{counts().none} no state</li>
      </ul>
      <div class="health" aria-label="System status" role="group">
        <Status indicator={daemonIndicator(dash.state.health)} testid="daemon-health" />
        <Status indicator={streamIndicator(dash.status())} testid="stream-status" />
        <Show when={model()}>
          {(m) => (
            <span class="muted model" data-testid="model" title={m().detail}>
              {m().label}
            </span>
          )}
        </Show>
        <span class="muted fresh" data-testid="freshness" title="When the data on screen was last known to be current">
          {updated() == null ? "no data yet" : `updated ${formatAgo(updated(), now())}`}
        </span>
        <Show when={session()?.user}>
          {(user) => (
            <button type="button" class="btn btn-small" onClick={() => void logout()} title={`Signed in as ${user()}`} data-testid="logout">
              Sign out
            </button>
          )}
        </Show>
      </div>
      <SimulatedBanner />
    </header>
  );
};
