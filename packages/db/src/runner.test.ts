import { describe, expect, it } from 'vitest';

import { literal } from './runner.js';

describe('literal', () => {
  it('quotes strings with doubled quotes and leaves backslashes alone (standard strings)', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(literal('a\\b')).toBe("'a\\b'");
    expect(literal("'); drop table runs; --")).toBe("'''); drop table runs; --'");
  });
  it('writes integers, booleans and null as keywords', () => {
    expect(literal(42)).toBe('42');
    expect(literal(-1)).toBe('-1');
    expect(literal(true)).toBe('true');
    expect(literal(null)).toBe('null');
  });
  it('refuses what cannot be inlined exactly', () => {
    expect(() => literal(1.5)).toThrow(RangeError);
    expect(() => literal(Number.NaN)).toThrow(RangeError);
    expect(() => literal('a\u0000b')).toThrow(RangeError);
  });
});
