import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { RetryLater } from '@atomflow/engine';

import { useCallLog } from '../testing/call-log-file.js';
import { FakeAtomRun } from '../testing/fake-context.js';
import { testSteps } from './test-steps.js';

/**
 * The `calls` of /work/shared/conformance/cases/k01-kopf-substeps.json (copied: that case runs the
 * whole CLI, this one checks the atom alone). Only the listed keys are compared there.
 */
const K01_CALLS = [
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'a', attempt: 1 },
  { atom: 'create', fn: 'step', step: 'b', attempt: 1 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'a', attempt: 2 },
  { atom: 'create', fn: 'step', step: 'b', attempt: 2 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'a', attempt: 3 },
  { atom: 'create', fn: 'step', step: 'b', attempt: 3 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'b', attempt: 4 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'b', attempt: 5 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'b', attempt: 6 },
  { atom: 'create', fn: 'execute' },
  { atom: 'create', fn: 'step', step: 'b', attempt: 7 },
  { atom: 'create', fn: 'leave' },
];

describe('test.steps', () => {
  let calls: ReturnType<typeof useCallLog>;
  beforeEach(() => (calls = useCallLog()));
  afterEach(() => calls.dispose());

  it('{a:3, b:7}: entered 7 times, a called 3 times, b 7 times, leaves once (k01)', async () => {
    const r = new FakeAtomRun(testSteps, { steps: { a: 3, b: 7 }, delayMs: 10 }, { atom: 'create' });
    const { result, entries, delays } = await r.executeUntilDone({});
    expect(result).toEqual({ a: 3, b: 7 });
    expect(entries).toBe(7);
    expect(delays).toEqual([10, 10, 10, 10, 10, 10]);
    expect(calls.read()).toEqual(K01_CALLS.map((c) => (c.fn === 'execute' ? { ...c, args: {} } : c)));
  });

  it('each entry that is not done parks the atom with RetryLater(delayMs)', async () => {
    const r = new FakeAtomRun(testSteps, { steps: { only: 2 }, delayMs: 25 }, { atom: 's' });
    const error = await r.execute({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLater);
    expect((error as RetryLater).delayMs).toBe(25);
    expect(await r.execute({})).toEqual({ only: 2 });
  });

  it('a sub-step that succeeded is never called again, even when the body is re-entered', async () => {
    const r = new FakeAtomRun(testSteps, { steps: { a: 1, b: 2 } }, { atom: 's' });
    await r.execute({}).catch(() => undefined);
    await r.execute({});
    expect(calls.read().filter((c) => (c as { step?: string }).step === 'a')).toHaveLength(1);
  });

  it('a sub-step attempt is the one given by the engine (carried over a resume)', async () => {
    const r = new FakeAtomRun(testSteps, { steps: { a: 5 } }, { atom: 's' });
    r.subSteps.set('a', { attempts: 4, ok: false, error: new RetryLater('earlier process') });
    expect(await r.execute({})).toEqual({ a: 5 });
    expect(calls.read()).toEqual([
      { atom: 's', fn: 'execute', args: {} },
      { atom: 's', fn: 'step', step: 'a', attempt: 5 },
      { atom: 's', fn: 'leave' },
    ]);
  });

  it('keeps the step order written and rejects integer-like names that objects would reorder', () => {
    expect(Object.keys(testSteps.config!.parse({ steps: { z: 1, a: 1, m: 1 } }).steps)).toEqual(['z', 'a', 'm']);
    const r = testSteps.config!.safeParse({ steps: { b: 1, '2': 1 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('step names must not be integers (objects would reorder them)');
  });

  it('rejects a step count below 1', () => {
    expect(testSteps.config!.safeParse({ steps: { a: 0 } }).success).toBe(false);
  });
});
