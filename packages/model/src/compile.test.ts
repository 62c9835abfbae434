import { describe, expect, it } from 'vitest';

import { compileFlow, subgraphOf, type CompiledFlow } from './compile.js';
import { atom, def, edgesOf, graph, idx, linear, names, predsOf, registry, unordered } from './testing/fixtures.js';
import type { FlowNodeInput } from './definition.js';

const compile = (root: FlowNodeInput): CompiledFlow => compileFlow(def(root), registry);

/** Every atom reachable forward from `from` (names). */
function reachable(flow: CompiledFlow, from: string): Set<string> {
  return new Set(names(flow, subgraphOf(flow, idx(flow, from))));
}

describe('compiled atoms', () => {
  it('keeps definition order, paths, enclosing flows and atom fields', () => {
    const flow = compile(
      linear('root', [
        atom('a', { version: 2, config: { value: 1 }, provides: 'x' }),
        unordered('u', [atom('b', { type: 'http.request', config: { url: 'http://h.test/' }, provides: ['p', 'q'] })]),
      ]),
    );
    expect(flow.rootName).toBe('root');
    expect(flow.atoms.map((a) => a.index)).toEqual([0, 1]);
    expect(flow.atoms[0]).toMatchObject({
      name: 'a',
      kind: 'task',
      type: 'test.echo',
      version: 2,
      config: { value: 1 },
      path: 'root.children.0',
      flowPath: ['root'],
      provides: 'x',
      controller: -1,
    });
    expect(flow.atoms[1]).toMatchObject({
      name: 'b',
      type: 'http.request',
      path: 'root.children.1.children.0',
      flowPath: ['root', 'u'],
      provides: ['p', 'q'],
    });
    expect(flow.byName.get('b')).toBe(flow.atoms[1]);
    expect(flow.provided).toEqual(new Set(['x', 'p', 'q']));
    expect(flow.definition.root.name).toBe('root');
  });

  it('keeps preds and succs symmetric', () => {
    const flow = compile(
      linear('root', [
        atom('a'),
        unordered('u', [atom('b'), atom('c')]),
        graph('g', [atom('d', { provides: 'v' }), atom('e', { requires: ['v'] })]),
      ]),
    );
    for (const a of flow.atoms) {
      for (const s of a.succs) expect(flow.atoms[s]!.preds).toContain(a.index);
      for (const p of a.preds) expect(flow.atoms[p]!.succs).toContain(a.index);
      expect(new Set(a.succs).size).toBe(a.succs.length);
    }
  });
});

describe('DAG edges', () => {
  it('chains a linear flow', () => {
    expect(edgesOf(compile(linear('root', [atom('a'), atom('b'), atom('c'), atom('d')])))).toEqual(['a>b', 'b>c', 'c>d']);
  });

  it('adds no edges in an unordered flow', () => {
    const flow = compile(unordered('root', [atom('a', { provides: 'ra' }), atom('b', { provides: 'rb' }), atom('c')]));
    expect(edgesOf(flow)).toEqual([]);
  });

  it('orders a graph flow from requires/provides plus explicit edges (case s04a)', () => {
    const flow = compile(
      graph(
        'graph',
        [
          atom('sink', { config: { value: 'S' }, requires: ['l', 'r'], provides: 's' }),
          atom('audit', { config: { value: 'audit-result' } }),
          atom('left', { config: { value: 'L' }, requires: ['v'], provides: 'l' }),
          atom('right', { config: { value: 'R' }, requires: ['v'], provides: 'r' }),
          atom('src', { config: { value: 'V' }, provides: 'v' }),
        ],
        { edges: [{ from: 'sink', to: 'audit' }] },
      ),
    );
    expect(edgesOf(flow)).toEqual(['left>sink', 'right>sink', 'sink>audit', 'src>left', 'src>right']);
    expect(flow.inputs).toEqual([]);
  });

  it('uses rebound names for graph ordering, and ignores injected ones', () => {
    const flow = compile(
      graph('g', [
        atom('use', { requires: ['x', 'y'], rebind: { x: 'made' }, inject: { y: 1 } }),
        atom('make', { provides: 'made' }),
        atom('y', { provides: 'y' }),
      ]),
    );
    expect(edgesOf(flow)).toEqual(['make>use']);
  });

  it('connects every exit of a group to every entry of the next (linear of unordered groups)', () => {
    const flow = compile(
      linear('root', [
        atom('start'),
        unordered('u1', [atom('a'), atom('b')]),
        unordered('u2', [atom('c'), atom('d'), atom('e')]),
        atom('end'),
      ]),
    );
    expect(edgesOf(flow)).toEqual(['a>c', 'a>d', 'a>e', 'b>c', 'b>d', 'b>e', 'c>end', 'd>end', 'e>end', 'start>a', 'start>b']);
  });

  it('connects nested linear flows at their ends only', () => {
    const flow = compile(unordered('root', [linear('l1', [atom('a'), atom('b')]), linear('l2', [atom('c'), atom('d')])]));
    expect(edgesOf(flow)).toEqual(['a>b', 'c>d']);
    const outer = compile(linear('root', [linear('l1', [atom('a'), atom('b')]), linear('l2', [atom('c'), atom('d')])]));
    expect(edgesOf(outer)).toEqual(['a>b', 'b>c', 'c>d']);
  });

  it('links graph children that are flows from their exits to the next entries', () => {
    const flow = compile(
      graph(
        'g',
        [
          linear('second', [atom('c', { requires: ['v'] }), atom('d')]),
          unordered('first', [atom('a', { provides: 'v' }), atom('b')]),
          atom('last'),
        ],
        {
          edges: [{ from: 'd', to: 'last' }],
        },
      ),
    );
    expect(edgesOf(flow)).toEqual(['a>c', 'b>c', 'c>d', 'd>last']);
  });

  it('passes the order through empty flows', () => {
    const flow = compile(linear('root', [unordered('u1', [atom('a'), atom('b')]), unordered('empty', []), atom('z')]));
    expect(edgesOf(flow)).toEqual(['a>z', 'b>z']);
    const lead = compile(linear('root', [atom('pre'), linear('inner', [unordered('nothing', []), atom('a')]), linear('tail', [])]));
    expect(edgesOf(lead)).toEqual(['pre>a']);
    const g = compile(
      graph('g', [atom('a'), linear('e', []), atom('b')], {
        edges: [
          { from: 'a', to: 'e' },
          { from: 'e', to: 'b' },
        ],
      }),
    );
    expect(edgesOf(g)).toEqual(['a>b']);
  });
});

describe('retry controllers', () => {
  const s05a = linear('outer', [
    atom('pre', { provides: 'p' }),
    linear(
      'inner',
      [atom('a', { provides: 'xa' }), atom('b', { type: 'test.fail', requires: ['attempt'] }), atom('c', { requires: ['attempt'] })],
      {
        retry: { kind: 'times', attempts: 3, name: 'r', provides: 'attempt' },
      },
    ),
    atom('post'),
  ]);

  it('compiles a controller as a retry atom ahead of its flow', () => {
    const flow = compile(s05a);
    expect(flow.atoms.map((a) => a.name)).toEqual(['pre', 'r', 'a', 'b', 'c', 'post']);
    expect(flow.byName.get('r')).toMatchObject({
      kind: 'retry',
      type: 'retry.times',
      version: 1,
      config: {},
      path: 'root.children.1.retry',
      flowPath: ['outer', 'inner'],
      provides: 'attempt',
      retry: { kind: 'times', attempts: 3, name: 'r', provides: 'attempt' },
      controller: -1,
    });
    expect(edgesOf(flow)).toEqual(['a>b', 'b>c', 'c>post', 'pre>r', 'r>a']);
  });

  it('sets each atom’s controller to the nearest enclosing retry', () => {
    const flow = compile(s05a);
    const r = idx(flow, 'r');
    expect(Object.fromEntries(flow.atoms.map((a) => [a.name, a.controller]))).toEqual({ pre: -1, r: -1, a: r, b: r, c: r, post: -1 });
  });

  it("gives nested controllers the parent flow's controller (case s08d)", () => {
    const flow = compile(
      linear('outer', [atom('pre'), linear('inner', [atom('b'), atom('c')], { retry: { kind: 'alwaysRevertAll', name: 'ri' } })], {
        retry: { kind: 'times', attempts: 2, name: 'ro' },
      }),
    );
    const ro = idx(flow, 'ro');
    const ri = idx(flow, 'ri');
    expect(flow.atoms.map((a) => [a.name, a.controller])).toEqual([
      ['ro', -1],
      ['pre', ro],
      ['ri', ro],
      ['b', ri],
      ['c', ri],
    ]);
    expect(flow.byName.get('ro')!.preds).toEqual([]);
    expect(reachable(flow, 'ro')).toEqual(new Set(['pre', 'ri', 'b', 'c']));
    expect(reachable(flow, 'ri')).toEqual(new Set(['b', 'c']));
  });

  it('names a controller `<flow>-retry` by default', () => {
    const flow = compile(
      linear('root', [unordered('fan', [atom('a')], { retry: { kind: 'alwaysRevert' } })], { retry: { kind: 'forEach', values: [1, 2] } }),
    );
    expect(flow.atoms.filter((a) => a.kind === 'retry').map((a) => [a.name, a.type])).toEqual([
      ['root-retry', 'retry.forEach'],
      ['fan-retry', 'retry.alwaysRevert'],
    ]);
  });

  it('precedes every atom of its flow, whatever the kind', () => {
    const un = compile(unordered('u', [atom('a'), atom('b'), atom('c')], { retry: { kind: 'times', attempts: 2 } }));
    expect(edgesOf(un)).toEqual(['u-retry>a', 'u-retry>b', 'u-retry>c']);
    const g = compile(
      graph('g', [atom('b', { requires: ['v'] }), atom('a', { provides: 'v' }), atom('c')], { retry: { kind: 'times', attempts: 2 } }),
    );
    expect(edgesOf(g)).toEqual(['a>b', 'g-retry>a', 'g-retry>c']);
    expect(reachable(g, 'g-retry')).toEqual(new Set(['a', 'b', 'c']));
  });

  it('lets an empty flow with a controller still be ordered through it', () => {
    const flow = compile(linear('root', [atom('a'), linear('g', [], { retry: { kind: 'times', attempts: 2 } }), atom('z')]));
    expect(edgesOf(flow)).toEqual(['a>g-retry', 'g-retry>z']);
  });
});

describe('subgraphOf', () => {
  it('returns every atom forward-reachable from the controller, sorted, without it', () => {
    const flow = compile(
      linear('root', [
        atom('pre'),
        linear('inner', [unordered('u', [atom('a'), atom('b')]), atom('c')], { retry: { kind: 'times', attempts: 2, name: 'r' } }),
        atom('post'),
      ]),
    );
    const sub = subgraphOf(flow, idx(flow, 'r'));
    expect(names(flow, sub)).toEqual(['a', 'b', 'c', 'post']);
    expect([...sub].sort((x, y) => x - y)).toEqual(sub);
  });

  it('is empty for an atom with no successors', () => {
    const flow = compile(linear('root', [atom('a'), atom('b')]));
    expect(subgraphOf(flow, idx(flow, 'b'))).toEqual([]);
    expect(names(flow, subgraphOf(flow, idx(flow, 'a')))).toEqual(['b']);
  });

  it('visits each atom once in a diamond', () => {
    const flow = compile(
      graph('g', [
        atom('s', { provides: 'v' }),
        atom('l', { requires: ['v'], provides: 'l' }),
        atom('r', { requires: ['v'], provides: 'r' }),
        atom('t', { requires: ['l', 'r'] }),
      ]),
    );
    expect(names(flow, subgraphOf(flow, idx(flow, 's')))).toEqual(['l', 'r', 't']);
    expect(predsOf(flow, 't')).toEqual(['l', 'r']);
  });
});
