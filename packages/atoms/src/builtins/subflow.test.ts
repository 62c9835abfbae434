import { describe, expect, it } from 'vitest';

import { FakeAtomRun } from '../testing/fake-context.js';
import { SubflowNotExpandedError, subflow } from './subflow.js';

describe('subflow', () => {
  it('takes a flow id and an optional revision, nothing else', () => {
    const issue = (c: Record<string, unknown>) => subflow.config!.safeParse(c).error?.issues[0];
    expect(subflow.config!.parse({ flowId: 'payment' })).toEqual({ flowId: 'payment' });
    expect(subflow.config!.parse({ flowId: 'payment', revision: 3 })).toEqual({ flowId: 'payment', revision: 3 });
    expect(issue({})?.path).toEqual(['flowId']);
    expect(issue({ flowId: 'bad id!' })?.message).toMatch(/letters, digits/);
    expect(issue({ flowId: 'p', revision: 0 })?.message).toBe('must be ≥ 1');
    expect(issue({ flowId: 'p', other: 1 })?.code).toBe('unrecognized_keys');
  });

  it('refuses to execute unexpanded, saying how to run it', async () => {
    const r = new FakeAtomRun(subflow, { flowId: 'payment' }, { atom: 'pay' });
    await expect(r.execute({})).rejects.toThrow(SubflowNotExpandedError);
    await expect(r.execute({})).rejects.toThrow(/subflow "pay" \(flow payment\) was not expanded/);
  });
});
