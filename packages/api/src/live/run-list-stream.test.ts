import { describe, expect, it } from 'vitest';

import { pgTimeMs } from './run-list-stream.js';

describe('pgTimeMs', () => {
  it('reads PostgreSQL timestamptz text with or without fractions and minutes in the offset', () => {
    expect(pgTimeMs('2024-05-01 12:00:00.123456+00')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(pgTimeMs('2024-05-01 12:00:00+00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(pgTimeMs('2024-05-01 14:00:00.5+02:00')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
  });
});
