import type { Component } from 'solid-js';
import type { StateFilter } from './need.ts';

const FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All students' },
  { value: 'alerts', label: 'With open alerts' },
  { value: 'stuck', label: 'Stuck' },
  { value: 'explorer', label: 'Explorer' },
  { value: 'iterator', label: 'Iterator' },
  { value: 'idle', label: 'Idle 3 m or more' },
  { value: 'none', label: 'No state yet' },
];

/** Search box, state filter and the count of cards shown. */
export const CardToolbar: Component<{
  query: string;
  onQuery: (q: string) => void;
  filter: StateFilter;
  onFilter: (f: StateFilter) => void;
  shown: number;
  total: number;
}> = (props) => (
  <div class="toolbar">
    <h2 id="cards-heading" class="visually-hidden">Students</h2>
    <input
      type="search"
      class="input search"
      placeholder="Search name, id, class, project"
      aria-label="Search students"
      value={props.query}
      onInput={(e) => props.onQuery(e.currentTarget.value)}
    />
    <select class="input" aria-label="Filter by state" value={props.filter} onChange={(e) => props.onFilter(e.currentTarget.value as StateFilter)}>
      {FILTERS.map((f) => (
        <option value={f.value}>{f.label}</option>
      ))}
    </select>
    <span class="muted count" aria-live="polite">
      {props.shown === props.total ? `${props.total} students` : `${props.shown} of ${props.total} students`}
    </span>
    <span class="muted order-hint">Ordered by need: alerts, stuck, idle, then by name</span>
  </div>
);
