/** Large flows compile (timing belongs in benchmarks: this checks they finish with the right shape). */
import { describe, expect, it } from 'vitest';

import { compileFlow, type CompiledFlow } from './compile.js';
import { atom, def, graph, linear, registry, unordered } from './testing/fixtures.js';

const edgeCount = (flow: CompiledFlow): number => flow.atoms.reduce((n, a) => n + a.succs.length, 0);

describe('large flows', () => {
  it('compiles a 10,000-atom linear chain passing data along', () => {
    const children = Array.from({ length: 10_000 }, (_, i) => atom(`a${i}`, { provides: `v${i}`, requires: i ? [`v${i - 1}`] : [] }));
    const flow = compileFlow(def(linear('root', children)), registry, { inputs: [] });
    expect(flow.atoms).toHaveLength(10_000);
    expect(edgeCount(flow)).toBe(9_999);
    const last = flow.byName.get('a9999')!;
    expect(last.inputs['v9998']).toEqual({ from: 'stored', key: 'v9998', providers: [9998], input: false });
  });

  it('compiles a 10,000-atom linear chain where every atom provides the same name', () => {
    const children = Array.from({ length: 10_000 }, (_, i) => atom(`a${i}`, { provides: 'x' }));
    const flow = compileFlow(def(linear('root', children)), registry);
    expect(flow.atoms).toHaveLength(10_000);
    expect(edgeCount(flow)).toBe(9_999);
  });

  it('compiles a 1,000-atom graph of 10 layers × 100, each atom requiring every atom of the layer before', () => {
    const children = [];
    for (let k = 0; k < 10; k++)
      for (let j = 0; j < 100; j++)
        children.push(
          atom(`a${k}_${j}`, { provides: `v${k}_${j}`, requires: k ? Array.from({ length: 100 }, (_, x) => `v${k - 1}_${x}`) : [] }),
        );
    const flow = compileFlow(def(graph('root', children)), registry, { inputs: [] });
    expect(flow.atoms).toHaveLength(1_000);
    expect(edgeCount(flow)).toBe(9 * 100 * 100);
    expect(flow.byName.get('a9_0')!.preds).toHaveLength(100);
    expect(flow.byName.get('a0_0')!.preds).toHaveLength(0);
  });

  it('compiles a linear flow of 10 unordered groups of 100', () => {
    const groups = Array.from({ length: 10 }, (_, k) =>
      unordered(
        `g${k}`,
        Array.from({ length: 100 }, (_, j) => atom(`b${k}_${j}`)),
      ),
    );
    const flow = compileFlow(def(linear('root', groups, { retry: { kind: 'times', attempts: 2 } })), registry);
    expect(flow.atoms).toHaveLength(1_001);
    expect(edgeCount(flow)).toBe(100 + 9 * 100 * 100);
  });

  it('compiles deep nesting (200 levels)', () => {
    let node = linear('l199', [atom('leaf', { requires: ['top'] })]);
    for (let i = 198; i >= 0; i--) node = linear(`l${i}`, [...(i === 0 ? [atom('top-provider', { provides: 'top' })] : []), node]);
    const flow = compileFlow(def(node), registry, { inputs: [] });
    expect(flow.byName.get('leaf')!.flowPath).toHaveLength(200);
    expect(flow.byName.get('leaf')!.preds).toEqual([0]);
  });
});
