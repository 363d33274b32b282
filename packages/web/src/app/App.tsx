import { Match, Show, Switch, createEffect, type Component } from 'solid-js';
import { AlertFeed } from '../alerts/AlertFeed.tsx';
import { alertTitle } from '../alerts/kinds.ts';
import { CardGrid } from '../cards/CardGrid.tsx';
import { Header } from '../header/Header.tsx';
import { PanelsView } from '../panels/PanelsView.tsx';
import { RosterView } from '../roster/RosterView.tsx';
import { DashboardContext, createDashboard } from '../stream/dashboard.ts';
import { StudentDrawer } from '../student/StudentDrawer.tsx';
import { dismissNotice, notice } from './notice.ts';
import { route } from './route.ts';

/** The page: header, the current view beside the alert feed, and the drill-down over them. */
export const App: Component = () => {
  const dash = createDashboard();
  createEffect(() => {
    document.title = alertTitle(dash.openCount());
  });
  return (
    <DashboardContext.Provider value={dash}>
      <Header />
      <div class="layout">
        <main class="main" id="main">
          <Switch fallback={<CardGrid />}>
            <Match when={route().view === 'panels'}>
              <PanelsView />
            </Match>
            <Match when={route().view === 'roster'}>
              <RosterView />
            </Match>
          </Switch>
        </main>
        <AlertFeed />
      </div>
      <StudentDrawer />
      <div class="notice-line" aria-live="polite">
        <Show when={notice()}>
          {(n) => (
            <p class={`notice notice-${n().kind}`} role={n().kind === 'error' ? 'alert' : 'status'}>
              {n().text}
              <button type="button" class="btn btn-icon" onClick={dismissNotice} aria-label="Dismiss the message">
                ×
              </button>
            </p>
          )}
        </Show>
      </div>
    </DashboardContext.Provider>
  );
};
