import { describe, expect, it } from 'vitest';

import { storableFailure, storableText, unstorableReason } from './storable.js';

describe('unstorableReason', () => {
  it('accepts JSON values, Dates and undefined properties', () => {
    for (const v of [
      undefined,
      null,
      true,
      0,
      -1.5,
      '',
      'text',
      [],
      {},
      [1, [2, [3]]],
      { a: { b: [null, 'x'] } },
      new Date(0),
      { gone: undefined },
    ])
      expect(unstorableReason(v)).toBeUndefined();
    // shared (not cyclic) references are fine: JSON just repeats them
    const shared = { x: 1 };
    expect(unstorableReason({ a: shared, b: [shared, shared] })).toBeUndefined();
  });

  it('names what cannot be stored and where', () => {
    const cycle: unknown[] = [];
    cycle.push({ back: cycle });
    expect(unstorableReason('a\u0000')).toBe('$ contains a NUL character (\\u0000)');
    expect(unstorableReason({ 'odd key': ['x', 'y\u0000'] })).toBe('$["odd key"][1] contains a NUL character (\\u0000)');
    expect(unstorableReason([1n])).toBe('$[0] is a BigInt (1n)');
    expect(unstorableReason(cycle)).toBe('$[0].back refers back to an enclosing object (a cycle)');
    expect(unstorableReason({ f() {} })).toBe('$.f is a function');
    expect(unstorableReason(Symbol('s'))).toBe('$ is a symbol');
    expect(unstorableReason(Number.POSITIVE_INFINITY)).toBe('$ is Infinity, which JSON cannot represent');
    expect(unstorableReason(new Set())).toBe('$ is a Set, which JSON cannot represent');
    expect(unstorableReason({ toJSON: () => 1n })).toBe('$ is a BigInt (1n)');
    expect(
      unstorableReason({
        toJSON() {
          throw new Error('no');
        },
      }),
    ).toBe('$.toJSON() threw: no');
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(unstorableReason(deep)).toMatch(/nested more than \d+ levels deep/);
  });
});

describe('storableFailure', () => {
  it('keeps a storable failure as it is', () => {
    const f = { type: 'Error', message: 'plain', details: { status: 500 } };
    expect(storableFailure('failure of "a"', f)).toBe(f);
  });

  it('says what was wrong and keeps a cleaned copy as the cause', () => {
    const f = {
      type: 'Error',
      message: 'x\u0000y',
      stack: 's\u0000',
      cause: { type: 'Inner', message: 'i\u0000' },
      details: { n: 1n, k: 'v\u0000', fn: () => 1 },
    };
    const out = storableFailure('failure of "a"', f);
    expect(out.message).toBe('failure of "a" cannot be stored: failure.message contains a NUL character (\\u0000)');
    expect(out.cause).toEqual({
      type: 'Error',
      message: 'x\uFFFDy',
      stack: 's\uFFFD',
      cause: { type: 'Inner', message: 'i\uFFFD' },
      details: { n: '1n', k: 'v\uFFFD', fn: '[function]' },
    });
    expect(unstorableReason(out)).toBeUndefined();
  });

  it('storableText replaces NUL characters only', () => {
    expect(storableText('a\u0000b\u0000')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('plain')).toBe('plain');
  });
});
