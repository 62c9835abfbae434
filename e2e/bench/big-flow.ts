/**
 * A generated flow of exactly `atoms` atoms (default 1,000) with a designer layout: sections that
 * are groups (linear and graph alternating, graph ones with edges), each holding a nested group
 * (unordered / graph), arranged in a grid; the remaining atoms sit at the root, chained by graph edges.
 */
type Json = Record<string, unknown>;

const SECTIONS = 20;
const PER_SECTION = 40;
const NESTED = 5;
const COLS = 8;
const STEP_X = 260;
const STEP_Y = 110;

export function bigFlow(id: string, atoms = 1000): Json {
  const positions: Record<string, { x: number; y: number }> = {};
  const rootChildren: Json[] = [];
  const rootEdges: Array<{ from: string; to: string }> = [];
  let n = 0;
  const atom = (requires: string[] = []): Json => {
    n += 1;
    return { name: `atom-${n}`, type: 'test.echo', config: { value: n }, provides: `v${n}`, ...(requires.length ? { requires } : {}) };
  };
  for (let s = 0; s < SECTIONS; s++) {
    const kind = s % 2 === 0 ? 'linear' : 'graph';
    const children: Json[] = [];
    const edges: Array<{ from: string; to: string }> = [];
    for (let i = 0; i < PER_SECTION; i++) {
      const a = atom();
      children.push(a);
      positions[a['name'] as string] = { x: 24 + (i % COLS) * STEP_X, y: 72 + Math.floor(i / COLS) * STEP_Y };
      // graph sections: each atom after the first row depends on the one above it
      if (kind === 'graph' && i >= COLS) edges.push({ from: `atom-${n - COLS}`, to: a['name'] as string });
    }
    const nestedKind = s % 2 === 0 ? 'unordered' : 'graph';
    const nested: Json[] = [];
    const nestedEdges: Array<{ from: string; to: string }> = [];
    for (let i = 0; i < NESTED; i++) {
      const a = atom();
      nested.push(a);
      positions[a['name'] as string] = { x: 24 + i * STEP_X, y: 72 };
      if (nestedKind === 'graph' && i > 0) nestedEdges.push({ from: `atom-${n - 1}`, to: a['name'] as string });
    }
    const nestedName = `section-${s + 1}-inner`;
    children.push({ kind: nestedKind, name: nestedName, children: nested, edges: nestedEdges });
    positions[nestedName] = { x: 24, y: 72 + Math.ceil(PER_SECTION / COLS) * STEP_Y };
    const name = `section-${s + 1}`;
    rootChildren.push({
      kind,
      name,
      children,
      edges,
      ...(s % 4 === 1 ? { retry: { kind: 'times', attempts: 3, delayMs: 100, backoff: { factor: 2 } } } : {}),
    });
    positions[name] = { x: (s % 4) * 2400, y: Math.floor(s / 4) * 1000 };
    if (s > 0) rootEdges.push({ from: `section-${s}`, to: name });
  }
  const top = Math.ceil(SECTIONS / 4) * 1000;
  let prev = `section-${SECTIONS}`;
  for (let i = 0; n < atoms; i++) {
    const a = atom();
    rootChildren.push(a);
    positions[a['name'] as string] = { x: (i % 10) * STEP_X, y: top + Math.floor(i / 10) * STEP_Y };
    rootEdges.push({ from: prev, to: a['name'] as string });
    prev = a['name'] as string;
  }
  return {
    id,
    name: `Benchmark: ${atoms} atoms`,
    root: { kind: 'graph', name: 'root', children: rootChildren, edges: rootEdges },
    ui: { positions, collapsed: [] },
  };
}
