import { describe, expect, test } from 'bun:test';
import { EventsPage, EventsQuery, RosterPage, SourceEvent, isKnownEvent } from './source.ts';

const run = {
  id: 98123,
  student: 's-0042',
  type: 'runProject',
  timestamp: '2026-11-22T10:00:00.123Z',
  data: { project: 'Drive Test', workspace: '<xml/>', slot: 1 },
};

describe('source events', () => {
  test('a documented runProject validates and is known', () => {
    const e = SourceEvent.parse(run);
    expect(isKnownEvent(e)).toBe(true);
    expect(e.type).toBe('runProject');
  });

  test('string ids and extra data keys pass through', () => {
    const e = SourceEvent.parse({ ...run, id: 'evt-1', data: { ...run.data, extra: 1 } });
    expect(e.id).toBe('evt-1');
    expect((e.data as Record<string, unknown>).extra).toBe(1);
  });

  test('an unknown type is kept as a generic event, data untouched', () => {
    const e = SourceEvent.parse({ ...run, type: 'hintRequest', data: { anything: [1, 2] } });
    expect(isKnownEvent(e)).toBe(false);
    expect(e.data).toEqual({ anything: [1, 2] });
  });

  test('a known type with the wrong data is rejected, naming the field', () => {
    const r = SourceEvent.safeParse({ ...run, data: { project: 'x', workspace: '<xml/>' } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('slot');
    expect(SourceEvent.safeParse({ ...run, type: 'stopProject', data: { project: 'x', reason: 'crashed' } }).success).toBe(false);
  });

  test('timestamps must be ISO-8601 with a zone; ids must be present', () => {
    expect(SourceEvent.safeParse({ ...run, timestamp: '22/11/2026' }).success).toBe(false);
    expect(SourceEvent.safeParse({ ...run, timestamp: '2026-11-22T10:00:00+01:00' }).success).toBe(true);
    const { id: _id, ...noId } = run;
    expect(SourceEvent.safeParse(noId).success).toBe(false);
  });
});

describe('pages and queries', () => {
  test('an events page and a roster page', () => {
    expect(EventsPage.parse({ count: 1, next: null, previous: null, results: [run] }).results).toHaveLength(1);
    expect(EventsPage.safeParse({ count: 1, next: null, results: [run] }).success).toBe(false);
    expect(RosterPage.parse({ count: 1, next: null, previous: null, results: [{ id: 's-0042', displayName: 'Ada L.', classroom: 'Period 3' }] }).count).toBe(1);
  });

  test('query parameters are coerced, bounded and defaulted', () => {
    expect(EventsQuery.parse({ dateFrom: '2026-11-22T10:00:00Z' })).toEqual({ dateFrom: '2026-11-22T10:00:00Z', page: 1, page_size: 100 });
    expect(EventsQuery.parse({ dateFrom: '2026-11-22T10:00:00Z', page: '3', page_size: '1000', student: 's-1' }).page).toBe(3);
    expect(EventsQuery.safeParse({ dateFrom: '2026-11-22T10:00:00Z', page_size: '1001' }).success).toBe(false);
    expect(EventsQuery.safeParse({ dateFrom: 'yesterday' }).success).toBe(false);
  });
});
