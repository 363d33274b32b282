/**
 * The page's live data: the store fed by the tab's one stream, the stream's status, and the
 * derived lists every view shares (cards, alerts, open alerts per student), behind a context.
 *
 * @example
 * const dash = createDashboard('/api/stream'); // inside a component or root
 * dash.cards(); dash.openCount(); dash.status();
 */
import { createContext, createMemo, createSignal, onCleanup, useContext } from 'solid-js';
import { observeServerClock } from '../app/clock.ts';
import { checkSession } from '../auth/session.ts';
import { openAlertsByStudent } from '../cards/need.ts';
import type { StudentCard, TriggerRow } from '../types.ts';
import { openStream, type StreamStatus } from './connection.ts';
import { applyFrame, applyReset, createDashStore, upsertTrigger, type DashState } from './store.ts';

export function createDashboard(url = '/api/stream') {
  const [state, set] = createDashStore();
  const [status, setStatus] = createSignal<StreamStatus>('connecting');

  const stream = openStream({
    url,
    onStatus: setStatus,
    // A 401 (the session ended) looks like any refused stream: ask whether to show the login form.
    onGiveUp: () => void checkSession(),
    resumeId: () => (state.epoch == null ? null : `${state.epoch}:${state.version}`),
    onFrame(name, data) {
      const at = Date.now();
      if (name === 'health') observeServerClock((data as { now: number }).now, at);
      if (name === 'snapshot') observeServerClock((data as { health: { now: number } }).health.now, at);
      if (applyFrame(state, set, name, data, at) === 'resync') stream.resync();
    },
  });
  onCleanup(() => stream.close());

  const cards = createMemo<StudentCard[]>(() => Object.values(state.students));
  const triggers = createMemo<TriggerRow[]>(() => Object.values(state.triggers));
  const openByStudent = createMemo(() => openAlertsByStudent(triggers()));
  const openCount = createMemo(() => triggers().filter((t) => t.status === 'open').length);

  return {
    state: state as Readonly<DashState>,
    status,
    cards,
    triggers,
    openByStudent,
    openCount,
    /** Shows an ack at once (the stream confirms it with the row's next version). */
    markAcked(row: TriggerRow): void {
      upsertTrigger(state, set, row);
    },
    /** Empties the view after a reset we asked for (the stream's `reset` frame follows). */
    clearLocal(): void {
      applyReset(state, set, { epoch: state.epoch ?? 0 }, Date.now());
    },
    /** A student's card, or undefined when not tracked. */
    card(studentId: string): StudentCard | undefined {
      return state.students[studentId];
    },
    /** Open alerts of one student, oldest first. */
    openFor(studentId: string): TriggerRow[] {
      return openByStudent().get(studentId) ?? [];
    },
  };
}

export type Dashboard = ReturnType<typeof createDashboard>;

export const DashboardContext = createContext<Dashboard>();

export function useDashboard(): Dashboard {
  const dash = useContext(DashboardContext);
  if (!dash) throw new Error('useDashboard: no DashboardContext.Provider above this component');
  return dash;
}
