import { Match, Switch, createSignal, type Component } from 'solid-js';
import { studentHref } from '../app/route.ts';
import type { RosterEntry } from '../types.ts';
import type { TrackStatus } from './status.ts';

/** One roster student: who, where, whether tracked, and the button to change it. */
export const RosterRow: Component<{ entry: RosterEntry; status: TrackStatus; onChange: (track: boolean) => Promise<void> }> = (props) => {
  const [busy, setBusy] = createSignal(false);
  const toggle = async () => {
    setBusy(true);
    await props.onChange(!props.entry.tracked);
    setBusy(false);
  };
  return (
    <tr data-testid="roster-row" data-student={props.entry.studentId} data-status={props.status}>
      <td>
        <Switch fallback={props.entry.displayName}>
          <Match when={props.status === 'tracked'}>
            <a href={studentHref(props.entry.studentId)}>{props.entry.displayName}</a>
          </Match>
        </Switch>
      </td>
      <td>{props.entry.classroom}</td>
      <td class="mono small">{props.entry.studentId}</td>
      <td>
        <span class={`track-status track-${props.status}`}>
          {props.status === 'backfilling' ? 'backfilling…' : props.status === 'tracked' ? 'tracked' : 'not tracked'}
        </span>
      </td>
      <td>
        <button
          type="button"
          class="btn btn-small"
          classList={{ 'btn-primary': !props.entry.tracked }}
          disabled={busy()}
          onClick={toggle}
          aria-label={`${props.entry.tracked ? 'Untrack' : 'Track'} ${props.entry.displayName}`}
        >
          {props.entry.tracked ? 'Untrack' : 'Track'}
        </button>
      </td>
    </tr>
  );
};
