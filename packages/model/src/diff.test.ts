import { describe, expect, it } from 'vitest';

import { diffRevisions, flattenAtoms } from './diff.js';
import type { FlowNodeInput } from './definition.js';
import { atom, def, linear, unordered } from './testing/fixtures.js';

const rev = (root: FlowNodeInput, revision: number) => def(root, { revision });
const echo = (name: string, value = `${name}-result`) => atom(name, { version: 1, config: { value } });
const d = (name: string, type = 'test.echo', version = 1) => ({ name, type, version });

describe('diffRevisions', () => {
  it('reports an added atom (case s11a)', () => {
    const a = rev(linear('f', [echo('a'), echo('b'), echo('c')]), 1);
    const b = rev(linear('f', [echo('a'), echo('b'), echo('new'), echo('c')]), 2);
    expect(diffRevisions(a, b)).toEqual({
      added: [d('new')],
      removed: [],
      versionChanged: [],
      unchanged: [d('a'), d('b'), d('c')],
      configChanged: [],
    });
  });

  it('reports a removed atom (case s11b)', () => {
    const a = rev(linear('f', [echo('a'), echo('b'), echo('c')]), 1);
    const b = rev(linear('f', [echo('a'), echo('c')]), 2);
    expect(diffRevisions(a, b)).toEqual({
      added: [],
      removed: [d('b')],
      versionChanged: [],
      unchanged: [d('a'), d('c')],
      configChanged: [],
    });
  });

  it('treats a rename as one removed and one added atom', () => {
    const diff = diffRevisions(rev(linear('f', [echo('a'), echo('old')]), 1), rev(linear('f', [echo('a'), echo('fresh')]), 2));
    expect(diff.added).toEqual([d('fresh')]);
    expect(diff.removed).toEqual([d('old')]);
  });

  it('reports a changed version or type as versionChanged, not unchanged', () => {
    const a = rev(linear('f', [echo('a'), atom('b', { version: 1 }), atom('c', { type: 'test.fail' })]), 1);
    const b = rev(linear('f', [echo('a'), atom('b', { version: 2 }), atom('c', { type: 'test.echo' })]), 2);
    const diff = diffRevisions(a, b);
    expect(diff.versionChanged).toEqual([
      { name: 'b', from: d('b', 'test.echo', 1), to: d('b', 'test.echo', 2) },
      { name: 'c', from: d('c', 'test.fail', 1), to: d('c', 'test.echo', 1) },
    ]);
    expect(diff.unchanged).toEqual([d('a')]);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it('includes retry controllers: added, removed, kind changed, settings changed', () => {
    const a = rev(
      linear('f', [
        linear('inner', [echo('x')], { retry: { kind: 'times', attempts: 2 } }),
        linear('gone', [], { retry: { kind: 'alwaysRevert' } }),
      ]),
      1,
    );
    const b = rev(
      linear('f', [linear('inner', [echo('x')], { retry: { kind: 'times', attempts: 5 } }), linear('gone', [])], {
        retry: { kind: 'forEach', values: [1] },
      }),
      2,
    );
    const diff = diffRevisions(a, b);
    expect(diff.added).toEqual([d('f-retry', 'retry.forEach')]);
    expect(diff.removed).toEqual([d('gone-retry', 'retry.alwaysRevert')]);
    expect(diff.unchanged).toEqual([d('inner-retry', 'retry.times'), d('x')]);
    expect(diff.configChanged).toEqual(['inner-retry']);
    const kind = diffRevisions(b, rev(linear('f', [linear('inner', [echo('x')], { retry: { kind: 'alwaysRevertAll' } })]), 3));
    expect(kind.versionChanged).toEqual([
      { name: 'inner-retry', from: d('inner-retry', 'retry.times'), to: d('inner-retry', 'retry.alwaysRevertAll') },
    ]);
  });

  it('lists unchanged atoms whose config, requires, provides, rebind or inject differ', () => {
    const a = rev(
      linear('f', [
        echo('c1'),
        atom('r', { requires: ['x'] }),
        atom('p', { provides: 'x' }),
        atom('rb', { rebind: { x: 'y' } }),
        atom('in', { inject: { x: 1 } }),
        echo('same'),
      ]),
      1,
    );
    const b = rev(
      linear('f', [
        echo('c1', 'other'),
        atom('r', { requires: ['y'] }),
        atom('p', { provides: ['x'] }),
        atom('rb', { rebind: { x: 'z' } }),
        atom('in', { inject: { x: 2 } }),
        echo('same'),
      ]),
      2,
    );
    const diff = diffRevisions(a, b);
    expect(diff.configChanged).toEqual(['c1', 'r', 'p', 'rb', 'in']);
    expect(diff.unchanged.map((x) => x.name)).toEqual(['c1', 'r', 'p', 'rb', 'in', 'same']);
  });

  it('ignores descriptions, flow structure, ui, and the order of the names an atom reads by (rebind, inject)', () => {
    const a = rev(
      linear('f', [atom('a', { config: { x: 1, y: { p: 1, q: 2 } }, rebind: { i: 'x', j: 'y' }, inject: { k: 1, l: 2 } }), echo('b')]),
      1,
    );
    const b = def(
      unordered('g', [
        linear('wrap', [
          atom('a', {
            config: { x: 1, y: { p: 1, q: 2 } },
            rebind: { j: 'y', i: 'x' },
            inject: { l: 2, k: 1 },
            description: 'now documented',
          }),
        ]),
        echo('b'),
      ]),
      {
        revision: 2,
        ui: { positions: { a: { x: 1, y: 2 } } },
      },
    );
    expect(diffRevisions(a, b)).toEqual({ added: [], removed: [], versionChanged: [], unchanged: [d('a'), d('b')], configChanged: [] });
  });

  it('a config whose keys only moved has changed: steps run, form fields show in the order written', () => {
    const steps = (s: Record<string, number>) => atom('kopf', { type: 'test.steps', config: { steps: s, delayMs: 0 } });
    const form = (properties: Record<string, unknown>) =>
      atom('gate', { type: 'approval', config: { title: 'Go?', form: { type: 'object', properties } } });
    const a = rev(
      linear('f', [steps({ create_pod: 1, is_ready: 3 }), form({ ticket: { type: 'string' }, amount: { type: 'number' } }), echo('c')]),
      1,
    );
    const b = rev(
      linear('f', [steps({ is_ready: 3, create_pod: 1 }), form({ amount: { type: 'number' }, ticket: { type: 'string' } }), echo('c')]),
      2,
    );
    const diff = diffRevisions(a, b);
    expect(diff.configChanged).toEqual(['kopf', 'gate']);
    expect(diff.unchanged.map((x) => x.name)).toEqual(['kopf', 'gate', 'c']);
    // top-level config keys moved, and an injected value's keys
    const top = diffRevisions(
      rev(linear('f', [atom('x', { config: { a: 1, b: 2 } }), atom('y', { inject: { v: { p: 1, q: 2 } } })]), 1),
      rev(linear('f', [atom('x', { config: { b: 2, a: 1 } }), atom('y', { inject: { v: { q: 2, p: 1 } } })]), 2),
    );
    expect(top.configChanged).toEqual(['x', 'y']);
    // the same order is no change
    expect(diffRevisions(a, structuredClone(a)).configChanged).toEqual([]);
  });

  it('follows the order of the new revision (removed: of the old one)', () => {
    const a = rev(linear('f', [echo('z'), echo('y'), echo('x')]), 1);
    const b = rev(linear('f', [echo('x'), echo('n2'), echo('n1'), echo('z')]), 2);
    const diff = diffRevisions(a, b);
    expect(diff.unchanged.map((x) => x.name)).toEqual(['x', 'z']);
    expect(diff.added.map((x) => x.name)).toEqual(['n2', 'n1']);
    expect(diff.removed.map((x) => x.name)).toEqual(['y']);
  });

  it('finds nothing between a revision and itself', () => {
    const a = rev(linear('f', [echo('a'), unordered('u', [echo('b')], { retry: { kind: 'times', attempts: 3 } })]), 1);
    expect(diffRevisions(a, a)).toEqual({
      added: [],
      removed: [],
      versionChanged: [],
      unchanged: [d('a'), d('u-retry', 'retry.times'), d('b')],
      configChanged: [],
    });
  });
});

describe('flattenAtoms', () => {
  it('lists atoms and retry controllers in definition order', () => {
    const flat = flattenAtoms(
      def(
        linear('f', [echo('a'), unordered('u', [echo('b')], { retry: { kind: 'times', attempts: 2, name: 'r' } })], {
          retry: { kind: 'alwaysRevert' },
        }),
      ),
    );
    expect(flat.map((x) => [x.name, x.type, x.version])).toEqual([
      ['f-retry', 'retry.alwaysRevert', 1],
      ['a', 'test.echo', 1],
      ['r', 'retry.times', 1],
      ['b', 'test.echo', 1],
    ]);
  });
});
