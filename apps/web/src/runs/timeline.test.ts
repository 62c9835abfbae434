import { describe, expect, it } from 'vitest';

import type { MonitorEvent } from './live-state';
import { timelineBars, timelineRows, timelineSpan, type TimelineBar } from './timeline';

let seq = 0;
const ev = (atom: string, from: string, to: string, data: Record<string, unknown> | null = null): MonitorEvent => ({
  seq: ++seq,
  kind: 'atom',
  atom,
  from,
  to,
  data,
  at: new Date(1_000 * seq).toISOString(),
});

describe('timelineBars', () => {
  it('makes one bar per execute attempt and one per revert', () => {
    seq = 0;
    const bars = timelineBars([
      ev('a', 'PENDING', 'RUNNING', { attempt: 1 }),
      ev('a', 'RUNNING', 'SUCCESS'),
      ev('b', 'PENDING', 'RUNNING', { attempt: 1 }),
      ev('b', 'RUNNING', 'FAILURE'),
      ev('b', 'FAILURE', 'REVERTING'),
      ev('b', 'REVERTING', 'REVERTED'),
      ev('a', 'SUCCESS', 'REVERTING'),
      ev('a', 'REVERTING', 'REVERTED'),
      ev('b', 'REVERTED', 'RUNNING', { attempt: 2 }),
    ]);
    expect(bars.map((b) => [b.atom, b.kind, b.attempt, b.state, b.start / 1000, b.end === undefined ? null : b.end / 1000])).toEqual([
      ['a', 'execute', 1, 'SUCCESS', 1, 2],
      ['b', 'execute', 1, 'FAILURE', 3, 4],
      ['b', 'revert', 1, 'REVERTED', 5, 6],
      ['a', 'revert', 1, 'REVERTED', 7, 8],
      ['b', 'execute', 2, 'RUNNING', 9, null],
    ]);
    expect(timelineRows(bars)).toEqual(['a', 'b']);
  });

  it('ends an execution that parks WAITING and starts another on wake-up', () => {
    seq = 0;
    const bars = timelineBars([
      ev('s', 'PENDING', 'RUNNING', { attempt: 1 }),
      ev('s', 'RUNNING', 'WAITING', { wakeAt: 'x' }),
      ev('s', 'WAITING', 'RUNNING', { attempt: 2 }),
      ev('s', 'RUNNING', 'SUCCESS'),
    ]);
    expect(bars.map((b) => [b.attempt, b.state])).toEqual([
      [1, 'WAITING'],
      [2, 'SUCCESS'],
    ]);
  });
});

describe('timelineSpan', () => {
  const bar = (start: number, end?: number): TimelineBar => ({
    atom: 'a',
    kind: 'execute',
    attempt: 1,
    start,
    ...(end !== undefined ? { end } : {}),
    state: 'SUCCESS',
  });

  it('is exact once the run has stopped', () => {
    expect(timelineSpan([bar(1000, 1500), bar(1200, 4321)], false, 99_999)).toEqual({ start: 1000, end: 4321 });
    expect(timelineSpan([bar(1000)], false, 99_999)).toEqual({ start: 1000, end: 1001 });
  });

  it('live: running bars reach now, and the end moves in coarse steps', () => {
    expect(timelineSpan([bar(0, 300), bar(300)], true, 700)).toEqual({ start: 0, end: 1000 });
    // events a few ms apart do not move the scale
    const a = timelineSpan([bar(0, 20_000), bar(20_000, 20_010)], true, 20_005);
    const b = timelineSpan([bar(0, 20_000), bar(20_000, 20_040)], true, 20_030);
    expect(a).toEqual(b);
    expect(a.end).toBeGreaterThanOrEqual(20_010);
    expect(a.end - 20_010).toBeLessThanOrEqual(2048);
  });
});
