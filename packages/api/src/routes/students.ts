/** `GET /api/students` (the tracked students' cards) and `GET /api/students/:id` (the drill-down). */
import type { StudentDetail } from '@lmdash/core/wire';
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import { cardsOf, trackedCards } from '../queries/cards.ts';
import { recentEpisodes, recentRuns, triggersOfStudent } from '../queries/rows.ts';

/** The drill-down's recent runs. */
export const DETAIL_RUNS = 200;
export const DETAIL_EPISODES = 100;
export const DETAIL_TRIGGERS = 200;

export function studentsRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(trackedCards(d.sqlite, d.rule)));
  app.get('/:id', (c) => {
    const id = c.req.param('id');
    // One read transaction: the card, runs and alerts are of the same version.
    const detail = d.sqlite.transaction((): StudentDetail | null => {
      const known = d.sqlite.query('SELECT (SELECT 1 FROM tracked_student WHERE student_id = ?1) AS tracked, (SELECT 1 FROM student_state WHERE student_id = ?1) AS projected').get(id) as {
        tracked: number | null;
        projected: number | null;
      };
      if (!known.tracked && !known.projected) return null;
      const card = cardsOf(d.sqlite, [id], d.rule)[0]!;
      const texts = d.sqlite.query('SELECT pseudocode, prompt FROM student_state WHERE student_id = ?').get(id) as { pseudocode: string | null; prompt: string | null } | null;
      return {
        card,
        runs: recentRuns(d.sqlite, id, DETAIL_RUNS),
        episodes: recentEpisodes(d.sqlite, id, DETAIL_EPISODES),
        triggers: triggersOfStudent(d.sqlite, id, DETAIL_TRIGGERS),
        pseudocode: texts?.pseudocode ?? null,
        prompt: texts?.prompt ?? null,
      };
    })();
    if (!detail) throw notFound(`no tracked or projected student ${JSON.stringify(id)}`);
    return c.json(detail);
  });
  return app;
}
