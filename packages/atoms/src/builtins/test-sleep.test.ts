import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CancelledError } from '@atomflow/engine';

import { useCallLog } from '../testing/call-log-file.js';
import { FakeAtomRun } from '../testing/fake-context.js';
import { testSleep } from './test-sleep.js';

describe('test.sleep', () => {
  let calls: ReturnType<typeof useCallLog>;
  beforeEach(() => (calls = useCallLog()));
  afterEach(() => calls.dispose());

  it('sleeps ms, then returns its inputs (or config.value)', async () => {
    const started = performance.now();
    expect(await new FakeAtomRun(testSleep, { ms: 60 }).execute({ x: 1 })).toEqual({ x: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(await new FakeAtomRun(testSleep, { ms: 0, value: 'v' }).execute({})).toBe('v');
  });

  it('a cancelled run aborts the sleep with CancelledError', async () => {
    const ac = new AbortController();
    const r = new FakeAtomRun(testSleep, { ms: 10_000 }, { atom: 's', signal: ac.signal });
    const started = performance.now();
    const p = r.execute({});
    setTimeout(() => ac.abort(new Error('run cancelled')), 30);
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('s cancelled while sleeping');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('an already aborted signal cancels at once', async () => {
    const r = new FakeAtomRun(testSleep, { ms: 10_000 }, { signal: AbortSignal.abort() });
    await expect(r.execute({})).rejects.toBeInstanceOf(CancelledError);
  });

  it('logs its execute and revert calls', async () => {
    const r = new FakeAtomRun(testSleep, { ms: 1 }, { atom: 's' });
    const result = await r.execute({ v: 'V' });
    await r.revert({ v: 'V' }, { result });
    expect(calls.read()).toEqual([
      { atom: 's', fn: 'execute', args: { v: 'V' } },
      { atom: 's', fn: 'revert', result: { v: 'V' } },
    ]);
  });
});
