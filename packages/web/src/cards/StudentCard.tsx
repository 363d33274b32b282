import { Show, createMemo, type Component } from 'solid-js';
import { serverNow } from '../app/clock.ts';
import { studentHref } from '../app/route.ts';
import { stateName, type StudentCard as Card, type TriggerRow } from '../types.ts';
import { CardAlert } from './CardAlert.tsx';
import { activity, formatDuration } from './format.ts';
import { Ribbon } from './Ribbon.tsx';
import { Sparkline } from './Sparkline.tsx';
import { StateBadge } from './StateBadge.tsx';
import { unreadableLabel } from './unreadable.ts';

/**
 * One student's live card. Fixed height: every line has its place whether it has content or not,
 * so a card that updates never moves its neighbours.
 */
export const StudentCard: Component<{ card: Card; alerts: TriggerRow[] }> = (props) => {
  const state = () => stateName(props.card.state);
  const inState = createMemo(() =>
    props.card.stateSince == null || props.card.state == null ? '' : `${state()} for ${formatDuration(serverNow() - props.card.stateSince)}`,
  );
  const act = createMemo(() => activity(props.card.lastEventAt, serverNow()), undefined, {
    equals: (a, b) => a.label === b.label && a.idle === b.idle,
  });
  const meta = () => [props.card.classroom, props.card.project].filter(Boolean).join(' · ') || '\u00a0';
  return (
    <article
      class="card"
      classList={{ 'has-alert': props.alerts.length > 0, [`card-${state()}`]: true }}
      data-testid="student-card"
      data-student={props.card.studentId}
      data-state={state()}
      data-version={props.card.version}
      aria-label={`${props.card.displayName}: ${state() === 'none' ? 'no state yet' : state()}${props.alerts.length ? `, ${props.alerts.length} open alert${props.alerts.length > 1 ? 's' : ''}` : ''}`}
    >
      <div class="card-head">
        <a class="card-name" href={studentHref(props.card.studentId)} title={`Open ${props.card.displayName}`}>
          {props.card.displayName}
        </a>
        <StateBadge state={props.card.state} />
      </div>
      <div class="card-meta" title={meta()}>{meta()}</div>
      <div class="card-times">
        <span class="in-state">{inState()}</span>
        <span class="activity" classList={{ idle: act().idle }} data-idle={act().idle ? 'true' : 'false'}>
          {act().label}
        </span>
      </div>
      <div class="card-charts">
        <Sparkline values={props.card.recentScores} />
        <Ribbon ribbon={props.card.ribbon} />
      </div>
      <div class="card-alerts">
        <Show when={props.alerts[0]} fallback={<RunsLine card={props.card} />}>
          {(first) => <CardAlert alert={first()} name={props.card.displayName} more={props.alerts.length - 1} />}
        </Show>
      </div>
    </article>
  );
};

/** The run count, or why the latest run could not be analysed (the parse error in the title). */
const RunsLine: Component<{ card: Card }> = (props) => (
  <Show when={unreadableLabel(props.card.lastRunError)} fallback={<span class="card-runs">{runsLabel(props.card)}</span>}>
    {(label) => (
      <span class="card-runs card-unreadable" data-testid="card-unreadable" title={`${runsLabel(props.card)}: ${props.card.lastRunError}`}>
        {label()}
      </span>
    )}
  </Show>
);

function runsLabel(card: Card): string {
  const runs = `${card.runCount} run${card.runCount === 1 ? '' : 's'}`;
  return card.sessionOpen ? `${runs} · session open` : `${runs} · session closed`;
}
