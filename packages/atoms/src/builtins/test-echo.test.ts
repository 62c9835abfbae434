import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { inputNamesOf } from '@atomflow/engine';

import { useCallLog } from '../testing/call-log-file.js';
import { FakeAtomRun } from '../testing/fake-context.js';
import { EchoError, testEcho } from './test-echo.js';

const run = (config: Record<string, unknown>, atom = 'e') => new FakeAtomRun(testEcho, config, { atom });

describe('test.echo', () => {
  let calls: ReturnType<typeof useCallLog>;
  beforeEach(() => (calls = useCallLog()));
  afterEach(() => calls.dispose());

  it('returns config.value', async () => {
    expect(await run({ value: 'v' }).execute({ x: 1 })).toBe('v');
    expect(await run({ value: [10, 20] }).execute({})).toEqual([10, 20]);
    expect(await run({ value: null }).execute({ x: 1 })).toBeNull();
  });

  it('returns its inputs without a value', async () => {
    expect(await run({}).execute({ x: 1, y: 'b' })).toEqual({ x: 1, y: 'b' });
    expect(await run({}).execute({})).toEqual({});
  });

  it('sum adds all input values and wins over value', async () => {
    expect(await run({ sum: true }).execute({ x: 1, y: 2 })).toBe(3);
    expect(await run({ sum: true, value: 'ignored' }).execute({ x: 1, y: 1000 })).toBe(1001);
    expect(await run({ sum: true }).execute({})).toBe(0);
  });

  it('sum rejects a non-numeric input clearly', async () => {
    const p = run({ sum: true }, 's').execute({ x: 1, y: 'two' });
    await expect(p).rejects.toBeInstanceOf(EchoError);
    await expect(run({ sum: true }, 's').execute({ y: 'two' })).rejects.toThrow('s: cannot sum input y: "two" is not a number');
  });

  it('pick returns one input and wins over value', async () => {
    expect(await run({ pick: 'z' }).execute({ x: 1, z: 20 })).toBe(20);
    expect(await run({ pick: 'z', value: 'ignored' }).execute({ z: 'zz' })).toBe('zz');
    await expect(run({ pick: 'q' }, 'p').execute({ x: 1 })).rejects.toThrow('p: no input named "q" to pick');
  });

  it('sum and pick together are an invalid config', () => {
    const r = testEcho.config!.safeParse({ sum: true, pick: 'x' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('sum and pick are exclusive');
  });

  it('defaults declare optional inputs (none required)', () => {
    expect(inputNamesOf(testEcho, testEcho.config!.parse({ pick: 'z', defaults: { z: 99 } }))).toEqual({ required: [], optional: { z: 99 } });
    expect(inputNamesOf(testEcho, testEcho.config!.parse({}))).toEqual({ required: [], optional: {} });
  });

  it('a missing optional input gets its default; a bound one wins', async () => {
    const config = { pick: 'z', defaults: { z: 99 } };
    expect(await run(config).execute({ x: 1 })).toBe(99);
    expect(await run(config).execute({ x: 1, z: undefined })).toBe(99);
    expect(await run(config).execute({ x: 1, z: 20 })).toBe(20);
  });

  it('logs execute with the inputs after defaults', async () => {
    await run({ pick: 'z', defaults: { z: 99 } }, 'opt_default').execute({ x: 1 });
    await run({ sum: true }, 'store_args').execute({ x: 1, y: 2 });
    expect(calls.read()).toEqual([
      { atom: 'opt_default', fn: 'execute', args: { x: 1, z: 99 } },
      { atom: 'store_args', fn: 'execute', args: { x: 1, y: 2 } },
    ]);
  });

  it('revert logs the stored result, or the failure when it is the atom that failed', async () => {
    await run({}, 'b').revert({}, { result: 2 });
    await run({}, 'c').revert({}, { failure: { type: 'TestFailError', message: 'c failed (attempt 1)', stack: 'x' } });
    await run({}, 'n').revert({}, { result: undefined });
    expect(calls.read()).toEqual([
      { atom: 'b', fn: 'revert', result: 2 },
      { atom: 'c', fn: 'revert', failure: { type: 'TestFailError', message: 'c failed (attempt 1)' } },
      { atom: 'n', fn: 'revert' },
    ]);
  });
});
