/**
 * In-memory per-student workers: each keeps the student's events (rehydrated from `vex_log` on
 * a cold start) and a distance cache, so a recompute parses and compares only what is new.
 * Workers are a cache of the log: dropping them (a reset) loses nothing.
 */
import { DistanceCache } from '@lmdash/inference';
import type { Db } from '@lmdash/core';
import { projectStudent, type AstCache, type LogEvent, type ProjectionOptions, type StudentProjection } from '../projection/projectStudent.ts';
import { studentEventsAfter, studentTail } from '../store/log.ts';

/** Events a worker keeps per student; older ones stay in the log. */
export const WORKER_TAIL = 5000;

type Worker = { events: (LogEvent & { id: number })[]; cache: DistanceCache; astCache: AstCache };

export class Workers {
  private readonly byStudent = new Map<string, Worker>();

  constructor(private readonly db: Db, private readonly opts: Omit<ProjectionOptions, 'cache'>) {}

  /** Drops every worker (after a reset): the next recompute rehydrates from the log. */
  clear(): void {
    this.byStudent.clear();
  }

  get size(): number {
    return this.byStudent.size;
  }

  /** The student's projection after the events now in the log. */
  recompute(studentId: string): StudentProjection {
    let w = this.byStudent.get(studentId);
    if (!w) {
      w = { events: studentTail(this.db, studentId, WORKER_TAIL), cache: new DistanceCache(2000), astCache: new Map() };
      this.byStudent.set(studentId, w);
    } else {
      // Warm: only the events stored since this worker last looked.
      const last = w.events.reduce((m, e) => (e.id > m ? e.id : m), 0);
      w.events.push(...studentEventsAfter(this.db, studentId, last));
      if (w.events.length > WORKER_TAIL) {
        for (const e of w.events.splice(0, w.events.length - WORKER_TAIL)) w.astCache.delete(e.sourceEventId);
      }
    }
    return projectStudent(studentId, w.events, { ...this.opts, cache: w.cache, astCache: w.astCache });
  }
}
