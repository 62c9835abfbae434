import { describe, expect, it } from 'vitest';

import { Engine, InMemoryStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow } from '@atomflow/model';

import { createRegistry } from '../registry.js';

const engine = (): Engine => new Engine({ store: new InMemoryStore(), registry: createRegistry() });

describe('transform in the engine', () => {
  it('reads the inputs its config requires (bound from providers and run inputs) and provides its value', async () => {
    const out = await engine().startRun(
      parseFlowDefinitionOrThrow({
        id: 'transform-flow',
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            {
              name: 'order',
              type: 'test.echo',
              config: {
                value: {
                  lines: [
                    { qty: 2, price: 5 },
                    { qty: 1, price: 7 },
                  ],
                },
              },
              provides: 'order',
            },
            {
              name: 'total',
              type: 'transform',
              config: { expression: 'order.lines.reduce((s, l) => s + l.qty * l.price, 0) * (1 + vat)', requires: ['order', 'vat'] },
              provides: 'total',
            },
          ],
        },
      }),
      { inputs: { vat: 0.5 } },
    );
    expect(out.state).toBe('SUCCESS');
    expect(out.results).toMatchObject({ total: 25.5 });
  });

  it('a failing expression fails the run with its typed error', async () => {
    const out = await engine().startRun(
      parseFlowDefinitionOrThrow({
        id: 'transform-fails',
        root: {
          kind: 'linear',
          name: 'root',
          children: [{ name: 'bad', type: 'transform', config: { expression: 'x.y.z', requires: ['x'] } }],
        },
      }),
      { inputs: { x: {} } },
    );
    expect(out.state).toBe('REVERTED');
    expect(out.failure).toMatchObject({ type: 'TransformThrewError', message: expect.stringContaining('TypeError') });
  });
});
