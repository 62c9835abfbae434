import { isFlowNode, type FlowNode, type Node } from '@atomflow/model';

import type { XY } from './changes';

export const ATOM_W = 220;
export const ATOM_H = 72;
export const GROUP_HEADER = 48;
export const GROUP_PAD = 24;
export const GROUP_MIN_W = 300;
export const GROUP_MIN_H = 150;
export const COLLAPSED_W = 260;
export const COLLAPSED_H = 64;
const GAP = 60;

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Where a child without a stored position goes: a row, left to right. */
export function defaultPosition(index: number, inGroup: boolean): XY {
  return inGroup ? { x: GROUP_PAD + index * (ATOM_W + GAP), y: GROUP_HEADER + GROUP_PAD } : { x: index * (ATOM_W + GAP), y: 0 };
}

export function positionOf(positions: Readonly<Record<string, XY>>, node: Node, index: number, inGroup: boolean): XY {
  return positions[node.name] ?? defaultPosition(index, inGroup);
}

/** Sizes of every node: atoms are fixed, groups wrap their children (or are small when collapsed). */
export function measure(root: FlowNode, positions: Readonly<Record<string, XY>>, collapsed: ReadonlySet<string>): Map<string, Size> {
  const sizes = new Map<string, Size>();
  const sizeOf = (node: Node): Size => {
    let size: Size;
    if (!isFlowNode(node)) size = { width: ATOM_W, height: ATOM_H };
    else if (collapsed.has(node.name)) {
      node.children.forEach(sizeOf);
      size = { width: COLLAPSED_W, height: COLLAPSED_H };
    } else {
      let w = GROUP_MIN_W;
      let h = GROUP_MIN_H;
      node.children.forEach((c, i) => {
        const s = sizeOf(c);
        const p = positionOf(positions, c, i, true);
        w = Math.max(w, p.x + s.width + GROUP_PAD);
        h = Math.max(h, p.y + s.height + GROUP_PAD);
      });
      size = { width: w, height: h };
    }
    sizes.set(node.name, size);
    return size;
  };
  root.children.forEach(sizeOf);
  return sizes;
}

/**
 * Positions for every node that has none stored (flows made by the API, the CLI or by hand):
 * children of linear and unordered flows in a row, graph children by layer (longest path over
 * the flow's edges) and stacked within a layer — each slot as wide as the node really is, so a
 * group never overlaps the next sibling. Stored positions are kept as they are.
 */
export function placeMissing(root: FlowNode, positions: Readonly<Record<string, XY>>, collapsed: ReadonlySet<string>): Record<string, XY> {
  const out: Record<string, XY> = { ...positions };
  const sizeOf = (node: Node): Size => {
    if (!isFlowNode(node)) return { width: ATOM_W, height: ATOM_H };
    place(node, true);
    if (collapsed.has(node.name)) return { width: COLLAPSED_W, height: COLLAPSED_H };
    let w = GROUP_MIN_W;
    let h = GROUP_MIN_H;
    for (const c of node.children) {
      const s = sizes.get(c.name)!;
      const p = out[c.name]!;
      w = Math.max(w, p.x + s.width + GROUP_PAD);
      h = Math.max(h, p.y + s.height + GROUP_PAD);
    }
    return { width: w, height: h };
  };
  const sizes = new Map<string, Size>();
  const place = (flow: FlowNode, inGroup: boolean): void => {
    for (const c of flow.children) sizes.set(c.name, sizeOf(c));
    const x0 = inGroup ? GROUP_PAD : 0;
    const y0 = inGroup ? GROUP_HEADER + GROUP_PAD : 0;
    if (flow.kind === 'graph' && flow.edges.length > 0) {
      const layer = new Map<string, number>(flow.children.map((c) => [c.name, 0]));
      // longest path: at most n rounds over the edges (cycles are a validation problem, not ours)
      for (let round = 0; round < flow.children.length; round++) {
        let moved = false;
        for (const e of flow.edges) {
          const from = layer.get(e.from);
          const to = layer.get(e.to);
          if (from !== undefined && to !== undefined && to < from + 1) {
            layer.set(e.to, from + 1);
            moved = true;
          }
        }
        if (!moved) break;
      }
      const layers: Node[][] = [];
      for (const c of flow.children) (layers[layer.get(c.name)!] ??= []).push(c);
      let x = x0;
      for (const nodes of layers) {
        if (!nodes) continue;
        let y = y0;
        let widest = 0;
        for (const c of nodes) {
          const s = sizes.get(c.name)!;
          out[c.name] ??= { x, y };
          y += s.height + GAP / 2;
          widest = Math.max(widest, s.width);
        }
        x += widest + GAP;
      }
      return;
    }
    let x = x0;
    for (const c of flow.children) {
      const p = (out[c.name] ??= { x, y: y0 });
      x = Math.max(x, p.x + sizes.get(c.name)!.width + GAP);
    }
  };
  place(root, false);
  return out;
}
