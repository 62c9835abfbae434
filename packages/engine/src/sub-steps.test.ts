import { describe, expect, it } from 'vitest';

import { InMemoryStore } from './memory-store.js';
import { flow, harness } from './testing/harness.js';

const kopf = flow({
  root: {
    kind: 'linear',
    name: 'root',
    children: [{ name: 'create', type: 'test.steps', config: { steps: { a: 3, b: 7 }, delayMs: 5 }, provides: 'created' }],
  },
});

describe('Kopf sub-steps', () => {
  it('enters the body 7 times, runs a 3 times and b 7 times, and leaves once (a succeeded step never runs again)', async () => {
    const h = harness();
    const out = await h.engine.startRun(kopf);
    expect(out.state).toBe('SUCCESS');
    expect(out.results).toEqual({ created: { a: 3, b: 7 } });
    const steps = h.calls.filter((c) => c.fn === 'step') as Array<{ step: string; attempt: number }>;
    expect(steps.filter((s) => s.step === 'a').map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(steps.filter((s) => s.step === 'b').map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.calls.filter((c) => c.fn === 'execute')).toHaveLength(7);
    expect(h.calls.filter((c) => c.fn === 'leave')).toHaveLength(1);
    // the atom waits between entries, holding no slot
    expect(h.trace().filter((t) => t === 'create:RUNNING>WAITING')).toHaveLength(6);
    const loaded = await h.store.loadRun(out.runId);
    expect(loaded!.subSteps.map((s) => [s.name, s.state, s.attempts])).toEqual([
      ['a', 'SUCCESS', 3],
      ['b', 'SUCCESS', 7],
    ]);
    expect(h.events.filter((e) => e.kind === 'substep' && e.to === 'SUCCESS').map((e) => e.data!['step'])).toEqual(['a', 'b']);
  });

  it('after a crash, a resumed run does not run succeeded sub-steps again', async () => {
    const store = new InMemoryStore();
    let commits = 0;
    store.beforeCommit = (_id, change) => {
      // die right after sub-step "a" succeeded (the 2nd entry's b failure is the next commit)
      if (change.subSteps?.some((s) => s.name === 'a' && s.state === 'SUCCESS')) commits = 1;
      else if (commits === 1) throw new Error('power cut');
    };
    const h1 = harness({ store });
    await expect(h1.engine.startRun(kopf)).rejects.toThrow('power cut');
    store.beforeCommit = undefined;
    const runId = (await store.listRuns())[0]!.id;
    const before = await store.loadRun(runId);
    expect(before!.subSteps.find((s) => s.name === 'a')!.state).toBe('SUCCESS');
    const h2 = harness({ store });
    const out = await h2.engine.resumeRun(runId);
    expect(out.state).toBe('SUCCESS');
    expect(h2.calls.filter((c) => c.fn === 'step' && (c as { step: string }).step === 'a')).toHaveLength(0);
    expect(out.results['created']).toEqual({ a: 3, b: 7 });
  });

  it('a reverted atom starts its sub-steps afresh when retried by its controller', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'root',
          retry: { kind: 'times', attempts: 2, name: 'r' },
          children: [
            { name: 's', type: 'test.steps', config: { steps: { only: 1 }, delayMs: 1 } },
            { name: 'x', type: 'test.fail', config: { failTimes: 1 } },
          ],
        },
      }),
    );
    expect(out.state).toBe('SUCCESS');
    expect(h.calls.filter((c) => c.fn === 'step')).toHaveLength(2);
  });
});
