import { Match, Show, Switch, createEffect, type Component } from 'solid-js';
import { AlertFeed } from '../alerts/AlertFeed.tsx';
import { Login } from '../auth/Login.tsx';
import { auth, checkSession } from '../auth/session.ts';
import { alertTitle } from '../alerts/kinds.ts';
import { CardGrid } from '../cards/CardGrid.tsx';
import { Header } from '../header/Header.tsx';
import { PanelsView } from '../panels/PanelsView.tsx';
import { RosterView } from '../roster/RosterView.tsx';
import { DashboardContext, createDashboard } from '../stream/dashboard.ts';
import { StudentDrawer } from '../student/StudentDrawer.tsx';
import { dismissNotice, notice } from './notice.ts';
import { route } from './route.ts';

/**
 * The page: the dashboard, or the login form when the API (bound beyond loopback) wants a
 * session. Signing in mounts the dashboard afresh: a new stream, starting with a snapshot.
 */
export const App: Component = () => {
  void checkSession();
  return (
    <Switch>
      <Match when={auth() === 'in'}>
        <Dashboard />
      </Match>
      <Match when={auth() === 'login'}>
        <Login />
      </Match>
    </Switch>
  );
};

/** The dashboard: header, the current view beside the alert feed, and the drill-down over them. */
const Dashboard: Component = () => {
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
