import { Show, type Component } from 'solid-js';
import { navigate, route } from '../app/route.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { StudentDetailView } from './StudentDetailView.tsx';

/** The drill-down, a side panel over the cards, open while the hash is `#/student/<id>`. */
export const StudentDrawer: Component = () => (
  <Dialog open={route().student != null} onClose={() => navigate('#/')} labelledBy="student-title" class="drawer" testid="student-drawer">
    <Show when={route().student} keyed>
      {(id) => <StudentDetailView id={id} onClose={() => navigate('#/')} />}
    </Show>
  </Dialog>
);
