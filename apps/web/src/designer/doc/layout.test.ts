import { describe, expect, it } from 'vitest';

import { applyChanges } from './changes';
import { sample } from './fixtures';
import { autoLayout, toElkGraph } from './layout';

describe('auto-layout (elk, layered, groups as compound nodes)', () => {
  it('builds the elk graph with groups and both kinds of order', () => {
    const g = toElkGraph(sample());
    expect(g.children!.map((c) => c.id)).toEqual(['a', 'group', 'd']);
    expect(g.children![1]!.children!.map((c) => c.id)).toEqual(['b', 'c']);
    expect(g.edges!.map((e) => e.id)).toEqual(['a->group', 'b->c']);
  });

  it('places connected nodes left to right, children inside their group', async () => {
    const doc = applyChanges(sample(), await autoLayout(sample()));
    const p = doc.ui.positions;
    expect(p['group']!.x).toBeGreaterThan(p['a']!.x);
    expect(p['c']!.x).toBeGreaterThan(p['b']!.x);
    expect(p['b']!.y).toBeGreaterThan(0);
  });
});
