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
  app.get('/', (c) => c.json(trackedCards(d.storage, d.rule)));
  app.get('/:id', (c) => {
    const id = c.req.param('id');
    // One consistent read: the card, runs and alerts are of the same version.
    const detail = d.storage.consistent((): StudentDetail | null => {
      const known = d.storage.reads.presence(id);
      if (!known.tracked && !known.projected) return null;
      const card = cardsOf(d.storage, [id], d.rule)[0]!;
      const texts = d.storage.reads.texts(id);
      return {
        card,
        runs: recentRuns(d.storage, id, DETAIL_RUNS),
        episodes: recentEpisodes(d.storage, id, DETAIL_EPISODES),
        triggers: triggersOfStudent(d.storage, id, DETAIL_TRIGGERS),
        pseudocode: texts?.pseudocode ?? null,
        prompt: texts?.prompt ?? null,
      };
    });
    if (!detail) throw notFound(`no tracked or projected student ${JSON.stringify(id)}`);
    return c.json(detail);
  });
  return app;
}
