import { Show, createEffect, createSignal, on, type Component } from 'solid-js';
import { api } from '../api/client.ts';
import { useDashboard } from '../stream/dashboard.ts';

/**
 * One quiet line under the header while the API mirrors the embedded simulator (`/api/health`
 * says `simulated: true`, as `lmdash start` sets it without LMDASH_SOURCE_URL): the students
 * are generated, and how to point the system at a real deployment. Asked again whenever the
 * stream (re)connects, so it disappears once the system runs on a real source.
 */
export const SimulatedBanner: Component = () => {
  const dash = useDashboard();
  const [simulated, setSimulated] = createSignal(false);
  createEffect(
    on(dash.status, (status) => {
      if (status !== 'live') return;
      api.health().then(
        (h) => setSimulated(h.simulated === true),
        () => {}, // unreachable: keep what we knew; the header already says the stream is down
      );
    }),
  );
  return (
    <Show when={simulated()}>
      <p class="sim-banner" data-testid="simulated-banner" role="note">
        <strong>Simulated class</strong>: generated students, not real data. To mirror a real deployment, set <code>LMDASH_SOURCE_URL</code> and start again (
        <a href="/docs/config.md" target="_blank" rel="noopener">
          docs/config.md
        </a>
        ).
      </p>
    </Show>
  );
};
