import { describe, expect, it } from 'vitest';

import { AtomRegistry } from './registry.js';
import { Engine } from './engine.js';
import { InMemoryStore } from './memory-store.js';
import { echo, fail, flow, harness } from './testing/harness.js';

describe('scheduling', () => {
  it('unordered: every ready atom starts before any result is collected; a failure reverts every succeeded sibling', async () => {
    const h = harness();
    const out = await h.engine.startRun(flow({ root: { kind: 'unordered', name: 'u', children: [echo('a'), fail('b'), echo('c')] } }));
    expect(out.state).toBe('REVERTED');
    const t = h.trace();
    const lastStart = Math.max(...['a', 'b', 'c'].map((n) => t.indexOf(`${n}:PENDING>RUNNING`)));
    const firstEnd = Math.min(...t.map((x, i) => (/RUNNING>(SUCCESS|FAILURE)/.test(x) ? i : Infinity)));
    expect(lastStart).toBeLessThan(firstEnd);
    expect(t.filter((x) => x.endsWith('REVERTING>REVERTED')).length).toBe(3);
  });

  it('graph order follows requires/provides and explicit edges', async () => {
    const h = harness();
    await h.engine.startRun(
      flow({
        root: {
          kind: 'graph',
          name: 'g',
          children: [
            echo('sink', { requires: ['l', 'r'] }),
            echo('audit'),
            echo('left', { requires: ['v'], provides: 'l' }),
            echo('right', { requires: ['v'], provides: 'r' }),
            echo('src', { provides: 'v' }),
          ],
          edges: [{ from: 'sink', to: 'audit' }],
        },
      }),
    );
    const order = h.calls.map((c) => c.atom);
    expect(order[0]).toBe('src');
    expect(order.indexOf('sink')).toBeGreaterThan(Math.max(order.indexOf('left'), order.indexOf('right')));
    expect(order.at(-1)).toBe('audit');
  });

  it('never runs more than maxParallel atoms at once', async () => {
    let running = 0;
    let peak = 0;
    const registry = new AtomRegistry([
      {
        type: 'probe',
        version: 1,
        async execute() {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return null;
        },
      },
    ]);
    const engine = new Engine({ store: new InMemoryStore(), registry, maxParallel: 3 });
    const out = await engine.startRun(
      flow({ root: { kind: 'unordered', name: 'u', children: Array.from({ length: 12 }, (_, i) => ({ name: `p${i}`, type: 'probe' })) } }),
    );
    expect(out.state).toBe('SUCCESS');
    expect(peak).toBe(3);
  });

  it('validates atom outputs against the output schema', async () => {
    const { z } = await import('zod');
    const registry = new AtomRegistry([{ type: 'bad-out', version: 1, outputs: z.object({ n: z.number() }), execute: () => ({ n: 'x' }) }]);
    const engine = new Engine({ store: new InMemoryStore(), registry });
    const out = await engine.startRun(flow({ root: { kind: 'linear', name: 'f', children: [{ name: 'o', type: 'bad-out' }] } }));
    expect(out.state).toBe('REVERTED');
    expect(out.failure?.type).toBe('ZodError');
  });

  it('a run with missing inputs is refused before anything is recorded', async () => {
    const h = harness();
    await expect(
      h.engine.startRun(flow({ root: { kind: 'linear', name: 'f', children: [echo('a', { requires: ['need'] })] } })),
    ).rejects.toThrow('"a" requires "need", which no atom provides and is not a run input');
    expect(await h.store.listRuns()).toEqual([]);
  });

  it('parks a run WAITING when its next timer is beyond the hold window, and resumes it later', async () => {
    const h = harness({ holdTimersUpToMs: 0 });
    const def = flow({
      root: { kind: 'linear', name: 'root', children: [{ name: 'k', type: 'test.steps', config: { steps: { a: 2 }, delayMs: 30 } }] },
    });
    const first = await h.engine.startRun(def);
    expect(first.state).toBe('WAITING');
    expect(Date.parse(first.wakeAt!)).toBeGreaterThan(Date.now());
    expect(await h.store.dueTimers(new Date(Date.now() + 60_000).toISOString())).toEqual([
      { runId: first.runId, atom: 'k', wakeAt: first.wakeAt },
    ]);
    await new Promise((r) => setTimeout(r, 40));
    const second = await h.engine.resumeRun(first.runId);
    expect(second.state).toBe('SUCCESS');
    expect(await h.store.dueTimers(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
  });

  it('a revert that throws ends in REVERT_FAILURE and the run FAILURE; reverting stops there', async () => {
    const h = harness();
    const out = await h.engine.startRun(
      flow({ root: { kind: 'linear', name: 'f', children: [echo('a'), fail('b', { failTimes: 0, revertFails: true }), fail('c')] } }),
    );
    expect(out.state).toBe('FAILURE');
    expect(out.failure?.message).toBe('b revert failed');
    expect((await h.store.loadRun(out.runId))!.atoms.map((a) => a.state)).toEqual(['SUCCESS', 'REVERT_FAILURE', 'REVERTED']);
  });
});
