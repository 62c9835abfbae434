import { describe, expect, it } from 'vitest';

import { buildScene, hitTest, type SceneEdge, type SceneNode } from './far-scene';

const atom = (id: string, x: number, y: number, extra: Partial<SceneNode> = {}, data: Record<string, unknown> = {}): SceneNode => ({
  id,
  type: 'atom',
  width: 220,
  height: 72,
  position: { x, y },
  data: { atom: { name: id, type: 'test.echo' }, problems: [], ...data },
  ...extra,
});

const group = (id: string, x: number, y: number, w: number, h: number, extra: Partial<SceneNode> = {}): SceneNode => ({
  id,
  type: 'flow',
  width: w,
  height: h,
  position: { x, y },
  data: { flow: { name: id, kind: 'graph' }, problems: [], collapsed: false },
  ...extra,
});

describe('buildScene', () => {
  it('takes absolute boxes, skips hidden nodes, and prefers measured sizes', () => {
    const scene = buildScene(
      [atom('a', 0, 0), atom('b', 300, 0, { measured: { width: 240, height: 80 } }), atom('inside-collapsed', 0, 200, { hidden: true })],
      [],
    );
    expect(scene.atoms.map((a) => [a.id, a.x, a.y, a.w, a.h])).toEqual([
      ['a', 0, 0, 220, 72],
      ['b', 300, 0, 240, 80],
    ]);
  });

  it('shows the live state and mark of a run over what the node data says', () => {
    const scene = buildScene([atom('a', 0, 0, {}, { state: 'PENDING' }), atom('b', 300, 0, {}, { state: 'PENDING' })], [], (name) =>
      name === 'a' ? { state: 'FAILURE', mark: { root: true } } : undefined,
    );
    expect(scene.atoms.map((a) => [a.id, a.state, a.mark?.root])).toEqual([
      ['a', 'FAILURE', true],
      ['b', 'PENDING', undefined],
    ]);
  });

  it('counts problems, keeps selection and diff marks', () => {
    const scene = buildScene([atom('a', 0, 0, { selected: true }, { problems: [{ message: 'x' }, { message: 'y' }], diff: 'added' })], []);
    expect(scene.atoms[0]).toMatchObject({ selected: true, problems: 2, diff: 'added' });
  });

  it('places children relative to their parents and orders groups parents first, whatever order they come in', () => {
    const scene = buildScene(
      [
        group('inner', 20, 60, 300, 200, { parentId: 'outer' }),
        group('outer', 100, 50, 800, 600),
        atom('leaf', 10, 48, { parentId: 'inner' }),
      ],
      [{ source: 'outer', target: 'leaf' }],
    );
    expect(scene.groups.map((g) => [g.id, g.x, g.y])).toEqual([
      ['outer', 100, 50],
      ['inner', 120, 110],
    ]);
    expect(scene.atoms.map((a) => [a.id, a.x, a.y])).toEqual([['leaf', 130, 158]]);
    expect(scene.edges[0]).toMatchObject({ x1: 900, y1: 350, x2: 130, y2: 194 });
  });

  it('survives a parent cycle (a broken doc) instead of looping', () => {
    const scene = buildScene([group('p', 10, 10, 300, 200, { parentId: 'q' }), group('q', 5, 5, 300, 200, { parentId: 'p' })], []);
    expect(scene.groups).toHaveLength(2);
  });

  it('draws edges from the source right middle to the target left middle, dashes linear order, drops edges to hidden nodes', () => {
    const edges: SceneEdge[] = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c', className: 'edge-order' },
      { source: 'a', target: 'gone' },
      { source: 'a', target: 'b', hidden: true },
    ];
    const scene = buildScene([atom('a', 0, 0), atom('b', 300, 100), atom('c', 600, 100), atom('gone', 0, 0, { hidden: true })], edges);
    expect(scene.edges).toEqual([
      { x1: 220, y1: 36, x2: 300, y2: 136, order: false, selected: false },
      { x1: 520, y1: 136, x2: 600, y2: 136, order: true, selected: false },
    ]);
  });
});

describe('buildScene in a run', () => {
  it('is animating while an atom runs or reverts, not once all are at rest', () => {
    const running = buildScene([atom('a', 0, 0), atom('b', 300, 0)], [], (n) => ({
      state: n === 'a' ? 'RUNNING' : 'PENDING',
      mark: undefined,
    }));
    expect(running.animating).toBe(true);
    const reverting = buildScene([atom('a', 0, 0)], [], () => ({ state: 'REVERTING', mark: undefined }));
    expect(reverting.animating).toBe(true);
    const done = buildScene([atom('a', 0, 0)], [], () => ({ state: 'SUCCESS', mark: undefined }));
    expect(done.animating).toBe(false);
    expect(buildScene([atom('a', 0, 0)], []).animating).toBe(false);
  });

  it("carries a group's retry controller, its state and attempt note", () => {
    const g = group('g', 0, 0, 400, 200);
    const scene = buildScene(
      [
        {
          ...g,
          data: {
            ...g.data,
            flow: { name: 'g', kind: 'linear', retry: { kind: 'times', attempts: 3 } },
            retryState: 'RETRYING',
            retryNote: 'attempt 2 of 3',
          },
        },
      ],
      [],
    );
    expect(scene.groups[0]).toMatchObject({ retry: true, retryState: 'RETRYING', retryNote: 'attempt 2 of 3', flowKind: 'linear' });
  });
});

describe('hitTest', () => {
  const scene = buildScene(
    [group('outer', 0, 0, 1000, 600), group('inner', 100, 100, 500, 300, { parentId: 'outer' }), atom('a', 150, 150), atom('b', 700, 50)],
    [],
  );

  it('finds the atom under the point before the groups around it', () => {
    expect(hitTest(scene, { x: 200, y: 180 })?.id).toBe('a');
    expect(hitTest(scene, { x: 750, y: 100 })?.id).toBe('b');
  });

  it('finds the innermost group when no atom is there, and nothing outside every box', () => {
    expect(hitTest(scene, { x: 550, y: 350 })?.id).toBe('inner');
    expect(hitTest(scene, { x: 900, y: 500 })?.id).toBe('outer');
    expect(hitTest(scene, { x: 1200, y: 50 })).toBeUndefined();
  });

  it('widens atoms by the slack (a box a few pixels wide on screen stays clickable), not groups', () => {
    expect(hitTest(scene, { x: 695, y: 40 })?.id).toBe('outer');
    expect(hitTest(scene, { x: 695, y: 40 }, 20)?.id).toBe('b');
    expect(hitTest(scene, { x: 1010, y: 50 }, 20)).toBeUndefined();
  });
});
