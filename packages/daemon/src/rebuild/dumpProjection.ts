/**
 * The projection as canonical JSON (sorted, without the `version` columns, which say when a row
 * changed, not what it is): what `lmdash dump` prints, and what the golden tests and the
 * rebuild-equals-incremental checks compare.
 */
import type { Storage } from '@lmdash/core';

/** The projection as canonical JSON text, with the identity of the model that decoded it. */
export function dumpProjection(store: Storage): string {
  return dumpWithProvisional(store).text;
}

/**
 * The dump and how many of its runs are provisional (distance null while the bucket is known:
 * written before their exact distance, which the daemon is still computing). The dump shows the
 * tables as they are, provisional rows included; it equals a rebuild's once none is left.
 */
export function dumpWithProvisional(store: Storage): { text: string; provisional: number } {
  const strip = <T extends { version: number }>(rows: T[]) => rows.map(({ version: _v, ...r }) => r);
  const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const pad = (n: number) => String(n).padStart(9, '0');
  const all = store.projection.readAll();
  const dump = {
    model: all.modelHash,
    student_state: strip(all.cards).sort(byKey((r) => r.studentId)),
    run: strip(all.runs).sort(byKey((r) => `${r.studentId}\u0000${pad(r.runIndex)}`)),
    episode: strip(all.episodes).sort(byKey((r) => `${r.studentId}\u0000${pad(r.episodeIndex)}`)),
  };
  const provisional = all.runs.filter((r) => r.distance === null && r.bucket !== null).length;
  return { text: JSON.stringify(dump, null, 1) + '\n', provisional };
}
