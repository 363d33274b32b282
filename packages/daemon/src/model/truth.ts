/**
 * A ground-truth file (`lmdash gen` writes `X.truth.jsonl`: one line per run,
 * `{"student","runIndex","eventId","state"}`) as hidden states by source event id. O(lines).
 */
import { sourceEventKey } from '@lmdash/core';
import { readFileSync } from 'node:fs';

/** state (0 iterator, 1 explorer, 2 stuck) by `source_event_id`. */
export function readTruth(path: string): Map<string, number> {
  const out = new Map<string, number>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const t = JSON.parse(line) as { eventId?: unknown; state?: unknown; malformed?: unknown };
      if ((typeof t.eventId !== 'number' && typeof t.eventId !== 'string') || ![0, 1, 2].includes(t.state as number)) {
        throw new Error(`${path}:${i + 1}: expected {"eventId", "state": 0|1|2}`);
      }
      // A run whose program was broken on purpose has no observation: not scored.
      if (t.malformed === undefined) out.set(sourceEventKey(t.eventId), t.state as number);
    });
  return out;
}
