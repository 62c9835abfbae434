import type { RunEvent } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { EventHub } from './event-hub.js';

const ev = (runId: string, seq: number): RunEvent => ({
  runId,
  seq,
  kind: 'flow',
  atom: null,
  from: 'PENDING',
  to: 'RUNNING',
  data: null,
  at: '1970-01-01T00:00:00.000Z',
});

describe('EventHub', () => {
  it('delivers a run’s events to its subscribers and every event to global ones', () => {
    const failures: unknown[] = [];
    const hub = new EventHub((e) => failures.push(e));
    const ofA: number[] = [];
    const all: string[] = [];
    const offA = hub.subscribe((e) => ofA.push(e.seq), 'a');
    hub.subscribe(() => {
      throw new Error('broken listener');
    });
    const offAll = hub.subscribe((e) => all.push(`${e.runId}${e.seq}`));
    hub.publish([ev('a', 1), ev('b', 1), ev('a', 2)]);
    expect(ofA).toEqual([1, 2]);
    expect(all).toEqual(['a1', 'b1', 'a2']);
    expect(failures).toHaveLength(3);
    offA();
    offAll();
    expect(hub.size).toBe(1);
    hub.publish([ev('a', 3)]);
    expect(ofA).toEqual([1, 2]);
  });
});
