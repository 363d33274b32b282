/**
 * A made-up cohort for the fake API, the screenshots and `bun run dev` without a daemon:
 * contract-shaped cards, runs, episodes and alerts that move a little on every `step()`.
 * Seeded, so the same seed gives the same classroom (up to the clock).
 */
import { mulberry32 } from '@lmdash/inference';
import type { EpisodeRow, RunRow, StudentCard, TriggerRow } from '../src/types.ts';

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Dennis', 'Radia', 'Ken', 'Frances', 'Donald', 'Hedy', 'Tim', 'Sophie', 'Guido', 'Anita', 'Niklaus', 'Karen', 'John', 'Jean', 'Bjarne', 'Lynn', 'Yukihiro', 'Evelyn', 'James', 'Mary', 'Leslie', 'Shafi'];
const LAST = 'ABCDEFGHJKLMNPRSTVW';
const PROJECTS = ['Drive Square', 'Arm Control', 'Sensor Stop', 'Tank Drive', 'Counter', 'My Block Moves'];


export interface CohortStudent {
  card: StudentCard;
  runs: RunRow[];
  episodes: EpisodeRow[];
  pseudocode: string;
  prompt: string;
}

export interface CohortChange {
  students: StudentCard[];
  triggers: TriggerRow[];
}

const TRANSITIONS: number[][] = [
  [0.82, 0.1, 0.08],
  [0.22, 0.72, 0.06],
  [0.15, 0.05, 0.8],
];

export class Cohort {
  readonly students = new Map<string, CohortStudent>();
  readonly triggers = new Map<number, TriggerRow>();
  private nextTriggerId = 1;
  private readonly rand: () => number;

  constructor(
    count: number,
    seed = 7,
    private readonly classroom = 'Period 3',
    readonly startAt = Date.now() - 35 * 60_000,
  ) {
    this.rand = mulberry32(seed);
    for (let i = 0; i < count; i++) this.addStudent(i);
  }

  /** Display names and ids for a roster that also has students nobody tracks yet. */
  static name(i: number): string {
    return `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}.`;
  }

  static id(i: number): string {
    return `s-${String(i + 1).padStart(4, '0')}`;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private nextState(state: 0 | 1 | 2): 0 | 1 | 2 {
    const row = TRANSITIONS[state]!;
    const u = this.rand();
    return u < row[0]! ? 0 : u < row[0]! + row[1]! ? 1 : 2;
  }

  private score(state: 0 | 1 | 2): number | null {
    if (this.rand() < 0.03) return null;
    if (state === 2) return this.rand() < 0.6 ? 0 : Math.round(this.rand() * 4) / 100;
    if (state === 1) return Math.round((0.25 + this.rand() * 0.6) * 100) / 100;
    return Math.round(this.rand() * 0.2 * 100) / 100;
  }

  addStudent(i: number, now = Date.now()): CohortStudent {
    const studentId = Cohort.id(i);
    const project = this.pick(PROJECTS);
    const runs: RunRow[] = [];
    let state: 0 | 1 | 2 = this.rand() < 0.6 ? 0 : this.rand() < 0.6 ? 1 : 2;
    let t = this.startAt + this.rand() * 6 * 60_000;
    const end = now - this.rand() * 5 * 60_000;
    while (t < end) {
      state = this.nextState(state);
      const score = runs.length === 0 ? 0 : this.score(state);
      runs.push(run(studentId, runs.length, Math.round(t), score, state, project));
      t += (state === 2 ? 40_000 + this.rand() * 150_000 : state === 1 ? 180_000 + this.rand() * 400_000 : 90_000 + this.rand() * 300_000);
    }
    const mid = runs.length > 4 ? runs[Math.floor(runs.length / 2)]!.ts : this.startAt + 15 * 60_000;
    const episodes: EpisodeRow[] = runs.length
      ? [episode(studentId, 0, runs[0]!.ts - 60_000, mid - 30_000, project), episode(studentId, 1, mid + 60_000, Math.max(mid + 120_000, runs.at(-1)!.ts), project)]
      : [];
    const student: CohortStudent = {
      card: {
        studentId,
        displayName: Cohort.name(i),
        classroom: this.classroom,
        state: null,
        stateSince: null,
        lastEventAt: null,
        lastRunAt: null,
        runCount: 0,
        sessionOpen: true,
        stuckStreakRuns: 0,
        stuckStreakStartedAt: null,
        platform: this.rand() < 0.6 ? 'IQ' : 'V5',
        project,
        recentScores: [],
        ribbon: [],
        lastRunError: null,
        version: 1,
      },
      runs,
      episodes,
      pseudocode: pseudocode(project, runs.length),
      prompt: `You are helping a student who is building "${project}" for a VEX robot.\nTheir current program, as pseudo-code:\n\n${pseudocode(project, runs.length)}\n\nAsk one question that helps them find their next step; do not give the answer.`,
    };
    this.refreshCard(student, Math.round(end + this.rand() * 60_000));
    this.students.set(studentId, student);
    return student;
  }

  /** Recomputes the card's derived fields from the runs. */
  private refreshCard(s: CohortStudent, lastEventAt: number): void {
    const runs = s.runs;
    const last = runs.at(-1);
    let since = last?.ts ?? null;
    let streak = 0;
    for (let i = runs.length - 1; i >= 0 && runs[i]!.state === last?.state; i--) {
      since = runs[i]!.ts;
      streak++;
    }
    s.card = {
      ...s.card,
      state: last?.state ?? null,
      stateSince: since,
      lastEventAt: last ? Math.max(lastEventAt, last.ts) : null,
      lastRunAt: last?.ts ?? null,
      runCount: runs.length,
      stuckStreakRuns: last?.state === 2 ? streak : 0,
      stuckStreakStartedAt: last?.state === 2 ? since : null,
      recentScores: runs.slice(-12).map((r) => r.score),
      ribbon: runs.slice(-60).map((r) => ({ ts: r.ts, state: r.state })),
    };
  }

  /** Opens the alerts a stuck streak or a big rewrite calls for (like the daemon's rules, roughly). */
  private evaluate(s: CohortStudent, now: number): TriggerRow[] {
    const out: TriggerRow[] = [];
    const open = [...this.triggers.values()].filter((t) => t.studentId === s.card.studentId && t.status !== 'resolved');
    const last = s.runs.at(-1);
    const spin = open.find((t) => t.kind === 'wheelspin');
    if (s.card.state === 2 && s.card.stuckStreakRuns >= 3 && !spin) {
      out.push(this.newTrigger(s.card.studentId, 'wheelspin', s.card.stuckStreakStartedAt ?? now, now, last?.runIndex ?? null, { runs: s.card.stuckStreakRuns }));
    }
    if (s.card.state !== 2 && spin) out.push({ ...spin, status: 'resolved', resolvedAt: now });
    if (last && last.score != null && last.score >= 0.5 && (last.distance ?? 0) >= 4 && last.ts >= now - 5_000) {
      out.push(this.newTrigger(s.card.studentId, 'big_rewrite', last.ts, now, last.runIndex, { score: last.score, distance: last.distance }));
    }
    return out;
  }

  newTrigger(studentId: string, kind: TriggerRow['kind'], startedAt: number, now: number, runIndex: number | null, detail: Record<string, unknown>, reopenedFrom: number | null = null): TriggerRow {
    return {
      id: this.nextTriggerId++,
      studentId,
      kind,
      status: 'open',
      startedAt,
      openedAt: now,
      ackedAt: null,
      ackNote: null,
      resolvedAt: null,
      runIndex,
      reopenedFrom,
      detail,
      version: 0,
    };
  }

  /** Opens the alerts the starting cohort already deserves. */
  initialAlerts(now = Date.now()): TriggerRow[] {
    const out: TriggerRow[] = [];
    for (const s of this.students.values()) {
      if (s.card.state === 2 && s.card.stuckStreakRuns >= 3) {
        out.push(this.newTrigger(s.card.studentId, 'wheelspin', s.card.stuckStreakStartedAt ?? now, now - 60_000, s.runs.at(-1)?.runIndex ?? null, { runs: s.card.stuckStreakRuns }));
      }
    }
    return out;
  }

  /** One student runs their program again: a new run, maybe a new state and alerts. */
  step(now = Date.now()): CohortChange {
    const list = [...this.students.values()];
    if (list.length === 0) return { students: [], triggers: [] };
    const s = this.pick(list);
    const prev = s.runs.at(-1)?.state ?? 0;
    const state = this.nextState(prev);
    const score = this.score(state);
    s.runs.push(run(s.card.studentId, s.runs.length, now, score, state, s.card.project));
    this.refreshCard(s, now);
    if (s.episodes.length) s.episodes[s.episodes.length - 1] = { ...s.episodes.at(-1)!, end: now };
    s.pseudocode = pseudocode(s.card.project ?? 'Project', s.runs.length);
    return { students: [s.card], triggers: this.evaluate(s, now) };
  }
}

function run(studentId: string, runIndex: number, ts: number, score: number | null, state: 0 | 1 | 2, project: string | null): RunRow {
  return {
    studentId,
    runIndex,
    ts,
    project,
    astSize: 18 + (runIndex % 9),
    distance: score == null ? null : Math.round(score * 40),
    score,
    bucket: score == null ? null : score === 0 ? 0 : score < 0.05 ? 1 : score < 0.2 ? 2 : score < 0.5 ? 3 : 4,
    state,
    posterior: [0, 1, 2].map((k) => (k === state ? 0.82 : 0.09)),
    parseError: score == null ? 'bad-xml' : null,
    version: 1,
  };
}

function episode(studentId: string, episodeIndex: number, start: number, end: number, project: string): EpisodeRow {
  return {
    studentId,
    episodeIndex,
    start,
    end,
    project,
    endReason: episodeIndex === 0 ? 'break' : 'open',
    counts: { runProject: 4 },
    stateMix: { iterator: 0.6, explorer: 0.25, stuck: 0.15 },
    longestStuckStreak: 2,
    netChange: 0.35,
    version: 1,
  };
}

function pseudocode(project: string, runs: number): string {
  const turns = 90 + (runs % 4) * 5;
  return [
    `when started  # ${project}`,
    `  set drive velocity to 50 %`,
    `  repeat 4`,
    `    drive forward 200 mm`,
    `    turn right ${turns} degrees`,
    `  if Distance found an object`,
    `    stop driving`,
    `    print "object!" on Brain`,
  ].join('\n');
}
