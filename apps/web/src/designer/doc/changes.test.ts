import { isFlowNode, type FlowNode } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { applyChanges, toDefinition } from './changes';
import { atom, flow, sample } from './fixtures';

const group = (doc: ReturnType<typeof sample>) => doc.root.children.find((c) => c.name === 'group') as FlowNode;

describe('applyChanges', () => {
  it('adds a node into a flow with its position, without touching the input', () => {
    const doc = sample();
    const next = applyChanges(doc, [{ type: 'add', parent: 'group', node: atom('e'), positions: { e: { x: 600, y: 72 } } }]);
    expect(group(next).children.map((c) => c.name)).toEqual(['b', 'c', 'e']);
    expect(next.ui.positions['e']).toEqual({ x: 600, y: 72 });
    expect(group(doc).children).toHaveLength(2);
  });

  it('keeps a linear flow in drawn order (left to right) when a child moves', () => {
    const next = applyChanges(sample(), [{ type: 'position', name: 'b', position: { x: 500, y: 72 } }]);
    expect(group(next).children.map((c) => c.name)).toEqual(['c', 'b']);
  });

  it('removes a group with everything inside, its positions and the edges that touched it', () => {
    const next = applyChanges(sample(), [{ type: 'remove', name: 'group' }]);
    expect(next.root.children.map((c) => c.name)).toEqual(['a', 'd']);
    expect(next.root.edges).toEqual([]);
    expect(Object.keys(next.ui.positions).sort()).toEqual(['a', 'd']);
  });

  it('renames everywhere: the node, edges, positions and collapsed groups', () => {
    const doc = applyChanges(sample(), [{ type: 'collapse', name: 'group', collapsed: true }]);
    const next = applyChanges(doc, [{ type: 'rename', from: 'group', to: 'steps' }]);
    expect(next.root.edges).toEqual([{ from: 'a', to: 'steps' }]);
    expect(next.ui.positions['steps']).toEqual({ x: 300, y: 0 });
    expect(next.ui.collapsed).toEqual(['steps']);
  });

  it('moves a node into another flow; edges of the old flow that involved it go', () => {
    const next = applyChanges(sample(), [{ type: 'reparent', name: 'a', parent: 'group', position: { x: 10, y: 60 } }]);
    expect(next.root.children.map((c) => c.name)).toEqual(['group', 'd']);
    expect(group(next).children.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(next.root.edges).toEqual([]);
  });

  it('refuses to move a group into itself', () => {
    const doc = applyChanges(sample(), [{ type: 'add', parent: 'group', node: flow('graph', 'inner', []), positions: {} }]);
    expect(applyChanges(doc, [{ type: 'reparent', name: 'group', parent: 'inner', position: { x: 0, y: 0 } }])).toBe(doc);
  });

  it('sets and clears a retry controller; a non-graph kind drops edges', () => {
    const withRetry = applyChanges(sample(), [{ type: 'updateFlow', name: 'group', patch: { retry: { kind: 'times', attempts: 3 } } }]);
    expect(group(withRetry).retry).toEqual({ kind: 'times', attempts: 3 });
    const cleared = applyChanges(withRetry, [{ type: 'updateFlow', name: 'group', patch: { retry: null } }]);
    expect('retry' in group(cleared)).toBe(false);
    const linear = applyChanges(sample(), [{ type: 'updateFlow', name: 'root', patch: { kind: 'linear' } }]);
    expect(linear.root.edges).toEqual([]);
  });

  it('adds an edge once and removes it', () => {
    const e = { from: 'a', to: 'd' };
    const once = applyChanges(sample(), [
      { type: 'addEdge', flow: 'root', edge: e },
      { type: 'addEdge', flow: 'root', edge: e },
    ]);
    expect(once.root.edges).toEqual([{ from: 'a', to: 'group' }, e]);
    expect(applyChanges(once, [{ type: 'removeEdge', flow: 'root', edge: e }]).root.edges).toEqual([{ from: 'a', to: 'group' }]);
  });

  it('updates atom fields', () => {
    const next = applyChanges(sample(), [{ type: 'updateAtom', name: 'b', patch: { config: { value: 1 }, provides: 'x' } }]);
    const b = group(next).children[0]!;
    expect(isFlowNode(b) ? null : [b.config, b.provides]).toEqual([{ value: 1 }, 'x']);
  });
});

describe('toDefinition', () => {
  it('drops positions of nodes that are gone and keeps the DESIGN.md shape', () => {
    const doc = { ...sample(), ui: { positions: { ...sample().ui.positions, ghost: { x: 1, y: 1 } }, collapsed: ['ghost'] } };
    const def = toDefinition(doc);
    expect(def.ui?.positions['ghost']).toBeUndefined();
    expect(def.ui?.collapsed).toEqual([]);
    expect(def.root.name).toBe('root');
  });
});
