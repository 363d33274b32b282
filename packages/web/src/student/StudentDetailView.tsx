import { For, Show, createMemo, createResource, type Component } from 'solid-js';
import { AlertItem } from '../alerts/AlertItem.tsx';
import { api } from '../api/client.ts';
import { serverNow } from '../app/clock.ts';
import { activity, formatDuration } from '../cards/format.ts';
import { StateBadge } from '../cards/StateBadge.tsx';
import { useDashboard } from '../stream/dashboard.ts';
import type { TriggerRow } from '../types.ts';
import { AlertHistory } from './AlertHistory.tsx';
import { CopyButton } from './CopyButton.tsx';
import { RunsTimeline } from './RunsTimeline.tsx';

/**
 * One student in depth, fetched from `GET /api/students/:id` and fetched again whenever the
 * student's card version moves (the stream says something changed).
 */
export const StudentDetailView: Component<{ id: string; onClose: () => void }> = (props) => {
  const dash = useDashboard();
  const liveCard = () => dash.state.students[props.id];
  const [detail, { refetch }] = createResource(() => `${props.id}@${liveCard()?.version ?? -1}`, () => api.student(props.id));
  const data = () => (detail.error ? undefined : detail.latest);
  const card = () => liveCard() ?? data()?.card;
  // The fetched history, with the stream's newer versions of the same alerts laid over it.
  const triggers = createMemo<TriggerRow[]>(() => {
    const byId = new Map<number, TriggerRow>();
    for (const t of data()?.triggers ?? []) byId.set(t.id, t);
    for (const t of dash.triggers()) if (t.studentId === props.id && (byId.get(t.id)?.version ?? -1) <= t.version) byId.set(t.id, t);
    return [...byId.values()];
  });
  const open = () => triggers().filter((t) => t.status === 'open');
  return (
    <div class="detail" data-testid="student-detail" data-student={props.id}>
      <div class="detail-head">
        <h2 id="student-title">{card()?.displayName ?? props.id}</h2>
        <StateBadge state={card()?.state ?? null} />
        <button type="button" class="btn btn-icon close" onClick={() => props.onClose()} aria-label="Close the student panel">
          ×
        </button>
      </div>
      <Show when={card()}>
        {(c) => (
          <p class="detail-summary muted">
            {[c().classroom, c().project, c().platform].filter(Boolean).join(' · ')}
            {' · '}
            {c().runCount} runs{c().stateSince != null ? ` · in state for ${formatDuration(serverNow() - c().stateSince!)}` : ''} ·{' '}
            {activity(c().lastEventAt, serverNow()).label} · session {c().sessionOpen ? 'open' : 'closed'}
          </p>
        )}
      </Show>
      <Show when={detail.error}>
        <p class="notice-error" role="alert">
          Could not load this student: {String(detail.error?.message ?? detail.error)}{' '}
          <button type="button" class="btn btn-small" onClick={() => refetch()}>
            Retry
          </button>
        </p>
      </Show>
      <Show when={data()} fallback={<Show when={!detail.error}><p class="muted">Loading…</p></Show>}>
        {(d) => (
          <>
            <Show when={open().length > 0}>
              <section aria-label="Open alerts">
                <h3>Open alerts</h3>
                <ul class="feed-list">
                  <For each={open()}>{(t) => <AlertItem alert={t} name={card()?.displayName ?? props.id} />}</For>
                </ul>
              </section>
            </Show>
            <section aria-labelledby="runs-h">
              <h3 id="runs-h">Runs</h3>
              <RunsTimeline runs={d().runs} episodes={d().episodes} />
            </section>
            <section aria-labelledby="code-h">
              <h3 id="code-h">Current program</h3>
              <Show when={d().pseudocode} fallback={<p class="empty small">No program yet.</p>}>
                {(code) => <pre class="code" data-testid="pseudocode" tabindex="0">{code()}</pre>}
              </Show>
            </section>
            <section aria-labelledby="prompt-h">
              <div class="section-head">
                <h3 id="prompt-h">Playground prompt</h3>
                <Show when={d().prompt}>{(p) => <CopyButton text={p()} label="Copy the playground prompt" />}</Show>
              </div>
              <Show when={d().prompt} fallback={<p class="empty small">No prompt yet.</p>}>
                {(p) => <pre class="code prompt" data-testid="prompt" tabindex="0">{p()}</pre>}
              </Show>
            </section>
            <section aria-labelledby="history-h">
              <h3 id="history-h">Alert history</h3>
              <AlertHistory triggers={triggers()} />
            </section>
          </>
        )}
      </Show>
    </div>
  );
};
