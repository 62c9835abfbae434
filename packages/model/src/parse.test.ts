import { describe, expect, it } from 'vitest';

import { ValidationError, type Problem } from './errors.js';
import { formatPath, parseFlowDefinition, parseFlowDefinitionOrThrow } from './parse.js';

function problems(input: unknown): Problem[] {
  const r = parseFlowDefinition(input);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

const withChildren = (children: unknown[], root: Record<string, unknown> = {}): unknown => ({
  id: 'f',
  root: { kind: 'linear', name: 'root', children, ...root },
});

describe('parseFlowDefinition: valid input', () => {
  it('fills the defaults (revision 1, version 1, config {}, requires [], edges [], children [])', () => {
    const r = parseFlowDefinition({
      id: 'orders',
      root: {
        kind: 'graph',
        name: 'root',
        children: [
          { name: 'reserve', type: 'http.request' },
          { kind: 'unordered', name: 'notify' },
        ],
      },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.revision).toBe(1);
    expect(r.value.root.edges).toEqual([]);
    const [reserve, notify] = r.value.root.children;
    expect(reserve).toEqual({ name: 'reserve', type: 'http.request', version: 1, config: {}, requires: [], rebind: {}, inject: {} });
    expect(notify).toEqual({ kind: 'unordered', name: 'notify', children: [], edges: [] });
  });

  it('keeps what was given (the design example)', () => {
    const input = {
      id: 'orders',
      revision: 3,
      root: {
        kind: 'linear',
        name: 'root',
        retry: { kind: 'times', attempts: 3 },
        children: [
          { name: 'reserve', type: 'http.request', version: 2, config: { url: 'http://127.0.0.1:9/reserve' }, provides: 'reservation' },
          { name: 'split', type: 'test.echo', provides: ['a', 'b'], requires: ['reservation'], rebind: { x: 'a' }, inject: { y: 1 } },
        ],
      },
      inputs: ['customer'],
      options: { deferReverts: true, maxParallel: 4 },
      ui: { positions: { reserve: { x: 0, y: 0 } } },
    };
    const def = parseFlowDefinitionOrThrow(input);
    expect(def.revision).toBe(3);
    expect(def.root.retry).toEqual({ kind: 'times', attempts: 3 });
    expect(def.root.children[0]).toMatchObject({ version: 2, config: { url: 'http://127.0.0.1:9/reserve' }, provides: 'reservation' });
    expect(def.root.children[1]).toMatchObject({ provides: ['a', 'b'], rebind: { x: 'a' }, inject: { y: 1 } });
    expect(def.inputs).toEqual(['customer']);
    expect(def.options).toEqual({ deferReverts: true, maxParallel: 4 });
    expect(def.ui).toEqual({ positions: { reserve: { x: 0, y: 0 } }, collapsed: [] });
  });

  it('defaults options.deferReverts to false', () => {
    expect(parseFlowDefinitionOrThrow({ id: 'f', root: { kind: 'linear', name: 'r' }, options: {} }).options).toEqual({
      deferReverts: false,
    });
  });

  it.each([
    { kind: 'times', attempts: 2, delayMs: 10, backoff: { factor: 3, maxDelayMs: 100 }, revertAll: true },
    { kind: 'forEach', values: ['v1', { any: 'thing' }, null], name: 'r', provides: 'val' },
    { kind: 'parameterizedForEach', from: 'hosts', provides: 'host' },
    { kind: 'alwaysRevert' },
    { kind: 'alwaysRevertAll', name: 'ri' },
  ])('accepts retry %o', (retry) => {
    expect(parseFlowDefinition(withChildren([], { retry })).ok).toBe(true);
  });

  it('fills backoff.factor', () => {
    const def = parseFlowDefinitionOrThrow(withChildren([], { retry: { kind: 'times', attempts: 2, delayMs: 5, backoff: {} } }));
    expect(def.root.retry).toMatchObject({ backoff: { factor: 2 } });
  });
});

describe('parseFlowDefinition: unknown fields', () => {
  it('reports the object holding the key, and names the key', () => {
    expect(
      problems(
        withChildren([
          { name: 'a', type: 't' },
          { name: 'b', type: 't', bogus: 1 },
        ]),
      ),
    ).toEqual([{ path: 'root.children.1', code: 'schema', message: 'Unrecognized key: "bogus"' }]);
  });

  it('finds them in nested flows, retries, edges, ui and at the top', () => {
    const ps = problems({
      id: 'f',
      extra: true,
      root: {
        kind: 'graph',
        name: 'root',
        retry: { kind: 'alwaysRevert', attempts: 2 },
        children: [{ kind: 'linear', name: 'g', children: [{ name: 'x', type: 't', requirez: [] }] }],
        edges: [{ from: 'x', to: 'y', label: 'l' }],
      },
      ui: { positions: {}, zoom: 2 },
    });
    expect(ps.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        ['(root)', 'Unrecognized key: "extra"'],
        ['root.retry', 'Unrecognized key: "attempts"'],
        ['root.children.0.children.0', 'Unrecognized key: "requirez"'],
        ['root.edges.0', 'Unrecognized key: "label"'],
        ['ui', 'Unrecognized key: "zoom"'],
      ]),
    );
    expect(ps).toHaveLength(5);
  });
});

describe('parseFlowDefinition: atom or flow', () => {
  it('gives a node with `kind` the flow errors', () => {
    expect(problems(withChildren([{ kind: 'bogus', name: 'g' }]))).toEqual([
      { path: 'root.children.0.kind', code: 'schema', message: expect.stringContaining('"linear"|"unordered"|"graph"') },
    ]);
    const ps = problems(withChildren([{ kind: 'linear', name: 'g', type: 'http.request' }]));
    expect(ps).toEqual([{ path: 'root.children.0', code: 'schema', message: 'Unrecognized key: "type"' }]);
  });

  it('gives a node without `kind` the atom errors', () => {
    const ps = problems(withChildren([{ name: 'g', children: [] }]));
    expect(ps.map((p) => p.path).sort()).toEqual(['root.children.0', 'root.children.0.type']);
    expect(ps.find((p) => p.path === 'root.children.0')!.message).toBe('Unrecognized key: "children"');
  });

  it('does so at any depth', () => {
    const ps = problems(
      withChildren([
        { kind: 'linear', name: 'g', children: [{ kind: 'graph', name: 'h', children: [{ name: 'z', type: 't', version: 0 }] }] },
      ]),
    );
    expect(ps).toEqual([{ path: 'root.children.0.children.0.children.0.version', code: 'schema', message: 'must be ≥ 1' }]);
  });

  it('explains a child that is not an object', () => {
    const ps = problems(withChildren([null, [], 5, 'a']));
    expect(ps.map((p) => p.path)).toEqual(['root.children.0', 'root.children.1', 'root.children.2', 'root.children.3']);
    for (const p of ps) expect(p.message).toBe('must be an atom ({name, type, …}) or a flow ({kind, name, children})');
  });

  it('does not mistake other unions for nodes (provides)', () => {
    expect(problems(withChildren([{ name: 'a', type: 't', provides: 5 }]))).toEqual([
      { path: 'root.children.0.provides', code: 'schema', message: 'must be a name or a list of names' },
    ]);
    expect(problems(withChildren([{ name: 'a', type: 't', provides: { kind: 'x' } }]))).toEqual([
      { path: 'root.children.0.provides', code: 'schema', message: 'must be a name or a list of names' },
    ]);
    expect(problems(withChildren([{ name: 'a', type: 't', provides: ['x', ' y'] }]))).toEqual([
      { path: 'root.children.0.provides.1', code: 'schema', message: 'must not start or end with whitespace' },
    ]);
  });
});

describe('parseFlowDefinition: retry options', () => {
  it.each([
    [{ kind: 'times', attempts: 0 }, 'root.retry.attempts', 'must be ≥ 1'],
    [{ kind: 'times', attempts: 1.5 }, 'root.retry.attempts', 'must be a whole number'],
    [{ kind: 'times', attempts: 10_001 }, 'root.retry.attempts', 'must be ≤ 10000'],
    [{ kind: 'times' }, 'root.retry.attempts', expect.stringContaining('expected number')],
    [{ kind: 'times', attempts: 2, delayMs: -1 }, 'root.retry.delayMs', 'must be ≥ 0'],
    [{ kind: 'times', attempts: 2, backoff: { factor: 0.5 } }, 'root.retry.backoff.factor', 'must be ≥ 1'],
    [{ kind: 'forEach', values: [] }, 'root.retry.values', 'must list at least one value'],
    [{ kind: 'forEach' }, 'root.retry.values', expect.stringContaining('expected array')],
    [{ kind: 'parameterizedForEach' }, 'root.retry.from', expect.stringContaining('expected string')],
    [{ kind: 'times', attempts: 2, name: '' }, 'root.retry.name', 'must not be empty'],
  ])('rejects %o at %s', (retry, path, message) => {
    expect(problems(withChildren([], { retry }))).toEqual([{ path, code: 'schema', message }]);
  });

  it('rejects an unknown retry kind at its `kind`', () => {
    const ps = problems(withChildren([{ kind: 'linear', name: 'g', retry: { kind: 'sometimes' } }]));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.path).toBe('root.children.0.retry.kind');
    expect(ps[0]!.message).toContain('times');
  });

  it('reports several bad retries at once', () => {
    const ps = problems(
      withChildren(
        [
          { kind: 'linear', name: 'g', retry: { kind: 'forEach', values: [] } },
          { kind: 'linear', name: 'h', retry: { kind: 'nope' } },
        ],
        { retry: { kind: 'times', attempts: 0 } },
      ),
    );
    expect(ps.map((p) => p.path)).toEqual(['root.retry.attempts', 'root.children.0.retry.values', 'root.children.1.retry.kind']);
  });
});

describe('parseFlowDefinition: names and ids', () => {
  it.each([
    [{ id: 'f bad', root: { kind: 'linear', name: 'r' } }, 'id'],
    [{ id: '', root: { kind: 'linear', name: 'r' } }, 'id'],
    [{ id: 'f', revision: 0, root: { kind: 'linear', name: 'r' } }, 'revision'],
    [{ id: 'f', root: { kind: 'linear', name: ' r' } }, 'root.name'],
    [{ id: 'f', root: { kind: 'linear', name: 'x'.repeat(201) } }, 'root.name'],
    [{ id: 'f', root: { kind: 'graph', name: 'r', edges: [{ from: 'a' }] } }, 'root.edges.0.to'],
    [{ id: 'f', root: { kind: 'linear', name: 'r' }, inputs: ['ok', ''] }, 'inputs.1'],
    [{ id: 'f', root: { kind: 'linear', name: 'r' }, options: { maxParallel: 0 } }, 'options.maxParallel'],
  ])('rejects %o at %s', (input, path) => {
    expect(problems(input).map((p) => p.path)).toEqual([path]);
  });

  it('accepts inner spaces and dots in names, reports one problem per bad name', () => {
    expect(parseFlowDefinition({ id: 'a.b_c-1', root: { kind: 'linear', name: 'send the mail' } }).ok).toBe(true);
    expect(problems({ id: '-a', root: { kind: 'linear', name: 'r\t' } })).toEqual([
      { path: 'id', code: 'schema', message: 'may contain letters, digits, ".", "_" and "-" only' },
      { path: 'root.name', code: 'schema', message: 'must not start or end with whitespace' },
    ]);
    expect(problems({ id: '', root: { kind: 'linear', name: '' } })).toEqual([
      { path: 'id', code: 'schema', message: 'must not be empty' },
      { path: 'root.name', code: 'schema', message: 'must not be empty' },
    ]);
  });

  it('checks rebind targets and requires entries as names', () => {
    const ps = problems(withChildren([{ name: 'a', type: 't', requires: ['x', ''], rebind: { y: ' z' } }]));
    expect(ps.map((p) => p.path).sort()).toEqual(['root.children.0.rebind.y', 'root.children.0.requires.1']);
  });
});

describe('parseFlowDefinition: not a definition', () => {
  it.each([[[]], [null], [undefined], ['orders'], [42], [true]])('returns a problem for %o, never throws', (input) => {
    const ps = problems(input);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ path: '(root)', code: 'schema' });
    expect(ps[0]!.message).toMatch(/expected object/);
  });

  it('reports a missing id and root together', () => {
    expect(problems({}).map((p) => p.path)).toEqual(['id', 'root']);
  });

  it('survives a root that is an array or null', () => {
    expect(problems({ id: 'f', root: [] })).toEqual([{ path: 'root', code: 'schema', message: expect.stringMatching(/expected object/) }]);
    expect(problems({ id: 'f', root: { kind: 'linear', name: 'r', children: null } })).toEqual([
      { path: 'root.children', code: 'schema', message: expect.stringMatching(/expected array/) },
    ]);
  });
});

describe('parseFlowDefinitionOrThrow', () => {
  it('throws a ValidationError carrying every problem', () => {
    let err: unknown;
    try {
      parseFlowDefinitionOrThrow({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.name).toBe('ValidationError');
    expect(v.problems.map((p) => p.path)).toEqual(['id', 'root']);
    expect(v.message).toMatch(/^2 problems:\n {2}id: .*\n {2}root: /);
  });

  it('uses the one problem as the message', () => {
    expect(() => parseFlowDefinitionOrThrow({ id: 'f', root: { kind: 'linear', name: 'r', x: 1 } })).toThrow(
      new ValidationError([{ path: 'root', code: 'schema', message: 'Unrecognized key: "x"' }]),
    );
    expect(() => parseFlowDefinitionOrThrow({ id: 'f', root: { kind: 'linear', name: 'r', x: 1 } })).toThrow('root: Unrecognized key: "x"');
  });
});

describe('formatPath', () => {
  it('joins keys and names the empty path', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['root', 'children', 2, 'config', 'url'])).toBe('root.children.2.config.url');
  });
});
