import { describe, expect, it } from 'vitest';

import { applyChanges } from './changes';
import { atom, sample } from './fixtures';
import { ATOM_W, GROUP_PAD } from './geometry';
import { toCanvas } from './to-canvas';

describe('toCanvas', () => {
  it('draws groups as parents before their children, sized around them', () => {
    const { nodes } = toCanvas(sample());
    expect(nodes.map((n) => [n.id, n.type, n.parentId])).toEqual([
      ['a', 'atom', undefined],
      ['group', 'flow', undefined],
      ['b', 'atom', 'group'],
      ['c', 'atom', 'group'],
      ['d', 'atom', undefined],
    ]);
    const group = nodes.find((n) => n.id === 'group')!;
    expect(group.width).toBe(300 + ATOM_W + GROUP_PAD);
  });

  it('draws graph edges and the order of linear flows (not deletable)', () => {
    const { edges } = toCanvas(sample());
    expect(edges.map((e) => [e.id, e.deletable])).toEqual([
      ['edge:root:a->group', true],
      ['order:group:b->c', false],
    ]);
  });

  it('hides what a collapsed group holds; edges to it go to the group', () => {
    const doc = applyChanges(sample(), [
      { type: 'collapse', name: 'group', collapsed: true },
      { type: 'addEdge', flow: 'root', edge: { from: 'c', to: 'd' } },
    ]);
    const { nodes, edges } = toCanvas(doc);
    expect(nodes.filter((n) => n.hidden).map((n) => n.id)).toEqual(['b', 'c']);
    expect(edges.find((e) => e.id === 'edge:root:c->d')?.source).toBe('group');
  });

  it('puts problems, selection and live states on the nodes', () => {
    const { nodes } = toCanvas(sample(), {
      problems: [{ path: 'root.children.0', node: 'a', code: 'cycle', message: 'x' }],
      selected: new Set(['d']),
      states: { b: 'RUNNING' },
    });
    const a = nodes.find((n) => n.id === 'a')!;
    expect(a.data.problems).toHaveLength(1);
    expect(nodes.find((n) => n.id === 'd')!.selected).toBe(true);
    expect(nodes.find((n) => n.id === 'b')!.data).toMatchObject({ state: 'RUNNING' });
  });

  it('places children without a stored position in a row', () => {
    const doc = applyChanges(sample(), [{ type: 'add', parent: 'root', node: atom('e'), positions: {} }]);
    const e = toCanvas(doc).nodes.find((n) => n.id === 'e')!;
    expect(e.position.x).toBeGreaterThan(0);
  });
});
