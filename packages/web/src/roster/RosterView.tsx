import { For, Show, createEffect, createResource, createSignal, onCleanup, type Component } from 'solid-js';
import { api } from '../api/client.ts';
import { notify } from '../app/notice.ts';
import { useDashboard } from '../stream/dashboard.ts';
import type { RosterEntry } from '../types.ts';
import { ResetDialog } from './ResetDialog.tsx';
import { RosterRow } from './RosterRow.tsx';
import { trackStatus } from './status.ts';

const LIMIT = 100;
const DEBOUNCE_MS = 250;
const BACKFILL_POLL_MS = 2000;

/** Search the mirrored roster, track and untrack students, and the reset. */
export const RosterView: Component = () => {
  const dash = useDashboard();
  const [input, setInput] = createSignal('');
  const [query, setQuery] = createSignal('');
  const [resetOpen, setResetOpen] = createSignal(false);
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const onInput = (value: string) => {
    setInput(value);
    clearTimeout(debounce);
    debounce = setTimeout(() => setQuery(value.trim()), DEBOUNCE_MS);
  };
  const [entries, { refetch, mutate }] = createResource(query, (q) => api.roster(q, LIMIT));
  const list = () => (entries.error ? [] : (entries.latest ?? []));
  const status = (e: RosterEntry) => trackStatus(e, dash.state.students[e.studentId] != null);

  // While any backfill runs, ask the roster again now and then (the card itself comes on the stream).
  createEffect(() => {
    if (!list().some((e) => status(e) === 'backfilling')) return;
    const timer = setInterval(() => refetch(), BACKFILL_POLL_MS);
    onCleanup(() => clearInterval(timer));
  });
  onCleanup(() => clearTimeout(debounce));

  const change = async (ids: string[], track: boolean) => {
    try {
      await (track ? api.track(ids) : api.untrack(ids));
      const set = new Set(ids);
      mutate((old) => old?.map((e) => (set.has(e.studentId) ? { ...e, tracked: track, backfilled: track ? e.backfilled : false } : e)));
      refetch();
    } catch (err) {
      notify(`Could not ${track ? 'track' : 'untrack'}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };
  const untracked = () => list().filter((e) => !e.tracked);

  return (
    <section class="roster-view" aria-labelledby="roster-heading" data-testid="roster">
      <div class="toolbar">
        <h2 id="roster-heading">Roster</h2>
        <input type="search" class="input search" placeholder="Search name, id or class" aria-label="Search the roster" value={input()} onInput={(e) => onInput(e.currentTarget.value)} />
        <button type="button" class="btn" disabled={untracked().length === 0} onClick={() => change(untracked().map((e) => e.studentId), true)}>
          Track all {untracked().length} shown
        </button>
      </div>
      <Show when={entries.error}>
        <p class="notice-error" role="alert">
          Could not load the roster: {String(entries.error?.message ?? entries.error)}
        </p>
      </Show>
      <Show when={list().length > 0} fallback={<p class="empty">{entries.loading ? 'Loading…' : 'No student matches.'}</p>}>
        <table class="table roster-table">
          <thead>
            <tr>
              <th scope="col">Student</th>
              <th scope="col">Class</th>
              <th scope="col">Id</th>
              <th scope="col">Status</th>
              <th scope="col"><span class="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            <For each={list()}>{(e) => <RosterRow entry={e} status={status(e)} onChange={(track) => change([e.studentId], track)} />}</For>
          </tbody>
        </table>
        <Show when={list().length >= LIMIT}>
          <p class="muted small">Showing the first {LIMIT}; narrow the search to see others.</p>
        </Show>
      </Show>
      <section class="danger" aria-labelledby="danger-h">
        <h3 id="danger-h">Reset</h3>
        <p class="muted small">Wipes every mirrored event, card and alert on this laptop, which students are tracked, and the published panels; mirroring then starts from scratch.</p>
        <button type="button" class="btn btn-danger" onClick={() => setResetOpen(true)}>
          Reset all data…
        </button>
      </section>
      <ResetDialog open={resetOpen()} onClose={() => setResetOpen(false)} />
    </section>
  );
};
