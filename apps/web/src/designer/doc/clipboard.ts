import { isFlowNode, retryName, type Edge, type FlowNode, type Node } from '@atomflow/model';

import type { Change, Doc, XY } from './changes';
import { locate, namesWithin, uniqueName, usedNames } from './tree';

/** What Ctrl+C keeps: top-level nodes with their subtrees, positions and the edges among them. */
export interface Clip {
  readonly nodes: readonly Node[];
  readonly positions: Readonly<Record<string, XY>>;
  readonly edges: readonly Edge[];
}

export function copy(doc: Doc, names: readonly string[]): Clip | undefined {
  const set = new Set(names);
  // a node whose ancestor is also copied comes along inside it
  const tops = names
    .map((n) => locate(doc, n))
    .filter(
      (l) =>
        l &&
        l.parent &&
        !names.some(
          (o) => o !== l.node.name && isFlowNode(locate(doc, o)!.node) && namesWithin(locate(doc, o)!.node).includes(l.node.name),
        ),
    );
  if (tops.length === 0) return undefined;
  const nodes = tops.map((l) => l!.node);
  const inside = new Set(nodes.flatMap(namesWithin));
  const positions = Object.fromEntries(Object.entries(doc.ui.positions).filter(([k]) => inside.has(k)));
  const edges: Edge[] = [];
  const collect = (f: FlowNode): void => {
    for (const e of f.edges) if (set.has(e.from) && set.has(e.to)) edges.push(e);
    for (const c of f.children) if (isFlowNode(c)) collect(c);
  };
  collect(doc.root);
  return { nodes, positions, edges };
}

function renameTree(node: Node, taken: Set<string>, map: Map<string, string>): Node {
  const name = uniqueName(node.name, taken);
  taken.add(name);
  map.set(node.name, name);
  if (!isFlowNode(node)) return { ...node, name };
  const out: FlowNode = { ...node, name, children: [] };
  if (node.retry) {
    // a named controller needs a free name too; unnamed ones follow the group's name
    const r = node.retry.name !== undefined ? uniqueName(node.retry.name, taken) : undefined;
    if (r) taken.add(r);
    else taken.add(retryName({ ...node, name })!);
    out.retry = r ? { ...node.retry, name: r } : node.retry;
  }
  out.children = node.children.map((c) => renameTree(c, taken, map));
  out.edges = node.edges.map((e) => ({ from: map.get(e.from) ?? e.from, to: map.get(e.to) ?? e.to }));
  return out;
}

/**
 * Changes that paste `clip` into flow `parent`, renaming to keep names unique, shifted by
 * `offset`; returns the new top-level names (to select them).
 */
export function paste(doc: Doc, clip: Clip, parent: string, offset: XY): { changes: Change[]; names: string[] } {
  const taken = usedNames(doc);
  const map = new Map<string, string>();
  const changes: Change[] = [];
  const names: string[] = [];
  for (const node of clip.nodes) {
    const renamed = renameTree(node, taken, map);
    const positions: Record<string, XY> = {};
    for (const old of namesWithin(node)) {
      const p = clip.positions[old];
      if (p) positions[map.get(old)!] = old === node.name ? { x: p.x + offset.x, y: p.y + offset.y } : p;
    }
    changes.push({ type: 'add', parent, node: renamed, positions });
    names.push(renamed.name);
  }
  const target = locate(doc, parent)?.node;
  if (target && isFlowNode(target) && target.kind === 'graph')
    for (const e of clip.edges) {
      const from = map.get(e.from);
      const to = map.get(e.to);
      if (from && to && names.includes(from) && names.includes(to)) changes.push({ type: 'addEdge', flow: parent, edge: { from, to } });
    }
  return { changes, names };
}
