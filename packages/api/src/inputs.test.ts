import { describe, expect, it } from 'vitest';

import { jsonObject, jsonProblem, text } from './inputs.js';

describe('inputs the database can store', () => {
  it('finds NUL characters anywhere, non-finite numbers and excessive nesting', () => {
    expect(jsonProblem({ a: [1, 'ok', { b: null }] })).toBeUndefined();
    expect(jsonProblem({ a: ['x\u0000'] })).toBe('text must not contain NUL characters');
    expect(jsonProblem({ 'k\u0000': 1 })).toBe('keys must not contain NUL characters');
    expect(jsonProblem([Number.POSITIVE_INFINITY])).toBe('numbers must be finite');
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(jsonProblem(deep)).toMatch(/^nested more than/);
  });

  it('refuses NUL and overlong text, and non-JSON objects', () => {
    expect(text(5).safeParse('abc').success).toBe(true);
    expect(text(5).safeParse('abcdef').success).toBe(false);
    expect(text(5).safeParse('a\u0000').success).toBe(false);
    expect(jsonObject.safeParse({ a: 'b\u0000' }).success).toBe(false);
    expect(jsonObject.safeParse([1]).success).toBe(false);
  });
});
