import { describe, expect, it } from 'vitest';

import { applyChanges } from './changes';
import { copy, paste } from './clipboard';
import { connectChange, connectTargets } from './connect';
import { sample } from './fixtures';

describe('connectChange', () => {
  it('adds an edge to the graph flow holding both', () => {
    expect(connectChange(sample(), 'a', 'd')).toEqual({ change: { type: 'addEdge', flow: 'root', edge: { from: 'a', to: 'd' } } });
    // an atom inside a child flow counts as that child
    expect(connectChange(sample(), 'c', 'd')).toEqual({ change: { type: 'addEdge', flow: 'root', edge: { from: 'c', to: 'd' } } });
  });

  it('explains why a connection cannot be made', () => {
    expect(connectChange(sample(), 'b', 'c')).toMatchObject({ error: expect.stringContaining('"group" is a linear flow') as unknown });
    expect(connectChange(sample(), 'group', 'b')).toMatchObject({ error: expect.stringContaining('in the same group') as unknown });
    expect(connectChange(sample(), 'a', 'a')).toMatchObject({ error: expect.stringContaining('itself') as unknown });
    expect(connectChange(sample(), 'a', 'group')).toMatchObject({ error: expect.stringContaining('already') as unknown });
    const unordered = applyChanges(sample(), [{ type: 'updateFlow', name: 'root', patch: { kind: 'unordered' } }]);
    expect(connectChange(unordered, 'a', 'd')).toMatchObject({ error: expect.stringContaining('unordered flow') as unknown });
  });

  it('lists the targets the keyboard path offers', () => {
    expect(connectTargets(sample(), 'a')).toEqual(['b', 'c', 'd']);
  });
});

describe('copy / paste', () => {
  it('pastes with unique names and the edges among the copied nodes', () => {
    const doc = sample();
    const clip = copy(doc, ['a', 'group'])!;
    expect(clip.nodes.map((n) => n.name)).toEqual(['a', 'group']);
    const r = paste(doc, clip, 'root', { x: 40, y: 40 });
    expect(r.names).toEqual(['a-2', 'group-2']);
    const next = applyChanges(doc, r.changes);
    expect(next.root.edges).toContainEqual({ from: 'a-2', to: 'group-2' });
    expect(next.ui.positions['a-2']).toEqual({ x: 40, y: 40 });
    const inner = next.root.children.find((c) => c.name === 'group-2');
    expect(inner && 'children' in inner ? inner.children.map((c) => c.name) : []).toEqual(['b-2', 'c-2']);
  });

  it('a node inside a copied group is not copied twice', () => {
    expect(copy(sample(), ['group', 'b'])!.nodes.map((n) => n.name)).toEqual(['group']);
  });
});
