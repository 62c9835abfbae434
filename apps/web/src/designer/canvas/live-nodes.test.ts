import { describe, expect, it } from 'vitest';

import { LiveNodes } from './live-nodes';

describe('LiveNodes', () => {
  it('tells only the nodes whose state or mark changed, and keeps the snapshot of the others', () => {
    const live = new LiveNodes();
    const told: string[] = [];
    for (const name of ['a', 'b', 'c']) live.subscribe(name, () => told.push(name));
    live.set({ a: 'RUNNING', b: 'PENDING' }, { a: { note: 'attempt 2' } });
    expect(told.sort()).toEqual(['a', 'b']);
    const a = live.get('a');
    expect(a).toEqual({ state: 'RUNNING', mark: { note: 'attempt 2' } });

    told.length = 0;
    // new objects, same content: nothing to tell
    live.set({ a: 'RUNNING', b: 'PENDING' }, { a: { note: 'attempt 2' } });
    expect(told).toEqual([]);
    expect(live.get('a')).toBe(a);

    live.set({ a: 'RUNNING', b: 'SUCCESS' }, { a: { note: 'attempt 2', root: true } });
    expect(told.sort()).toEqual(['a', 'b']);
    expect(live.get('b')).toEqual({ state: 'SUCCESS', mark: undefined });
  });

  it('tells a node that left the states, and stops telling after unsubscribing', () => {
    const live = new LiveNodes();
    let calls = 0;
    const off = live.subscribe('a', () => calls++);
    live.set({ a: 'RUNNING' }, {});
    live.set({}, {});
    expect(calls).toBe(2);
    expect(live.get('a')).toEqual({ state: undefined, mark: undefined });
    off();
    live.set({ a: 'SUCCESS' }, {});
    expect(calls).toBe(2);
  });

  it('tells subscribers of all atoms once per change set, not per atom, and not when nothing changed', () => {
    const live = new LiveNodes();
    let calls = 0;
    const off = live.subscribeAll(() => calls++);
    live.set({ a: 'RUNNING', b: 'RUNNING', c: 'PENDING' }, {});
    expect(calls).toBe(1);
    live.set({ a: 'RUNNING', b: 'RUNNING', c: 'PENDING' }, {});
    expect(calls).toBe(1);
    live.set({ a: 'SUCCESS', b: 'RUNNING', c: 'PENDING' }, {});
    expect(calls).toBe(2);
    off();
    live.set({ a: 'SUCCESS', b: 'SUCCESS', c: 'PENDING' }, {});
    expect(calls).toBe(2);
  });
});
