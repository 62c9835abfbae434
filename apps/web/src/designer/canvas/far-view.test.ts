import { describe, expect, it } from 'vitest';

import { fittedViewport, FIT_MAX_ZOOM, hiddenNodes, MIN_ZOOM, outermost, paneRectToFlow } from './far-view';

const node = (id: string, x: number, y: number, extra: Record<string, unknown> = {}) => ({
  id,
  position: { x, y },
  width: 200,
  height: 100,
  ...extra,
});

describe('fittedViewport', () => {
  it('fits the root nodes with padding, ignoring children (inside their group) and hidden nodes', () => {
    const nodes = [
      node('a', 0, 0),
      node('b', 1800, 900),
      node('child', 5000, 5000, { parentId: 'b' }),
      node('gone', -9000, 0, { hidden: true }),
    ];
    const v = fittedViewport(nodes, 1000, 500)!;
    // flow 2000 × 1000 into 1000 × 500 with 20 % padding: zoom 0.5 / 1.2 (React Flow rounds it)
    expect(v.zoom).toBeCloseTo(0.5 / 1.2, 2);
    // centred: the flow's middle (1000, 500) lands on the pane's middle (500, 250)
    expect(v.x + 1000 * v.zoom).toBeCloseTo(500, 0);
    expect(v.y + 500 * v.zoom).toBeCloseTo(250, 0);
  });

  it('stays within the zoom limits', () => {
    expect(fittedViewport([node('a', 0, 0)], 1200, 800)!.zoom).toBe(FIT_MAX_ZOOM);
    expect(fittedViewport([node('a', 0, 0), node('far', 200_000, 0)], 1000, 500)!.zoom).toBe(MIN_ZOOM);
  });

  it('has nothing to fit without nodes or a pane', () => {
    expect(fittedViewport([], 1000, 500)).toBeNull();
    expect(fittedViewport([node('a', 0, 0)], 0, 0)).toBeNull();
  });
});

describe('hiddenNodes', () => {
  it('hides every node, keeping one copy per node across calls and already hidden nodes as they are', () => {
    const cache = new WeakMap();
    const a = node('a', 0, 0);
    const b = node('b', 0, 0, { hidden: true });
    const first = hiddenNodes([a, b], cache);
    expect(first.map((n) => n.hidden)).toEqual([true, true]);
    expect(first[1]).toBe(b);
    expect(a).not.toHaveProperty('hidden');
    const second = hiddenNodes([a, b], cache);
    expect(second[0]).toBe(first[0]);
  });
});

describe('paneRectToFlow', () => {
  it('maps pane pixels through the viewport transform', () => {
    expect(paneRectToFlow({ x: 110, y: 70, width: 50, height: 20 }, [10, 20, 0.5])).toEqual({ x: 200, y: 100, width: 100, height: 40 });
  });
});

describe('outermost', () => {
  const nodes = [{ id: 'g' }, { id: 'inner', parentId: 'g' }, { id: 'a', parentId: 'inner' }, { id: 'b' }];
  it('keeps the nodes none of whose ancestors is picked (a group drags its children along)', () => {
    expect(outermost(new Set(['g', 'a', 'b']), nodes)).toEqual(['g', 'b']);
    expect(outermost(new Set(['inner', 'a']), nodes)).toEqual(['inner']);
    expect(outermost(new Set(['a']), nodes)).toEqual(['a']);
  });
  it('ends on a parent cycle instead of looping', () => {
    expect(
      outermost(new Set(['p']), [
        { id: 'p', parentId: 'q' },
        { id: 'q', parentId: 'p' },
      ]),
    ).toEqual(['p']);
  });
});
