/**
 * Generated classes as the model lab reads them: each student's events in log order and the
 * hidden state of each run. Shared by the decoding benchmark and the script that fits the
 * default model (different seeds: the model is judged on classes it was not fitted on).
 */
import { generateClassroom, DEFAULT_START, readEventLog, type Profile } from '@lmdash/fixtures';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LogEvent } from '../src/projection/projectStudent.ts';

export type ClassSpec = { profile: Profile; seed: number; students: number; minutes: number; tempo?: number };

export type GeneratedStudent = {
  id: string;
  events: LogEvent[];
  /** Hidden state of each run, in run order. */
  hidden: (0 | 1 | 2)[];
  /** Whether each run's program was broken on purpose (no observation). */
  malformed: boolean[];
};

export type GeneratedClass = { spec: ClassSpec; start: number; end: number; students: GeneratedStudent[] };

/** Held-out seeds of the decoding benchmark; the default model is fitted on others (TRAIN_SEEDS). */
export const EVAL_SEEDS = [9001, 9002, 9003] as const;
/** Seeds the default model is fitted on (`scripts/fit-default-model.ts`). */
export const TRAIN_SEEDS = [101, 102, 103, 104] as const;
/** The size profiles of the generator, each judged on its own. */
export const EVAL_PROFILES: readonly Profile[] = ['novice', 'course', 'team', 'mixed'];

export function generatedClass(spec: ClassSpec): GeneratedClass {
  const { events, truth } = generateClassroom({ students: spec.students, minutes: spec.minutes, seed: spec.seed, profile: spec.profile, tempo: spec.tempo });
  return classOf(spec, events, truth);
}

/** A committed log of `fixtures/logs` (the classic generator) with its ground truth. */
export function committedClass(name: 'small' | 'classroom'): GeneratedClass {
  const logs = resolve(import.meta.dir, '../../../fixtures/logs');
  const events = readEventLog(resolve(logs, `${name}.jsonl`));
  const truth = readFileSync(resolve(logs, `${name}.truth.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Truth);
  const minutes = Math.ceil((Math.max(...events.map((e) => Date.parse(e.timestamp))) - DEFAULT_START) / 60_000);
  return classOf({ profile: 'classic', seed: 42, students: new Set(events.map((e) => e.student)).size, minutes }, events, truth);
}

type Truth = { student: string; runIndex: number; state: 0 | 1 | 2; malformed?: string };

function classOf(spec: ClassSpec, events: readonly { id: number | string; student: string; type: string; timestamp: string; data?: unknown }[], truth: readonly Truth[]): GeneratedClass {
  const byStudent = new Map<string, GeneratedStudent>();
  const student = (id: string) => byStudent.get(id) ?? byStudent.set(id, { id, events: [], hidden: [], malformed: [] }).get(id)!;
  for (const e of events) student(e.student).events.push({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data });
  for (const t of truth) {
    const s = student(t.student);
    s.hidden[t.runIndex] = t.state;
    s.malformed[t.runIndex] = t.malformed !== undefined;
  }
  return { spec, start: DEFAULT_START, end: DEFAULT_START + spec.minutes * 60_000, students: [...byStudent.values()] };
}
