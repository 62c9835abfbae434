import { describe, expect, it } from 'vitest';

import { liveStates, mergeEvents, progress, rootFailure, type MonitorEvent } from './live-state';

let seq = 0;
const ev = (atom: string | null, from: string | null, to: string, kind = atom ? 'atom' : 'flow'): MonitorEvent => ({
  seq: ++seq,
  kind,
  atom,
  from,
  to,
  data: null,
  at: new Date(1_000 * seq).toISOString(),
});

describe('mergeEvents', () => {
  it('appends new events and drops ones already seen', () => {
    seq = 0;
    const a = [ev('a', 'PENDING', 'RUNNING'), ev('a', 'RUNNING', 'SUCCESS')];
    const b = ev('b', 'PENDING', 'RUNNING');
    expect(mergeEvents(a, [a[1]!, b]).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(mergeEvents([a[0]!, b], [a[1]!]).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('liveStates', () => {
  it('moves the snapshot on with events after it only', () => {
    seq = 0;
    const events = [ev('a', 'PENDING', 'RUNNING'), ev('a', 'RUNNING', 'FAILURE'), ev(null, 'RUNNING', 'FAILURE')];
    expect(liveStates({ run: 'RUNNING', atoms: { a: 'RUNNING', b: 'PENDING' }, seq: 1 }, events)).toEqual({
      run: 'FAILURE',
      atoms: { a: 'FAILURE', b: 'PENDING' },
    });
  });
});

describe('rootFailure', () => {
  it('is the atom whose failure started the revert, until the run runs again', () => {
    seq = 0;
    const events = [
      ev(null, 'PENDING', 'RUNNING'),
      ev('a', 'PENDING', 'RUNNING'),
      ev('a', 'RUNNING', 'SUCCESS'),
      ev('b', 'PENDING', 'RUNNING'),
      ev('b', 'RUNNING', 'FAILURE'),
      ev('b', 'FAILURE', 'REVERTING'),
      ev('b', 'REVERTING', 'REVERTED'),
      ev('a', 'SUCCESS', 'REVERTING'),
      ev('a', 'REVERTING', 'REVERTED'),
      ev(null, 'RUNNING', 'REVERTED'),
    ];
    expect(rootFailure(events)).toBe('b');
    expect(rootFailure([...events, ev(null, 'REVERTED', 'RUNNING')])).toBeUndefined();
  });
});

describe('progress', () => {
  it('counts finished atoms', () => {
    expect(progress({ a: 'SUCCESS', b: 'RUNNING', c: 'REVERTED', d: 'PENDING' })).toEqual({ done: 2, total: 4 });
  });
});
