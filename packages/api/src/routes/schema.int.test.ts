import { afterEach, describe, expect, test } from 'bun:test';
import { makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

describe('GET /api/schema', () => {
  test('JSON Schema of the stream events, producer events, request bodies and rows', async () => {
    api = makeApi();
    const doc = (await (await api.request('/api/schema')).json()) as Record<string, Record<string, any>>;
    expect(Object.keys(doc.stream!).sort()).toEqual(['delta', 'health', 'publish', 'reset', 'snapshot']);
    expect(Object.keys(doc.publish!).sort()).toEqual(['metric', 'note', 'other', 'response', 'series', 'table']);
    expect(Object.keys(doc.bodies!).sort()).toEqual(['POST /api/reset', 'POST /api/track', 'POST /api/triggers/:id/ack', 'POST /api/untrack']);
    expect(doc.stream!.snapshot.$schema).toContain('json-schema.org');
    expect(doc.stream!.delta.required).toContain('removed');
    expect(doc.bodies!['POST /api/reset'].properties.confirm.const).toBe('RESET');
    // Input schemas: a note's level has a default, so it is optional to send.
    expect(doc.publish!.note.required).toEqual(['type', 'text']);
    expect(doc.publish!.other.additionalProperties).toEqual({});
    expect(doc.rows!.StudentCard.properties.ribbon.type).toBe('array');
  });
});
