import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Engine, InMemoryStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type FlowDefinitionInput } from '@atomflow/model';

import { createRegistry } from './registry.js';
import { useCallLog } from './testing/call-log-file.js';

/**
 * The built-in atoms run by the real engine over its in-memory store: flows and expectations
 * are those of the shared conformance cases named in each test (the CLI runs the same flows).
 */
const engine = (): Engine => new Engine({ store: new InMemoryStore(), registry: createRegistry() });
const flow = (def: FlowDefinitionInput) => parseFlowDefinitionOrThrow(def);

describe('built-in atoms in the engine', () => {
  let calls: ReturnType<typeof useCallLog>;
  beforeEach(() => (calls = useCallLog()));
  afterEach(() => calls.dispose());

  it('k01: test.steps {a:3, b:7} is entered 7 times and leaves once', async () => {
    const out = await engine().startRun(
      flow({
        id: 'k01-kopf-substeps',
        revision: 1,
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'create', type: 'test.steps', version: 1, config: { steps: { a: 3, b: 7 }, delayMs: 10 }, provides: 'created' },
          ],
        },
      }),
    );
    expect(out.state).toBe('SUCCESS');
    expect(out.results).toEqual({ created: { a: 3, b: 7 } });
    const got = calls.read() as Array<{ fn: string; step?: string; attempt?: number }>;
    const summary = got.map((c) => (c.fn === 'step' ? `${c.step}${c.attempt}` : c.fn));
    expect(summary).toEqual([
      'execute',
      'a1',
      'b1',
      'execute',
      'a2',
      'b2',
      'execute',
      'a3',
      'b3',
      'execute',
      'b4',
      'execute',
      'b5',
      'execute',
      'b6',
      'execute',
      'b7',
      'leave',
    ]);
  });

  it('s02: a failure reverts in reverse order; the failed atom reverts with its failure', async () => {
    const out = await engine().startRun(
      flow({
        id: 's02-linear-failure-revert',
        revision: 1,
        root: {
          kind: 'linear',
          name: 'linear',
          children: [
            { name: 'a', version: 1, type: 'test.echo', config: { value: 1 }, provides: 'x' },
            { name: 'b', version: 1, type: 'test.echo', config: { value: 2 }, requires: ['x'] },
            { name: 'c', version: 1, type: 'test.fail', config: {} },
            { name: 'd', version: 1, type: 'test.echo', config: { value: 'd-result' } },
          ],
        },
      }),
    );
    expect(out.state).toBe('REVERTED');
    expect(out.failure?.message).toBe('c failed (attempt 1)');
    expect(calls.read()).toEqual([
      { atom: 'a', fn: 'execute', args: {} },
      { atom: 'b', fn: 'execute', args: { x: 1 } },
      { atom: 'c', fn: 'execute', args: {} },
      { atom: 'c', fn: 'revert', failure: { type: 'TestFailError', message: 'c failed (attempt 1)' } },
      { atom: 'b', fn: 'revert', result: 2 },
      { atom: 'a', fn: 'revert', result: 1 },
    ]);
  });

  it('s12: sum, pick and optional inputs with defaults', async () => {
    const out = await engine().startRun(
      flow({
        id: 's12-inject-rebind',
        revision: 1,
        root: {
          kind: 'linear',
          name: 'f',
          children: [
            { name: 'store_args', version: 1, type: 'test.echo', config: { sum: true }, requires: ['x', 'y'], provides: 's1' },
            {
              name: 'injected',
              version: 1,
              type: 'test.echo',
              config: { sum: true },
              requires: ['x', 'y'],
              inject: { y: 1000 },
              provides: 's2',
            },
            { name: 'pair_tuple', version: 1, type: 'test.echo', config: { value: [10, 20] }, provides: ['p0', 'p1'] },
            {
              name: 'opt_default',
              version: 1,
              type: 'test.echo',
              config: { pick: 'z', defaults: { z: 99 } },
              requires: ['x'],
              provides: 'o1',
            },
            {
              name: 'opt_rebound',
              version: 1,
              type: 'test.echo',
              config: { pick: 'z', defaults: { z: 99 } },
              requires: ['x'],
              rebind: { z: 'p1' },
              provides: 'o2',
            },
          ],
        },
      }),
      { inputs: { x: 1, y: 2 } },
    );
    expect(out.state).toBe('SUCCESS');
    expect(out.results).toMatchObject({ s1: 3, s2: 1001, p0: 10, p1: 20, o1: 99, o2: 20 });
    expect(calls.read()).toEqual([
      { atom: 'store_args', fn: 'execute', args: { x: 1, y: 2 } },
      { atom: 'injected', fn: 'execute', args: { x: 1, y: 1000 } },
      { atom: 'pair_tuple', fn: 'execute', args: {} },
      { atom: 'opt_default', fn: 'execute', args: { x: 1, z: 99 } },
      { atom: 'opt_rebound', fn: 'execute', args: { x: 1, z: 20 } },
    ]);
  });

  it('test.fail counts its executions over retries (retry controller times)', async () => {
    const out = await engine().startRun(
      flow({
        id: 'retry',
        revision: 1,
        root: {
          kind: 'linear',
          name: 'root',
          retry: { kind: 'times', attempts: 3 },
          children: [{ name: 'b', version: 1, type: 'test.fail', config: { failTimes: 2, value: 'B' }, provides: 'b' }],
        },
      }),
    );
    expect(out.state).toBe('SUCCESS');
    expect(out.results['b']).toBe('B');
    expect(calls.read().filter((c) => (c as { fn: string }).fn === 'execute')).toHaveLength(3);
  });

  it('delay waits for its deadline through the engine', async () => {
    const started = Date.now();
    const out = await engine().startRun(
      flow({
        id: 'wait',
        revision: 1,
        root: {
          kind: 'linear',
          name: 'root',
          children: [{ name: 'pause', version: 1, type: 'delay', config: { ms: 150 }, provides: 'waited' }],
        },
      }),
    );
    expect(out.state).toBe('SUCCESS');
    expect((out.results['waited'] as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("a wide graph of atoms waiting on the run's signal at once raises no MaxListenersExceeded warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const children = Array.from({ length: 30 }, (_, i) => ({ name: `s${i}`, type: 'test.sleep', version: 1, config: { ms: 20 } }));
      const out = await engine().startRun(flow({ id: 'wide-sleep', revision: 1, root: { kind: 'graph', name: 'root', children } }));
      expect(out.state).toBe('SUCCESS');
      await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on the next tick
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
