/**
 * The first-run check: log in, read one page of events and one of the roster, retrying
 * transient failures a few times, and name the one problem to print before refusing to start.
 * Wrong credentials are fatal here (and only here); at run time every failure is retried.
 */
import type { EventsPage, RosterPage } from '@lmdash/core';
import { SourceError } from './errors.ts';
import type { Retrier } from './retry.ts';

export type CheckProblem = 'unreachable' | 'bad-credentials' | 'contract';

/** What `check()` found: ready to run, or the one problem to print before refusing to start. */
export type CheckResult = { ok: true; events: number; students: number } | { ok: false; problem: CheckProblem; detail: string };

/** The probe's three requests, one attempt each. */
export type Probe = {
  login(signal: AbortSignal | undefined): Promise<void>;
  eventsPage(since: Date, signal: AbortSignal | undefined): Promise<EventsPage>;
  rosterPage(signal: AbortSignal | undefined): Promise<RosterPage>;
};

export type CheckOptions = { since?: Date; attempts?: number; signal?: AbortSignal };

/** Never throws for a source problem: it becomes the result's `problem`. */
export async function checkSource(probe: Probe, retrier: Retrier, options: CheckOptions = {}): Promise<CheckResult> {
  const attempts = options.attempts ?? 3;
  const { signal } = options;
  const since = options.since ?? new Date(Date.now() - 24 * 3600_000);
  try {
    // Wrong credentials will not heal: stop at once instead of spending the attempts.
    const once = { signal, attempts, giveUp: (e: SourceError) => e.kind === 'bad-credentials' };
    await retrier.retrying(() => probe.login(signal), once);
    const events = await retrier.retrying(() => probe.eventsPage(since, signal), once);
    const students = await retrier.retrying(() => probe.rosterPage(signal), once);
    return { ok: true, events: events.count, students: students.count };
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    return { ok: false, problem: checkProblem(e), detail: e.message };
  }
}

function checkProblem(e: SourceError): CheckProblem {
  switch (e.kind) {
    case 'bad-credentials':
    case 'auth':
      return 'bad-credentials';
    case 'bad-body':
    case 'too-large':
      return 'contract';
    case 'network':
    case 'timeout':
      return 'unreachable';
    case 'http':
      // 5xx and throttling: the source is there but not serving. Other 4xx: wrong URL or API.
      return e.status !== undefined && (e.status >= 500 || e.status === 429 || e.status === 408) ? 'unreachable' : 'contract';
  }
}
