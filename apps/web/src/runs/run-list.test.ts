import { describe, expect, it } from 'vitest';

import { applySummaries } from './run-list';

const s = (id: string, state: string, lastSeq: number, createdAt: string, flowId = 'f') => ({ id, flowId, state, lastSeq, createdAt });

describe('applySummaries', () => {
  const list = [s('b', 'RUNNING', 3, '2026-01-02'), s('a', 'SUCCESS', 9, '2026-01-01')];
  it('replaces a run with a newer summary, ignores an older one', () => {
    expect(applySummaries(list, [s('b', 'SUCCESS', 5, '2026-01-02')], {}).map((x) => x.state)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(applySummaries(list, [s('b', 'PENDING', 1, '2026-01-02')], {}).map((x) => x.state)).toEqual(['RUNNING', 'SUCCESS']);
  });
  it('adds new matching runs newest first, drops ones leaving the filter', () => {
    expect(applySummaries(list, [s('c', 'RUNNING', 1, '2026-01-03')], { states: ['RUNNING'] }).map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(applySummaries(list, [s('b', 'FAILURE', 4, '2026-01-02')], { states: ['RUNNING'] }).map((x) => x.id)).toEqual(['a']);
    expect(applySummaries(list, [s('d', 'RUNNING', 1, '2026-01-03', 'other')], { flowId: 'f' }).map((x) => x.id)).toEqual(['b', 'a']);
  });
  it('drops live runs outside the time filter', () => {
    const f = { createdAfter: '2026-01-02T00:00:00Z', createdBefore: '2026-01-04T00:00:00Z' };
    const incoming = [
      s('c', 'RUNNING', 1, '2026-01-03T00:00:00Z'),
      s('d', 'RUNNING', 1, '2026-01-05T00:00:00Z'),
      s('e', 'RUNNING', 1, '2026-01-01T00:00:00Z'),
    ];
    expect(applySummaries([], incoming, f).map((x) => x.id)).toEqual(['c']);
  });
});
