import { describe, expect, it } from 'vitest';

import { compileFlow, validateFlow } from './compile.js';
import { isFlowNode, type FlowDefinition, type Node } from './definition.js';
import { parseFlowDefinitionOrThrow } from './parse.js';
import { expandSubflows, hasSubflows, type SubflowResolver } from './subflows.js';

const def = (id: string, root: unknown, revision = 1): FlowDefinition => parseFlowDefinitionOrThrow({ id, revision, root });
const sub = (name: string, flowId: string, revision?: number) => ({
  name,
  type: 'subflow',
  config: revision === undefined ? { flowId } : { flowId, revision },
});
const echo = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'test.echo', config: { value: name }, ...extra });

/** A resolver over saved revisions (the latest is the highest). */
function saved(...defs: FlowDefinition[]): SubflowResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = (flowId: string, revision: number | undefined): FlowDefinition | undefined => {
    calls.push(`${flowId}@${revision ?? 'latest'}`);
    const revs = defs.filter((d) => d.id === flowId).sort((a, b) => b.revision - a.revision);
    return revision === undefined ? revs[0] : revs.find((d) => d.revision === revision);
  };
  return Object.assign(resolve, { calls });
}

function names(node: Node): string[] {
  return isFlowNode(node) ? [node.name, ...node.children.flatMap(names)] : [node.name];
}

describe('expandSubflows', () => {
  const payment = def('payment', {
    kind: 'graph',
    name: 'payment-root',
    retry: { kind: 'times', attempts: 2, name: 'again' },
    children: [echo('charge', { requires: ['amount'], provides: 'paid' }), echo('receipt', { requires: ['paid'], provides: 'receipt' })],
    edges: [{ from: 'charge', to: 'receipt' }],
  });

  it('inlines the latest revision as a group named like the atom, inner names prefixed, data names kept', async () => {
    const outer = def('orders', {
      kind: 'linear',
      name: 'root',
      children: [
        echo('total', { provides: 'amount' }),
        { ...sub('pay', 'payment'), description: 'takes the money' },
        echo('ship', { requires: ['receipt'] }),
      ],
    });
    const older = def('payment', { kind: 'linear', name: 'r', children: [echo('old')] }, 1);
    const r = await expandSubflows(outer, saved(older, { ...payment, revision: 2 }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.subflows).toEqual([{ atom: 'pay', flowId: 'payment', revision: 2 }]);
    const group = r.definition.root.children[1]!;
    expect(group).toMatchObject({
      kind: 'graph',
      name: 'pay',
      description: 'takes the money',
      retry: { kind: 'times', attempts: 2, name: 'pay.again' },
      edges: [{ from: 'pay.charge', to: 'pay.receipt' }],
    });
    expect(names(r.definition.root)).toEqual(['root', 'total', 'pay', 'pay.charge', 'pay.receipt', 'ship']);
    expect(group).toMatchObject({
      children: [
        { requires: ['amount'], provides: 'paid' },
        { requires: ['paid'], provides: 'receipt' },
      ],
    });
    // requires/provides connect across the boundary: the expanded flow compiles, in order.
    expect(validateFlow(r.definition)).toEqual([]);
    expect(compileFlow(r.definition).atoms.map((a) => a.name)).toEqual(['total', 'pay.again', 'pay.charge', 'pay.receipt', 'ship']);
    // The unexpanded definition is left as it was.
    expect(outer.root.children[1]).toMatchObject({ type: 'subflow' });
  });

  it('takes the pinned revision when one is given', async () => {
    const v1 = def('p', { kind: 'linear', name: 'r', children: [echo('one')] }, 1);
    const v2 = def('p', { kind: 'linear', name: 'r', children: [echo('two')] }, 2);
    const r = await expandSubflows(def('o', { kind: 'linear', name: 'root', children: [sub('s', 'p', 1)] }), saved(v1, v2));
    expect(r.ok && names(r.definition.root)).toEqual(['root', 's', 's.one']);
  });

  it('expands nested subflows recursively, prefixes accumulating, each subflow recorded', async () => {
    const inner = def('inner', { kind: 'unordered', name: 'x', children: [echo('leaf')] });
    const middle = def('middle', { kind: 'linear', name: 'y', children: [echo('m'), sub('deep', 'inner')] });
    const r = await expandSubflows(
      def('top', { kind: 'linear', name: 'root', children: [sub('a', 'middle'), sub('b', 'inner')] }),
      saved(inner, middle),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(names(r.definition.root)).toEqual(['root', 'a', 'a.m', 'a.deep', 'a.deep.leaf', 'b', 'b.leaf']);
    expect(r.subflows).toEqual([
      { atom: 'a', flowId: 'middle', revision: 1 },
      { atom: 'a.deep', flowId: 'inner', revision: 1 },
      { atom: 'b', flowId: 'inner', revision: 1 },
    ]);
    expect(validateFlow(r.definition)).toEqual([]);
  });

  it('reports a cycle (A includes B includes A) at the atom in the definition, with the chain', async () => {
    const a = def('a', { kind: 'linear', name: 'r', children: [sub('to-b', 'b')] });
    const b = def('b', { kind: 'linear', name: 'r', children: [echo('x'), sub('to-a', 'a')] });
    const r = await expandSubflows(a, saved(a, b));
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          path: 'root.children.0',
          node: 'to-b',
          code: 'subflow-cycle',
          message: 'in subflow "b": subflow cycle: "a" → "b" → "a"',
        },
      ],
    });
    const self = def('self', { kind: 'linear', name: 'r', children: [sub('me', 'self')] });
    expect(await expandSubflows(self, saved(self))).toMatchObject({
      ok: false,
      problems: [{ path: 'root.children.0.config.flowId', code: 'subflow-cycle', message: 'subflow cycle: "self" → "self"' }],
    });
  });

  it('reports a missing flow and a missing revision with their paths', async () => {
    const p = def('p', { kind: 'linear', name: 'r', children: [echo('one')] });
    const outer = def('o', {
      kind: 'linear',
      name: 'root',
      children: [echo('first'), { kind: 'unordered', name: 'g', children: [sub('s1', 'nope'), sub('s2', 'p', 7)] }],
    });
    const r = await expandSubflows(outer, saved(p));
    expect(r).toEqual({
      ok: false,
      problems: [
        { path: 'root.children.1.children.0.config.flowId', node: 's1', code: 'unknown-subflow', message: 'no saved flow "nope"' },
        { path: 'root.children.1.children.1.config.revision', node: 's2', code: 'unknown-subflow', message: 'flow "p" has no revision 7' },
      ],
    });
  });

  it('caps the nesting depth', async () => {
    const chain = Array.from({ length: 6 }, (_, i) =>
      def(`f${i}`, { kind: 'linear', name: 'r', children: i < 5 ? [sub(`to${i + 1}`, `f${i + 1}`)] : [echo('end')] }),
    );
    expect((await expandSubflows(chain[0]!, saved(...chain), { maxDepth: 5 })).ok).toBe(true);
    const r = await expandSubflows(chain[0]!, saved(...chain), { maxDepth: 3 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      {
        path: 'root.children.0',
        node: 'to1',
        code: 'invalid-subflow',
        message: 'in subflow "f1": in subflow "f2": in subflow "f3": subflows nest deeper than 3 levels',
      },
    ]);
  });

  it('refuses a subflow atom without a flow id, or with requires/provides of its own', async () => {
    const outer = def('o', {
      kind: 'linear',
      name: 'root',
      children: [
        { name: 'a', type: 'subflow', config: {} },
        { ...sub('b', 'p'), provides: 'x' },
        { name: 'c', type: 'subflow', config: { flowId: 'p', revision: 0 } },
      ],
    });
    const r = await expandSubflows(outer, saved());
    expect(!r.ok && r.problems.map((p) => [p.path, p.code])).toEqual([
      ['root.children.0.config', 'invalid-subflow'],
      ['root.children.1.provides', 'invalid-subflow'],
      ['root.children.2.config', 'invalid-subflow'],
    ]);
  });

  it('resolves each reference once and leaves a definition without subflows alone', async () => {
    const p = def('p', { kind: 'linear', name: 'r', children: [echo('one')] });
    const resolve = saved(p);
    const outer = def('o', { kind: 'linear', name: 'root', children: [sub('a', 'p'), sub('b', 'p')] });
    expect(hasSubflows(outer)).toBe(true);
    expect((await expandSubflows(outer, resolve)).ok).toBe(true);
    expect(resolve.calls).toEqual(['p@latest']);
    expect(hasSubflows(p)).toBe(false);
    expect(await expandSubflows(p, resolve)).toEqual({ ok: true, definition: p, subflows: [] });
  });

  it('duplicate names across the boundary are caught by validation of the expanded flow', async () => {
    const p = def('p', { kind: 'linear', name: 'r', children: [echo('x', { provides: 'v' })] });
    const outer = def('o', { kind: 'linear', name: 'root', children: [echo('s.x'), sub('s', 'p')] });
    const r = await expandSubflows(outer, saved(p));
    expect(r.ok && validateFlow(r.definition).map((pr) => pr.code)).toContain('duplicate-name');
  });
});
