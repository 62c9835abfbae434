import { describe, expect, it } from 'vitest';

import { keepUnchanged, sameValue } from './keep-unchanged';

describe('sameValue', () => {
  it('compares plain objects and arrays by structure', () => {
    expect(sameValue({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
  });

  it('compares anything but plain objects by identity', () => {
    const s = new Set([1]);
    expect(sameValue(s, s)).toBe(true);
    expect(sameValue(new Set([1]), new Set([1]))).toBe(false);
  });
});

describe('keepUnchanged', () => {
  const node = (id: string, state: string) => ({ id, data: { state, atom: { name: id, config: { ms: 1 } } } });

  it('keeps what React Flow holds for unchanged items and takes the changed ones', () => {
    const sources = new Map<string, ReturnType<typeof node>>();
    const first = [node('a', 'PENDING'), node('b', 'PENDING')];
    const shown1 = keepUnchanged([], first, sources);
    expect(shown1).toEqual(first);
    // React Flow added a measured size to a's object
    const shownA = { ...shown1[0]!, measured: { width: 10, height: 5 } };
    const second = [node('a', 'PENDING'), node('b', 'RUNNING')];
    const shown2 = keepUnchanged([shownA, shown1[1]!], second, sources);
    expect(shown2[0]).toBe(shownA);
    expect(shown2[1]).toBe(second[1]);
    // nothing changed since: the same array
    expect(keepUnchanged(shown2, [node('a', 'PENDING'), node('b', 'RUNNING')], sources)).toBe(shown2);
  });

  it('takes new items, drops removed ones and follows the new order', () => {
    const sources = new Map<string, ReturnType<typeof node>>();
    const shown1 = keepUnchanged([], [node('a', 'X'), node('b', 'X')], sources);
    const shown2 = keepUnchanged(shown1, [node('c', 'X'), node('a', 'X')], sources);
    expect(shown2.map((n) => n.id)).toEqual(['c', 'a']);
    expect(shown2[1]).toBe(shown1[0]);
    // b came back: it is new again (its source was forgotten)
    const b = node('b', 'X');
    expect(keepUnchanged(shown2, [b], sources)[0]).toBe(b);
  });
});
