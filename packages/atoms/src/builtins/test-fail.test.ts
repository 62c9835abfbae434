import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { inputNamesOf } from '@atomflow/engine';

import { useCallLog } from '../testing/call-log-file.js';
import { FakeAtomRun } from '../testing/fake-context.js';
import { TestFailError, testFail } from './test-fail.js';

describe('test.fail', () => {
  let calls: ReturnType<typeof useCallLog>;
  beforeEach(() => (calls = useCallLog()));
  afterEach(() => calls.dispose());

  it('without failTimes fails every execution, numbering the attempts', async () => {
    const r = new FakeAtomRun(testFail, {}, { atom: 'X' });
    for (let n = 1; n <= 4; n++) {
      const error = await r.execute({}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TestFailError);
      expect((error as Error).message).toBe(`X failed (attempt ${n})`);
      expect((error as Error).name).toBe('TestFailError');
    }
  });

  it('fails the first failTimes executions, then returns config.value', async () => {
    const r = new FakeAtomRun(testFail, { failTimes: 2, value: 'B' }, { atom: 'b' });
    await expect(r.execute({})).rejects.toThrow('b failed (attempt 1)');
    await expect(r.execute({})).rejects.toThrow('b failed (attempt 2)');
    expect(await r.execute({})).toBe('B');
    expect(await r.execute({})).toBe('B');
  });

  it('the counter is ctx.attempt as the engine gives it (e.g. after a resume)', async () => {
    const r = new FakeAtomRun(testFail, { failTimes: 2 }, { atom: 'b' });
    r.executions = 2; // two executions already happened before this process resumed the run
    expect(await r.execute({ attempt: 3 })).toEqual({ attempt: 3 });
  });

  it('failTimes 0 never fails (absent means always)', async () => {
    const r = new FakeAtomRun(testFail, { failTimes: 0, value: 'b-result' }, { atom: 'b' });
    expect(await r.execute({})).toBe('b-result');
    await expect(new FakeAtomRun(testFail, {}, { atom: 'b' }).execute({})).rejects.toThrow('b failed (attempt 1)');
  });

  it('returns its inputs when it succeeds without a value', async () => {
    expect(await new FakeAtomRun(testFail, { failTimes: 0 }).execute({ x: 1 })).toEqual({ x: 1 });
  });

  it('rejects a negative or fractional failTimes', () => {
    expect(testFail.config!.safeParse({ failTimes: -1 }).success).toBe(false);
    expect(testFail.config!.safeParse({ failTimes: 1.5 }).success).toBe(false);
  });

  it('has no declared inputs of its own', () => {
    expect(inputNamesOf(testFail, testFail.config!.parse({}))).toEqual({ required: [], optional: {} });
  });

  it('revert succeeds by default and throws "X revert failed" with revertFails', async () => {
    expect(await new FakeAtomRun(testFail, { failTimes: 0 }, { atom: 'a' }).revert({}, { result: 'r' })).toBeUndefined();
    const b = new FakeAtomRun(testFail, { failTimes: 0, revertFails: true }, { atom: 'b' });
    const error = await Promise.resolve(b.revert({}, { result: 'b-result' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestFailError);
    expect((error as Error).message).toBe('b revert failed');
  });

  it('logs every execute and revert, including failing ones, in order', async () => {
    const r = new FakeAtomRun(testFail, { failTimes: 1, value: 'B', revertFails: true }, { atom: 'b' });
    await r.execute({ attempt: 1 }).catch(() => undefined);
    await Promise.resolve(r.revert({ attempt: 1 }, { failure: { type: 'TestFailError', message: 'b failed (attempt 1)' } })).catch(() => undefined);
    await r.execute({ attempt: 2 });
    await Promise.resolve(r.revert({ attempt: 2 }, { result: 'B' })).catch(() => undefined);
    expect(calls.read()).toEqual([
      { atom: 'b', fn: 'execute', args: { attempt: 1 } },
      { atom: 'b', fn: 'revert', failure: { type: 'TestFailError', message: 'b failed (attempt 1)' } },
      { atom: 'b', fn: 'execute', args: { attempt: 2 } },
      { atom: 'b', fn: 'revert', result: 'B' },
    ]);
  });
});
