import { describe, expect, it } from 'vitest';

import { FakeAtomRun } from '../testing/fake-context.js';
import { log } from './log.js';

describe('log', () => {
  it('writes the rendered message through ctx.log and returns it with its inputs', async () => {
    const r = new FakeAtomRun(log, { message: 'reserved {{reservation.id}} ({{count}})', level: 'warn' });
    const inputs = { reservation: { id: 'r-1' }, count: 2 };
    expect(await r.execute(inputs)).toEqual({ message: 'reserved r-1 (2)', level: 'warn', inputs });
    expect(r.logs).toEqual([{ message: 'reserved r-1 (2)', data: { level: 'warn', inputs } }]);
  });

  it('defaults to level info', async () => {
    const r = new FakeAtomRun(log, { message: 'hello' });
    expect(await r.execute({})).toEqual({ message: 'hello', level: 'info', inputs: {} });
  });

  it('rejects an empty message or an unknown level', () => {
    expect(log.config!.safeParse({ message: '' }).error?.issues[0]?.message).toBe('message must not be empty');
    expect(log.config!.safeParse({ message: 'x', level: 'loud' }).success).toBe(false);
  });
});
