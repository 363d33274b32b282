import { For, Show, type Component } from 'solid-js';
import { formatClock } from '../cards/format.ts';
import { STATE_NAMES, type EpisodeRow, type RunRow } from '../types.ts';
import { timelineLayout } from './timeline.ts';

const W = 640;
const BAR_H = 90;
const STATE_H = 10;
const AXIS_H = 16;
const H = BAR_H + 4 + STATE_H + AXIS_H;

/** Runs over time: change-score bars, each run's state below, episodes as bands behind. */
export const RunsTimeline: Component<{ runs: RunRow[]; episodes: EpisodeRow[] }> = (props) => {
  const layout = () => timelineLayout(props.runs, props.episodes, { width: W, barHeight: BAR_H, pad: 8 });
  return (
    <Show when={props.runs.length > 0 || props.episodes.length > 0} fallback={<p class="empty small">No runs yet.</p>}>
      <figure class="timeline">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Timeline of ${props.runs.length} runs in ${props.episodes.length} episodes`} data-testid="runs-timeline">
          <For each={layout().bands}>
            {(b, i) => (
              <rect class={`band band-${i() % 2}`} x={b.x} y="0" width={b.width} height={BAR_H + 4 + STATE_H}>
                <title>{`Episode ${b.episode.episodeIndex + 1}: ${formatClock(b.episode.start)}–${formatClock(b.episode.end)}${b.episode.project ? `, ${b.episode.project}` : ''} (ended: ${b.episode.endReason})`}</title>
              </rect>
            )}
          </For>
          <line class="axis" x1="0" x2={W} y1={BAR_H} y2={BAR_H} />
          <line class="gridline" x1="0" x2={W} y1={BAR_H / 2} y2={BAR_H / 2} />
          <For each={layout().bars}>
            {(b) => (
              <Show
                when={!b.missing}
                fallback={
                  <rect class="bar-missing" x={b.x} y={BAR_H - 6} width={b.width} height="6">
                    <title>{`Run ${b.run.runIndex} at ${formatClock(b.run.ts)}: could not be parsed (${b.run.parseError ?? 'error'})`}</title>
                  </rect>
                }
              >
                <rect class={`bar fill-${STATE_NAMES[b.run.state]}`} x={b.x} y={b.y} width={b.width} height={b.height}>
                  <title>{`Run ${b.run.runIndex} at ${formatClock(b.run.ts)}: change ${b.run.score!.toFixed(2)}${b.run.distance != null ? `, distance ${b.run.distance}` : ''}, ${STATE_NAMES[b.run.state]}`}</title>
                </rect>
              </Show>
            )}
          </For>
          <For each={layout().states}>
            {(s) => <rect class={`fill-${STATE_NAMES[s.state]}`} x={s.x} y={BAR_H + 4} width={s.width} height={STATE_H} />}
          </For>
          <For each={layout().ticks}>
            {(t) => (
              <text class="tick" x={t.x} y={H - 3} text-anchor="middle">
                {formatClock(t.t).slice(0, 5)}
              </text>
            )}
          </For>
          <text class="tick" x="2" y="10">1.0</text>
        </svg>
        <figcaption class="legend small muted">
          Bars: change score per run (0–1), coloured by state; strip: state of each run; shaded bands: work episodes.
        </figcaption>
      </figure>
    </Show>
  );
};
