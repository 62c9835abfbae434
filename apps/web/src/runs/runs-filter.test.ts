import { describe, expect, it } from 'vitest';

import { filterSearch, fromLocalInput, parseFilter, toLocalInput, toQuery } from './runs-filter';

const STATES = ['RUNNING', 'FAILURE', 'SUCCESS'];
const parse = (q: string) => parseFilter(new URLSearchParams(q), STATES);

describe('runs filter in the URL', () => {
  it('round-trips state, flow and a preset; ignores unknown values', () => {
    const f = parse('state=FAILURE&flow=orders&since=24h');
    expect(f).toEqual({ state: 'FAILURE', flowId: 'orders', since: '24h', after: '', before: '' });
    expect(filterSearch(f)).toBe('?state=FAILURE&flow=orders&since=24h');
    expect(parse('state=NOPE&since=3y&after=yesterday')).toEqual({ state: '', flowId: '', since: '', after: '', before: '' });
    expect(filterSearch(parse(''))).toBe('');
  });

  it('a custom range keeps ISO times; a preset wins over it', () => {
    const f = parse('after=2026-11-20T10:00:00Z&before=2026-11-21T10:00:00.000Z');
    expect([f.after, f.before]).toEqual(['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z']);
    expect(toQuery(f, 0)).toEqual({ createdAfter: '2026-11-20T10:00:00.000Z', createdBefore: '2026-11-21T10:00:00.000Z' });
    expect(parse('since=1h&after=2026-11-20T10:00:00Z').after).toBe('');
  });

  it('a preset becomes a start time relative to now, to the minute', () => {
    const now = Date.parse('2026-11-23T12:34:56Z');
    expect(toQuery(parse('since=1h&state=RUNNING'), now)).toEqual({ states: ['RUNNING'], createdAfter: '2026-11-23T11:34:00.000Z' });
    expect(toQuery(parse('since=7d'), now).createdAfter).toBe('2026-11-16T12:34:00.000Z');
  });

  it('datetime-local values convert both ways', () => {
    const iso = fromLocalInput('2026-11-20T10:30');
    expect(toLocalInput(iso)).toBe('2026-11-20T10:30');
    expect(fromLocalInput('')).toBe('');
  });
});
