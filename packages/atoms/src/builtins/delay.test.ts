import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { RetryLater } from '@atomflow/engine';

import { FakeAtomRun } from '../testing/fake-context.js';
import { delay } from './delay.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('delay', () => {
  beforeEach(() => {
    // Only the clock is faked: the atom must not rely on timers at all.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('parks with RetryLater until its deadline, then returns waitedMs', async () => {
    const r = new FakeAtomRun(delay, { ms: 5_000 });

    const first = await r.execute({}).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RetryLater);
    expect((first as RetryLater).delayMs).toBe(5_000);
    expect((first as RetryLater).message).toBe('waiting until 2026-01-01T00:00:05.000Z');

    vi.setSystemTime(T0 + 3_000);
    const second = await r.execute({}).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RetryLater);
    expect((second as RetryLater).delayMs).toBe(2_000);

    vi.setSystemTime(T0 + 5_000);
    expect(await r.execute({})).toEqual({ waitedMs: 5_000 });
  });

  it('stores its deadline once: a late re-entry (after a crash or a resume) does not start over', async () => {
    const r = new FakeAtomRun(delay, { ms: 1_000 });
    await r.execute({}).catch(() => undefined);
    expect(r.subSteps.get('deadline')).toMatchObject({ ok: true, result: T0 + 1_000 });
    vi.setSystemTime(T0 + 60_000);
    expect(await r.execute({})).toEqual({ waitedMs: 60_000 });
    expect(r.subSteps.get('deadline')).toMatchObject({ ok: true, result: T0 + 1_000, attempts: 1 });
  });

  it('ms 0 returns at once', async () => {
    expect(await new FakeAtomRun(delay, { ms: 0 }).execute({})).toEqual({ waitedMs: 0 });
  });

  it('rejects a missing or negative ms', () => {
    expect(delay.config!.safeParse({}).success).toBe(false);
    expect(delay.config!.safeParse({ ms: -1 }).success).toBe(false);
  });
});
