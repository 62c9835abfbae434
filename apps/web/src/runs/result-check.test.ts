import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { checkResult } from './result-check';

describe('checkResult', () => {
  const schema = z.toJSONSchema(z.object({ id: z.string(), n: z.number() }), { io: 'output' }) as Record<string, unknown>;
  it('needs JSON', () => {
    expect(checkResult('{nope', null)).toMatchObject({ error: expect.stringMatching(/^not JSON/) as unknown });
  });
  it('takes anything JSON when the atom declares no outputs', () => {
    expect(checkResult('[1, 2]', null)).toEqual({ value: [1, 2] });
  });
  it('checks against the output schema, saying where it is wrong', () => {
    expect(checkResult('{"id": "a", "n": 1}', schema)).toEqual({ value: { id: 'a', n: 1 } });
    const bad = checkResult('{"id": "a", "n": "x"}', schema);
    expect('error' in bad && bad.error).toMatch(/output schema at n/);
  });
});
