import { describe, expect, it } from 'vitest';

import { echo, fail, flow, harness } from './testing/harness.js';

const execs = (calls: Array<{ atom: string; fn: string }>): string[] => calls.filter((c) => c.fn === 'execute').map((c) => c.atom);
const reverts = (calls: Array<{ atom: string; fn: string }>): string[] => calls.filter((c) => c.fn === 'revert').map((c) => c.atom);

describe('retry controllers', () => {
  it('times exhausted: reverts the subflow and its controller only; the run is REVERTED, outside atoms stay SUCCESS', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'outer',
          children: [
            echo('pre', { provides: 'p' }),
            { kind: 'linear', name: 'inner', retry: { kind: 'times', attempts: 2, name: 'r' }, children: [echo('a'), fail('b')] },
          ],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(out.failure?.message).toBe('b failed (attempt 2)');
    expect(out.results).toEqual({ p: 'pre-result' });
    expect(execs(h.calls)).toEqual(['pre', 'a', 'b', 'a', 'b']);
    expect(reverts(h.calls)).toEqual(['b', 'a', 'b', 'a']);
    expect(h.trace().slice(-7)).toEqual(
      [
        'b:RUNNING>FAILURE',
        'b:FAILURE>REVERTING',
        'b:REVERTING>REVERTED',
        'a:SUCCESS>REVERTING',
        'a:REVERTING>REVERTED',
        'r:SUCCESS>REVERTING',
        'r:REVERTING>REVERTED',
        'flow:RUNNING>REVERTED',
      ].slice(-7),
    );
    const loaded = await h.store.loadRun(out.runId);
    expect(loaded!.atoms.find((a) => a.name === 'pre')!.state).toBe('SUCCESS');
    expect(loaded!.atoms.find((a) => a.name === 'r')!.history).toEqual([]);
  });

  it('times with revertAll reverts everything once exhausted', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'outer',
          children: [
            echo('pre'),
            { kind: 'linear', name: 'inner', retry: { kind: 'times', attempts: 2, name: 'r', revertAll: true }, children: [fail('b')] },
          ],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(reverts(h.calls)).toEqual(['b', 'b', 'pre']);
  });

  it('forEach exhausted reverts its subflow after trying every value in order', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'f',
          retry: { kind: 'forEach', values: ['v1', 'v2'], name: 'r', provides: 'val' },
          children: [fail('use', {}, { requires: ['val'] })],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(h.calls.filter((c) => c.fn === 'execute').map((c) => (c as { args: unknown }).args)).toEqual([{ val: 'v1' }, { val: 'v2' }]);
    expect(h.trace()).toContain('r:SUCCESS>REVERTING');
  });

  it('deferReverts: a REVERT with no parent controller reverts the enclosing flow too', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        options: { deferReverts: true },
        root: {
          kind: 'linear',
          name: 'outer',
          children: [
            echo('pre'),
            { kind: 'linear', name: 'inner', retry: { kind: 'alwaysRevert', name: 'ri' }, children: [echo('b'), fail('c')] },
          ],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(reverts(h.calls)).toEqual(['c', 'b', 'pre']);
  });

  it('nested: REVERT defers to a parent that RETRYs the whole parent subflow; once the parent gives up only the inner subflow is reverted (TaskFlow)', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'outer',
          retry: { kind: 'times', attempts: 2, name: 'ro' },
          children: [
            echo('pre'),
            { kind: 'linear', name: 'inner', retry: { kind: 'alwaysRevert', name: 'ri' }, children: [echo('b'), fail('c')] },
          ],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(execs(h.calls)).toEqual(['pre', 'b', 'c', 'pre', 'b', 'c']);
    expect(reverts(h.calls)).toEqual(['c', 'b', 'pre', 'c', 'b']);
    const t = h.trace();
    expect(t).toContain('ro:SUCCESS>RETRYING');
    const last = t.slice(t.lastIndexOf('c:RUNNING>FAILURE'));
    expect(last).toEqual([
      'c:RUNNING>FAILURE',
      'c:FAILURE>REVERTING',
      'c:REVERTING>REVERTED',
      'b:SUCCESS>REVERTING',
      'b:REVERTING>REVERTED',
      'ri:SUCCESS>REVERTING',
      'ri:REVERTING>REVERTED',
      'flow:RUNNING>REVERTED',
    ]);
  });

  it('alwaysRevertAll ignores the parent controller', async () => {
    const h = harness();
    await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'outer',
          retry: { kind: 'times', attempts: 5, name: 'ro' },
          children: [echo('pre'), { kind: 'linear', name: 'inner', retry: { kind: 'alwaysRevertAll', name: 'ri' }, children: [fail('c')] }],
        },
      }),
    );
    expect(execs(h.calls)).toEqual(['pre', 'c']);
  });

  it('delay and exponential backoff park the controller WAITING with growing delays', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'f',
          retry: { kind: 'times', attempts: 3, name: 'r', delayMs: 20, backoff: { factor: 3 } },
          children: [fail('x', { failTimes: 2, value: 'ok' })],
        },
      }),
    );
    expect(out.state).toBe('SUCCESS');
    const waits = h.events.filter((e) => e.atom === 'r' && e.to === 'WAITING');
    expect(waits).toHaveLength(2);
    const delays = waits.map((e) => Date.parse(String(e.data!['wakeAt'])) - Date.parse(e.at));
    expect(delays[0]).toBeGreaterThanOrEqual(15);
    expect(delays[0]).toBeLessThan(40);
    expect(delays[1]).toBeGreaterThanOrEqual(55);
    expect(h.trace()).toEqual(expect.arrayContaining(['r:SUCCESS>RETRYING', 'r:RETRYING>WAITING', 'r:WAITING>RUNNING']));
  });

  it('parameterizedForEach reads its values from a run input and fails cleanly when the input is not an array', async () => {
    const h = harness();
    const def = flow({
      root: {
        kind: 'linear',
        name: 'f',
        retry: { kind: 'parameterizedForEach', from: 'hosts', name: 'r', provides: 'host' },
        children: [echo('boot', { requires: ['host'] })],
      },
    });
    const bad = await h.engine.startRun(def, { inputs: { hosts: 'h1' } });
    expect(bad.state).toBe('REVERTED');
    expect(bad.failure?.message).toMatch(/expects "hosts" to be an array/);
    const good = await h.engine.startRun(def, { inputs: { hosts: ['h1'] } });
    expect(good.results['host']).toBe('h1');
  });
});
