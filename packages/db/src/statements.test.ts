import { describe, expect, it } from 'vitest';

import { CLAIM_RUNS, COMMIT, COMMIT_MANY, CREATE_RUN, LOAD_RUN } from './statements.js';

describe('prepared statements', () => {
  it.each([COMMIT, COMMIT_MANY, CREATE_RUN, CLAIM_RUNS, LOAD_RUN])('$name declares a type for each of its parameters', (statement) => {
    const used = [...statement.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...used)).toBe(statement.paramTypes.length);
    for (let n = 1; n <= statement.paramTypes.length; n++) expect(used).toContain(n);
    // Every use casts to the declared type, so both drivers infer the same parameter types.
    for (const m of statement.text.matchAll(/\$(\d+)(?:::(double precision|[a-z]+))?/g)) {
      expect(m[2], `$${m[1]}`).toBe(statement.paramTypes[Number(m[1]) - 1]);
    }
  });
});
