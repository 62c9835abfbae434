import { describe, expect, it } from 'vitest';

import { analyzeFlow, compileFlow, validateFlow } from './compile.js';
import { ValidationError, type Problem } from './errors.js';
import { atom, def, graph, linear, registry, unordered } from './testing/fixtures.js';

const codes = (ps: readonly Problem[]): string[] => ps.map((p) => p.code);

describe('duplicate names', () => {
  it('reports the second atom, mentioning where the first is', () => {
    const ps = validateFlow(def(linear('root', [atom('a'), atom('b'), atom('a')])), registry);
    expect(ps).toEqual([
      { path: 'root.children.2.name', code: 'duplicate-name', node: 'a', message: 'atom name "a" is already used at root.children.0' },
    ]);
  });

  it('finds duplicates across nesting levels', () => {
    const ps = validateFlow(def(linear('root', [atom('a'), unordered('u', [atom('b'), linear('l', [atom('a')])])])), registry);
    expect(ps).toEqual([
      {
        path: 'root.children.1.children.1.children.0.name',
        code: 'duplicate-name',
        node: 'a',
        message: 'atom name "a" is already used at root.children.0',
      },
    ]);
  });

  it('shares one namespace between atoms, flows and retry controllers', () => {
    const ps = validateFlow(
      def(
        linear('root', [
          atom('g-retry'),
          linear('g', [atom('x')], { retry: { kind: 'times', attempts: 2 } }),
          atom('root'),
          linear('x', []),
        ]),
      ),
      registry,
    );
    expect(ps.map((p) => [p.path, p.message])).toEqual([
      ['root.children.1.retry.name', 'retry controller name "g-retry" is already used at root.children.0'],
      ['root.children.2.name', 'atom name "root" is already used at root'],
      ['root.children.3.name', 'flow name "x" is already used at root.children.1.children.0'],
    ]);
    expect(codes(ps)).toEqual(['duplicate-name', 'duplicate-name', 'duplicate-name']);
  });

  it('checks an explicitly named retry controller', () => {
    const ps = validateFlow(def(linear('root', [atom('r')], { retry: { kind: 'alwaysRevert', name: 'r' } })), registry);
    expect(ps).toEqual([
      { path: 'root.children.0.name', code: 'duplicate-name', node: 'r', message: 'atom name "r" is already used at root.retry' },
    ]);
  });
});

describe('cycles (graph flows)', () => {
  it('rejects a requires/provides cycle (case s04b) naming the atoms, and nothing else', () => {
    const ps = validateFlow(
      def(
        graph('cyc', [
          atom('p', { config: { value: 'p-result' }, requires: ['q_out'], provides: 'p_out' }),
          atom('q', { config: { value: 'q-result' }, requires: ['p_out'], provides: 'q_out' }),
        ]),
      ),
      registry,
    );
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ path: 'root', code: 'cycle' });
    expect(ps[0]!.message).toMatch(/cycle in graph flow "cyc": (p → q → p|q → p → q)/);
  });

  it('rejects a cycle of explicit edges', () => {
    const ps = validateFlow(
      def(
        graph('g', [atom('a'), atom('b'), atom('c')], {
          edges: [
            { from: 'a', to: 'b' },
            { from: 'b', to: 'c' },
            { from: 'c', to: 'a' },
          ],
        }),
      ),
      registry,
    );
    expect(ps).toHaveLength(1);
    expect(ps[0]!.code).toBe('cycle');
    for (const n of ['a', 'b', 'c']) expect(ps[0]!.message).toContain(n);
  });

  it('rejects a cycle mixing an edge with a data dependency', () => {
    const ps = validateFlow(
      def(graph('g', [atom('a', { provides: 'x' }), atom('b', { requires: ['x'] })], { edges: [{ from: 'b', to: 'a' }] })),
      registry,
    );
    expect(codes(ps)).toEqual(['cycle']);
    expect(ps[0]!.message).toMatch(/a → b → a|b → a → b/);
  });

  it('rejects a cycle through nested flows, naming the children of the graph', () => {
    const ps = validateFlow(
      def(
        graph('g', [
          linear('g1', [atom('p', { requires: ['b'], provides: 'a' })]),
          linear('g2', [atom('q', { requires: ['a'], provides: 'b' })]),
        ]),
      ),
      registry,
    );
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ code: 'cycle', path: 'root' });
    expect(ps[0]!.message).toMatch(/g1 → g2 → g1|g2 → g1 → g2/);
  });

  it('rejects an edge from an atom to itself', () => {
    const ps = validateFlow(def(graph('g', [atom('a')], { edges: [{ from: 'a', to: 'a' }] })), registry);
    expect(ps).toEqual([{ path: 'root.edges.0', code: 'cycle', node: 'a', message: 'edge a → a makes "a" wait for itself' }]);
  });

  it('finds a cycle in a nested graph flow at its path', () => {
    const ps = validateFlow(
      def(
        linear('root', [
          atom('pre'),
          graph('g', [atom('a', { requires: ['y'], provides: 'x' }), atom('b', { requires: ['x'], provides: 'y' })]),
        ]),
      ),
      registry,
    );
    expect(ps).toEqual([expect.objectContaining({ path: 'root.children.1', code: 'cycle' })]);
  });

  it('accepts a graph atom that requires what it provides (the value comes from before it)', () => {
    const r = analyzeFlow(def(graph('g', [atom('a', { requires: ['x'], provides: 'x' })])), registry);
    expect(r.problems).toEqual([]);
    expect(r.compiled.inputs).toEqual(['x']);
  });
});

describe('edges', () => {
  it('reports both unknown endpoints with their paths', () => {
    const ps = validateFlow(
      def(
        graph('g', [atom('a'), atom('b')], {
          edges: [
            { from: 'a', to: 'b' },
            { from: 'ghost', to: 'b' },
            { from: 'a', to: 'phantom' },
          ],
        }),
      ),
      registry,
    );
    expect(ps).toEqual([
      {
        path: 'root.edges.1.from',
        code: 'unknown-edge-endpoint',
        node: 'g',
        message: 'edge from unknown atom "ghost" (not in graph flow "g")',
      },
      {
        path: 'root.edges.2.to',
        code: 'unknown-edge-endpoint',
        node: 'g',
        message: 'edge to unknown atom "phantom" (not in graph flow "g")',
      },
    ]);
  });

  it('does not resolve endpoints outside the graph flow', () => {
    const ps = validateFlow(
      def(linear('root', [atom('outside'), graph('g', [atom('a')], { edges: [{ from: 'outside', to: 'a' }] })])),
      registry,
    );
    expect(ps).toEqual([expect.objectContaining({ path: 'root.children.1.edges.0.from', code: 'unknown-edge-endpoint' })]);
  });

  it('rejects an edge between two atoms inside the same child', () => {
    const ps = validateFlow(
      def(graph('g', [unordered('u', [atom('a'), atom('b')]), atom('c')], { edges: [{ from: 'a', to: 'b' }] })),
      registry,
    );
    expect(ps).toEqual([expect.objectContaining({ path: 'root.edges.0', code: 'unknown-edge-endpoint' })]);
    expect(ps[0]!.message).toContain('"u"');
  });

  it.each(['linear', 'unordered'] as const)('rejects edges on a %s flow', (kind) => {
    const root = { kind, name: 'f', children: [atom('a'), atom('b')], edges: [{ from: 'a', to: 'b' }] };
    expect(validateFlow(def(root), registry)).toEqual([
      { path: 'root.edges', code: 'unknown-edge-endpoint', node: 'f', message: `edges are only allowed in graph flows ("f" is ${kind})` },
    ]);
  });
});

describe('data dependencies', () => {
  const s03c = def(
    unordered('bad', [
      atom('p', { config: { value: 'p-result' }, provides: 'v' }),
      atom('q', { config: { value: 'q-result' }, requires: ['v'] }),
    ]),
  );

  it('rejects a dependency between unordered siblings (case s03c)', () => {
    expect(validateFlow(s03c, registry)).toEqual([
      {
        path: 'root.children.1',
        code: 'unreachable-provider',
        node: 'q',
        message: '"q" requires "v", but "p" which provides it does not run before "q"',
      },
    ]);
  });

  it('accepts it when the run is given that input', () => {
    const r = analyzeFlow(s03c, registry, { inputs: ['v'] });
    expect(r.problems).toEqual([]);
    expect(r.compiled.byName.get('q')!.inputs['v']).toEqual({ from: 'stored', key: 'v', providers: [], input: true });
  });

  it('rejects a linear requirement provided only later, listing every provider', () => {
    const ps = validateFlow(
      def(
        linear('root', [
          atom('use', { requires: ['v'] }),
          atom('p1', { provides: 'v' }),
          unordered('u', [atom('p2', { provides: ['v', 'w'] })]),
        ]),
      ),
      registry,
    );
    expect(ps).toEqual([
      expect.objectContaining({
        code: 'unreachable-provider',
        message: '"use" requires "v", but "p1", "p2" which provide it do not run before "use"',
      }),
    ]);
  });

  it('names at most five providers', () => {
    const later = Array.from({ length: 8 }, (_, i) => atom(`p${i}`, { provides: 'v' }));
    const ps = validateFlow(def(linear('root', [atom('use', { requires: ['v'] }), ...later])), registry);
    expect(ps.map((p) => p.message)).toEqual([
      '"use" requires "v", but "p0", "p1", "p2", "p3", "p4" and 3 more which provide it do not run before "use"',
    ]);
  });

  it('applies rebind before looking for providers', () => {
    const ps = validateFlow(
      def(unordered('u', [atom('p', { provides: 'v' }), atom('q', { requires: ['x'], rebind: { x: 'v' } })])),
      registry,
    );
    expect(ps).toEqual([expect.objectContaining({ code: 'unreachable-provider', node: 'q' })]);
  });

  it('needs no provider for an injected input', () => {
    expect(
      validateFlow(def(unordered('u', [atom('p', { provides: 'v' }), atom('q', { requires: ['v'], inject: { v: 1 } })])), registry),
    ).toEqual([]);
  });

  it.each(['unordered', 'graph'] as const)('rejects two %s siblings providing the same name', (kind) => {
    const root = { kind, name: 'f', children: [atom('a', { provides: 'x' }), linear('l', [atom('b', { provides: ['y', 'x'] })])] };
    expect(validateFlow(def(root), registry)).toEqual([
      {
        path: 'root.children.1',
        code: 'duplicate-provider',
        node: 'l',
        message: `"x" is provided by both "a" and "l" in ${kind} flow "f" (which one a later atom would get is ambiguous)`,
      },
    ]);
  });

  it('lets linear siblings provide the same name (the nearest wins)', () => {
    expect(
      validateFlow(
        def(linear('f', [atom('a', { provides: 'x' }), atom('b', { provides: 'x' }), atom('c', { requires: ['x'] })])),
        registry,
      ),
    ).toEqual([]);
  });

  it('rejects a provides list naming a value twice', () => {
    expect(validateFlow(def(linear('f', [atom('a', { provides: ['x', 'x'] })])), registry)).toEqual([
      { path: 'root.children.0.provides', code: 'duplicate-provider', node: 'a', message: 'provides lists a name twice' },
    ]);
  });
});

describe('run inputs', () => {
  const needsX = def(
    linear('root', [atom('a', { requires: ['x'] }), atom('b', { requires: ['y'], provides: 'z' }), atom('c', { requires: ['z'] })]),
  );

  it('turns unprovided requirements into compiled.inputs when no inputs are declared', () => {
    const r = analyzeFlow(needsX, registry);
    expect(r.problems).toEqual([]);
    expect(r.compiled.inputs).toEqual(['x', 'y']);
    expect(r.compiled.provided).toEqual(new Set(['z']));
  });

  it('reports requirements that are not among the given inputs (options.inputs)', () => {
    expect(validateFlow(needsX, registry, { inputs: ['x'] })).toEqual([
      {
        path: 'root.children.1',
        code: 'missing-requirement',
        node: 'b',
        message: '"b" requires "y", which no atom provides and is not a run input',
      },
    ]);
    expect(validateFlow(needsX, registry, { inputs: ['x', 'y'] })).toEqual([]);
  });

  it('reports requirements that are not among the declared inputs (definition inputs)', () => {
    const declared = def(needsX.root, { inputs: ['y'] });
    expect(validateFlow(declared, registry)).toEqual([
      expect.objectContaining({ code: 'missing-requirement', node: 'a', path: 'root.children.0' }),
    ]);
  });

  it('prefers the inputs actually given over the declared ones', () => {
    const declared = def(needsX.root, { inputs: ['x', 'y'] });
    expect(validateFlow(declared, registry, { inputs: ['x'] })).toEqual([
      expect.objectContaining({ code: 'missing-requirement', node: 'b' }),
    ]);
  });

  it('includes inputs a type requires (http.request needs body) and those of retry controllers', () => {
    const d = def(
      linear('root', [atom('post', { type: 'http.request', config: { url: 'http://127.0.0.1:9/' } })], {
        retry: { kind: 'parameterizedForEach', from: 'hosts' },
      }),
    );
    expect(analyzeFlow(d, registry).compiled.inputs).toEqual(['hosts', 'body']);
    expect(validateFlow(d, registry, { inputs: ['body'] })).toEqual([
      {
        path: 'root.retry',
        code: 'missing-requirement',
        node: 'root-retry',
        message: '"root-retry" requires "hosts", which no atom provides and is not a run input',
      },
    ]);
  });

  it('never requires an optional input', () => {
    const d = def(linear('root', [atom('a', { config: { defaults: { z: 99 } } })]));
    expect(validateFlow(d, registry, { inputs: [] })).toEqual([]);
    expect(analyzeFlow(d, registry).compiled.inputs).toEqual([]);
  });

  it('treats a requirement an atom provides itself as an input from before it', () => {
    const d = def(linear('root', [atom('inc', { requires: ['n'], provides: 'n' })]));
    expect(analyzeFlow(d, registry).compiled.inputs).toEqual(['n']);
    expect(validateFlow(d, registry, { inputs: [] })).toEqual([expect.objectContaining({ code: 'missing-requirement', node: 'inc' })]);
    const after = def(linear('root', [atom('seed', { provides: 'n' }), atom('inc', { requires: ['n'], provides: 'n' })]));
    expect(validateFlow(after, registry, { inputs: [] })).toEqual([]);
  });
});

describe('atom types', () => {
  it('rejects an unknown type at its path', () => {
    expect(validateFlow(def(linear('root', [atom('a', { type: 'nope' })])), registry)).toEqual([
      { path: 'root.children.0.type', code: 'unknown-atom-type', node: 'a', message: 'unknown atom type "nope"' },
    ]);
  });

  it('rejects an unknown version, listing the known ones', () => {
    expect(validateFlow(def(linear('root', [atom('a', { version: 3 })])), registry)).toEqual([
      {
        path: 'root.children.0.version',
        code: 'unknown-atom-version',
        node: 'a',
        message: 'atom type "test.echo" has no version 3 (known: 1, 2)',
      },
    ]);
  });

  it('checks config against the schema of that version, with the config path', () => {
    const ps = validateFlow(
      def(
        linear('root', [
          atom('ok', { type: 'http.request', config: { url: 'http://x.test/' } }),
          atom('bad', { type: 'http.request', config: { url: 'not a url' } }),
        ]),
      ),
      registry,
    );
    expect(ps).toEqual([{ path: 'root.children.1.config.url', code: 'invalid-config', node: 'bad', message: expect.any(String) }]);
  });

  it('reports every config issue, object-level ones at `config`', () => {
    const ps = validateFlow(def(linear('root', [atom('a', { type: 'http.request', config: { method: 'PUT', extra: 1 } })])), registry);
    expect(ps.map((p) => p.path).sort()).toEqual(['root.children.0.config', 'root.children.0.config.method', 'root.children.0.config.url']);
    expect(ps.find((p) => p.path === 'root.children.0.config')!.message).toContain('extra');
    expect(new Set(codes(ps))).toEqual(new Set(['invalid-config']));
  });

  it('checks nothing about types without a registry', () => {
    const r = analyzeFlow(def(linear('root', [atom('a', { type: 'nope', version: 9, config: { anything: true } })])));
    expect(r.problems).toEqual([]);
    expect(r.compiled.atoms[0]).toMatchObject({ type: 'nope', version: 9, config: { anything: true } });
  });
});

describe('retry controllers', () => {
  it('rejects a backoff without a delay', () => {
    const d = def(linear('root', [atom('a')], { retry: { kind: 'times', attempts: 3, backoff: { factor: 2 } } }));
    expect(validateFlow(d, registry)).toEqual([
      {
        path: 'root.retry.backoff',
        code: 'invalid-retry',
        node: 'root-retry',
        message: 'backoff multiplies delayMs: set delayMs > 0 or remove backoff',
      },
    ]);
    const ok = def(linear('root', [atom('a')], { retry: { kind: 'times', attempts: 3, delayMs: 100, backoff: { factor: 2 } } }));
    expect(validateFlow(ok, registry)).toEqual([]);
  });

  it("binds a retry's `from` to what runs before its flow, even when the flow is empty", () => {
    const d = def(
      linear('root', [atom('p', { provides: 'hosts' }), linear('g', [], { retry: { kind: 'parameterizedForEach', from: 'hosts' } })]),
    );
    const r = analyzeFlow(d, registry, { inputs: [] });
    expect(r.problems).toEqual([]);
    expect(r.compiled.byName.get('g-retry')!.inputs['hosts']).toEqual({ from: 'stored', key: 'hosts', providers: [0], input: false });
  });
});

describe('retry controllers: `from`', () => {
  it('does not let a retry read what its own flow provides', () => {
    const d = def(
      linear('root', [linear('inner', [atom('x', { provides: 'hosts' })], { retry: { kind: 'parameterizedForEach', from: 'hosts' } })]),
    );
    expect(validateFlow(d, registry)).toEqual([
      expect.objectContaining({ path: 'root.children.0.retry', code: 'unreachable-provider', node: 'inner-retry' }),
    ]);
  });
});

describe('every problem at once', () => {
  it('reports four different mistakes as four problems', () => {
    const d = def(
      graph(
        'root',
        [
          atom('a', { type: 'ghost' }),
          atom('a', { provides: 'x' }),
          atom('c', { type: 'http.request', config: { url: 'nope' } }),
          atom('d', { requires: ['x'] }),
        ],
        { edges: [{ from: 'd', to: 'zz' }] },
      ),
    );
    const ps = validateFlow(d, registry);
    expect(codes(ps).sort()).toEqual(['duplicate-name', 'invalid-config', 'unknown-atom-type', 'unknown-edge-endpoint']);
    expect(ps.map((p) => p.path).sort()).toEqual([
      'root.children.0.type',
      'root.children.1.name',
      'root.children.2.config.url',
      'root.edges.0.to',
    ]);
  });

  it('compileFlow throws a ValidationError listing them, validateFlow returns them', () => {
    const d = def(
      unordered('u', [
        atom('a', { version: 7 }),
        atom('b', { type: 'nope' }),
        atom('p', { provides: 'v' }),
        atom('q', { requires: ['v'] }),
      ]),
    );
    const ps = validateFlow(d, registry);
    expect(ps).toHaveLength(3);
    let err: unknown;
    try {
      compileFlow(d, registry);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual(ps);
    expect((err as ValidationError).message).toMatch(/^3 problems:\n/);
    expect((err as ValidationError).message).toContain('root.children.1.type: unknown atom type "nope"');
  });
});

describe('conformance definitions', () => {
  it.each([
    [
      's01',
      linear('linear', [
        atom('a', { config: { value: 1 }, provides: 'x' }),
        atom('b', { config: { value: 2 }, requires: ['x'], provides: 'y' }),
        atom('c', { config: { value: 3 }, requires: ['x', 'y'], provides: 'z' }),
      ]),
    ],
    [
      's05a',
      linear('outer', [
        atom('pre', { config: { value: 'P' }, provides: 'p' }),
        linear(
          'inner',
          [
            atom('a', { config: { value: 'A' }, provides: 'xa' }),
            atom('b', { type: 'test.fail', config: { failTimes: 2, value: 'b-result' }, requires: ['attempt'] }),
            atom('c', { config: { value: 'c-result' }, requires: ['attempt'] }),
          ],
          { retry: { kind: 'times', attempts: 3, name: 'r', provides: 'attempt' } },
        ),
      ]),
    ],
    [
      's08d',
      linear(
        'outer',
        [
          atom('pre', { config: { value: 'pre-result' } }),
          linear('inner', [atom('b'), atom('c', { type: 'test.fail' })], { retry: { kind: 'alwaysRevertAll', name: 'ri' } }),
        ],
        { retry: { kind: 'times', attempts: 2, name: 'ro' } },
      ),
    ],
  ])('%s is valid with no run inputs', (_id, root) => {
    expect(validateFlow(def(root), registry, { inputs: [] })).toEqual([]);
  });
});
