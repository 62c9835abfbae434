import type { AtomTypeInfo } from '@atomflow/api';
import { isFlowNode, type FlowKind, type FlowNode, type Node } from '@atomflow/model';

import type { Change, Doc, XY } from './changes';
import { ATOM_H, ATOM_W, GROUP_HEADER, GROUP_PAD, measure, positionOf, type Size } from './geometry';
import { namesWithin, uniqueName, usedNames } from './tree';

export interface Rect extends XY, Size {
  readonly name: string;
  readonly parent: string;
  readonly depth: number;
  readonly flow: boolean;
  readonly collapsed: boolean;
}

/** Absolute rectangles of every visible node (children of collapsed groups are left out). */
export function rects(doc: Doc): Rect[] {
  const collapsed = new Set(doc.ui.collapsed);
  const sizes = measure(doc.root, doc.ui.positions, collapsed);
  const out: Rect[] = [];
  const visit = (flow: FlowNode, origin: XY | undefined, depth: number): void => {
    flow.children.forEach((c, i) => {
      const p = positionOf(doc.ui.positions, c, i, origin !== undefined);
      const abs = { x: (origin?.x ?? 0) + p.x, y: (origin?.y ?? 0) + p.y };
      const isCollapsed = collapsed.has(c.name);
      out.push({ name: c.name, parent: flow.name, depth, ...abs, ...sizes.get(c.name)!, flow: isFlowNode(c), collapsed: isCollapsed });
      if (isFlowNode(c) && !isCollapsed) visit(c, abs, depth + 1);
    });
  };
  visit(doc.root, undefined, 0);
  return out;
}

const inside = (r: Rect, p: XY): boolean => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

/** The innermost expanded group under `point` (the root when none), skipping `exclude` and what is inside it. */
export function groupAt(doc: Doc, point: XY, exclude: ReadonlySet<string> = new Set()): { name: string; origin: XY | undefined } {
  let best: Rect | undefined;
  for (const r of rects(doc))
    if (r.flow && !r.collapsed && !exclude.has(r.name) && inside(r, point) && (!best || r.depth > best.depth)) best = r;
  return best ? { name: best.name, origin: { x: best.x, y: best.y } } : { name: doc.root.name, origin: undefined };
}

/** Keeps a dropped node clear of its group's header and left edge. */
function relative(point: XY, origin: XY | undefined): XY {
  if (!origin) return { x: Math.round(point.x), y: Math.round(point.y) };
  return { x: Math.max(GROUP_PAD / 2, Math.round(point.x - origin.x)), y: Math.max(GROUP_HEADER, Math.round(point.y - origin.y)) };
}

/** A fresh atom of a type: name from the type (`http.request` → `request`), unique. */
export function newAtom(doc: Doc, info: Pick<AtomTypeInfo, 'type' | 'version'>): Node {
  const base = info.type.split('.').pop() || 'atom';
  return {
    name: uniqueName(base, usedNames(doc)),
    type: info.type,
    version: info.version,
    config: {},
    requires: [],
    rebind: {},
    inject: {},
  };
}

export function newFlow(doc: Doc, kind: FlowKind): FlowNode {
  return { kind, name: uniqueName(kind, usedNames(doc)), children: [], edges: [] };
}

/** Adds `node` centred on `point` (flow coordinates), inside whatever group is there. */
export function addAt(doc: Doc, node: Node, point: XY): Change {
  const topLeft = { x: point.x - ATOM_W / 2, y: point.y - ATOM_H / 2 };
  const target = groupAt(doc, point);
  return { type: 'add', parent: target.name, node, positions: { [node.name]: relative(topLeft, target.origin) } };
}

/** Where the keyboard path adds a node: inside the selected group, or right of everything else. */
export function addNext(doc: Doc, node: Node, selectedGroup: string | undefined): Change {
  const all = rects(doc);
  if (selectedGroup) {
    const kids = all.filter((r) => r.parent === selectedGroup);
    const group = all.find((r) => r.name === selectedGroup);
    const right = kids.reduce((m, r) => Math.max(m, r.x + r.width), (group?.x ?? 0) + GROUP_PAD / 2 - 60);
    const x = right + 60 - (group?.x ?? 0);
    return { type: 'add', parent: selectedGroup, node, positions: { [node.name]: { x, y: GROUP_HEADER + GROUP_PAD } } };
  }
  const top = all.filter((r) => r.depth === 0);
  const right = top.reduce((m, r) => Math.max(m, r.x + r.width), -60);
  const y = top.length ? Math.min(...top.map((r) => r.y)) : 0;
  return { type: 'add', parent: doc.root.name, node, positions: { [node.name]: { x: right + 60, y } } };
}

/** After a drag: a position change, or a move into the group the node was dropped on. */
export function moveChange(doc: Doc, name: string, abs: XY, size: Size, currentParent: string): Change {
  const center = { x: abs.x + size.width / 2, y: abs.y + size.height / 2 };
  const node = doc.root.children.length ? findIn(doc.root, name) : undefined;
  const exclude = new Set(node ? namesWithin(node) : [name]);
  const target = groupAt(doc, center, exclude);
  const origin = target.origin;
  const position = origin
    ? { x: Math.round(abs.x - origin.x), y: Math.round(abs.y - origin.y) }
    : { x: Math.round(abs.x), y: Math.round(abs.y) };
  if (target.name === currentParent) return { type: 'position', name, position };
  return {
    type: 'reparent',
    name,
    parent: target.name,
    position: origin ? { x: Math.max(GROUP_PAD / 2, position.x), y: Math.max(GROUP_HEADER, position.y) } : position,
  };
}

function findIn(flow: FlowNode, name: string): Node | undefined {
  for (const c of flow.children) {
    if (c.name === name) return c;
    if (isFlowNode(c)) {
      const f = findIn(c, name);
      if (f) return f;
    }
  }
  return undefined;
}
