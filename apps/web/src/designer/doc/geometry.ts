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
