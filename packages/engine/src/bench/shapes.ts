import { parseFlowDefinitionOrThrow, type FlowDefinition } from '@atomflow/model';

/** `n` no-op atoms in one linear flow (each with `config`, when given). */
export function linearFlow(n: number, type = 'test.noop', config?: Record<string, unknown>): FlowDefinition {
  return parseFlowDefinitionOrThrow({
    id: `bench-linear-${n}`,
    root: {
      kind: 'linear',
      name: 'root',
      children: Array.from({ length: n }, (_, i) => ({ name: `a${i}`, type, ...(config ? { config } : {}) })),
    },
  });
}

/**
 * `n` no-op atoms in a graph flow of `n / width` layers, `width` wide: atom j of layer k
 * requires what atoms j and j+1 of layer k-1 provide (ordering inferred from requires/provides).
 */
export function graphFlow(n: number, width = 100, type = 'test.noop', config?: Record<string, unknown>): FlowDefinition {
  const layers = Math.ceil(n / width);
  const children = [];
  for (let k = 0; k < layers; k++)
    for (let j = 0; j < width && k * width + j < n; j++) {
      const requires = k === 0 ? [] : [`v${k - 1}_${j}`, `v${k - 1}_${(j + 1) % width}`];
      children.push({ name: `a${k}_${j}`, type, provides: `v${k}_${j}`, requires, ...(config ? { config } : {}) });
    }
  return parseFlowDefinitionOrThrow({ id: `bench-graph-${n}`, root: { kind: 'graph', name: 'root', children } });
}
