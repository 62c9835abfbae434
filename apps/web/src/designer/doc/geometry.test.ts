import { describe, expect, it } from 'vitest';

import { applyChanges, toDefinition, toDoc } from './changes';
import { atom, flow } from './fixtures';
import { ATOM_H, ATOM_W, measure, placeMissing, type Size } from './geometry';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('placeMissing: positions for flows saved without any (API, CLI, hand-written JSON)', () => {
  // the order saga shape that used to draw `ship` on top of the `payment` group
  const root = flow('linear', 'order', [
    atom('reserve'),
    flow('graph', 'payment', [atom('charge'), atom('notify'), atom('receipt')], { edges: [{ from: 'charge', to: 'receipt' }] }),
    atom('ship'),
  ]);

  it('never overlaps siblings: each slot is as wide as the node (groups included)', () => {
    const positions = placeMissing(root, {}, new Set());
    const sizes = measure(root, positions, new Set());
    const box = (name: string): Box => ({ ...positions[name]!, ...(sizes.get(name) as Size) });
    expect(overlaps(box('reserve'), box('payment'))).toBe(false);
    expect(overlaps(box('payment'), box('ship'))).toBe(false);
    expect(positions['ship']!.x).toBeGreaterThan(positions['payment']!.x + sizes.get('payment')!.width);
    for (const [a, b] of [
      ['charge', 'notify'],
      ['charge', 'receipt'],
      ['notify', 'receipt'],
    ] as const)
      expect(overlaps(box(a), box(b))).toBe(false);
  });

  it('lays graph children out by layer along their edges, stacking independent ones', () => {
    const p = placeMissing(root, {}, new Set());
    expect(p['receipt']!.x).toBeGreaterThanOrEqual(p['charge']!.x + ATOM_W); // after its predecessor
    expect(p['notify']!.x).toBe(p['charge']!.x); // same layer: stacked
    expect(p['notify']!.y).toBeGreaterThanOrEqual(p['charge']!.y + ATOM_H);
  });

  it('keeps stored positions and places only the missing ones after them', () => {
    const p = placeMissing(root, { reserve: { x: 500, y: 40 } }, new Set());
    expect(p['reserve']).toEqual({ x: 500, y: 40 });
    expect(p['payment']!.x).toBeGreaterThanOrEqual(500 + ATOM_W);
  });

  it('toDoc fills them in, so the designer and the run page draw the same tidy picture', () => {
    const doc = toDoc({ id: 'f', revision: 1, root });
    expect(Object.keys(doc.ui.positions).sort()).toEqual(['charge', 'notify', 'payment', 'receipt', 'reserve', 'ship']);
  });

  it('made-up positions are not saved or exported unless the user moved the node: a flow round-trips as stored', () => {
    const def = { id: 'f', revision: 1, root, ui: { positions: { reserve: { x: 500, y: 40 } }, collapsed: [] } };
    const doc = toDoc(def);
    expect(toDefinition(doc).ui).toEqual(def.ui);
    const moved = applyChanges(doc, [{ type: 'position', name: 'ship', position: { x: 9, y: 9 } }]);
    expect(toDefinition(moved).ui!.positions).toEqual({ reserve: { x: 500, y: 40 }, ship: { x: 9, y: 9 } });
  });
});
