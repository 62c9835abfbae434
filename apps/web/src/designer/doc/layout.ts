import { isFlowNode, type FlowNode, type Node } from '@atomflow/model';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

import type { Change, Doc, XY } from './changes';
import { ATOM_H, ATOM_W, COLLAPSED_H, COLLAPSED_W, GROUP_HEADER, GROUP_PAD } from './geometry';

const LAYOUT = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.spacing.nodeNode': '40',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
} as const;

/** The elk graph of a doc: groups are compound nodes (hierarchy respected), edges = graph edges + linear order. */
export function toElkGraph(doc: Doc): ElkNode {
  const collapsed = new Set(doc.ui.collapsed);
  const edges: ElkExtendedEdge[] = [];
  const edgeKeys = new Set<string>();
  const addEdge = (from: string, to: string): void => {
    const id = `${from}->${to}`;
    if (edgeKeys.has(id)) return;
    edgeKeys.add(id);
    edges.push({ id, sources: [from], targets: [to] });
  };
  // edges between nodes hidden in a collapsed group go to the group
  const shown = new Map<string, string>();
  const node = (n: Node, hiddenBy: string | undefined): ElkNode => {
    shown.set(n.name, hiddenBy ?? n.name);
    if (!isFlowNode(n)) return { id: n.name, width: ATOM_W, height: ATOM_H };
    if (collapsed.has(n.name) || hiddenBy) {
      n.children.forEach((c) => node(c, hiddenBy ?? n.name));
      return { id: n.name, width: COLLAPSED_W, height: COLLAPSED_H };
    }
    return {
      id: n.name,
      layoutOptions: {
        ...LAYOUT,
        'elk.padding': `[top=${GROUP_HEADER + GROUP_PAD / 2},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]`,
      },
      children: n.children.map((c) => node(c, undefined)),
    };
  };
  const children = doc.root.children.map((c) => node(c, undefined));
  const collect = (f: FlowNode): void => {
    if (f.kind === 'graph') for (const e of f.edges) addEdge(shown.get(e.from) ?? e.from, shown.get(e.to) ?? e.to);
    if (f.kind === 'linear')
      for (let i = 0; i + 1 < f.children.length; i++) addEdge(shown.get(f.children[i]!.name)!, shown.get(f.children[i + 1]!.name)!);
    for (const c of f.children) if (isFlowNode(c)) collect(c);
  };
  collect(doc.root);
  return {
    id: '__root',
    layoutOptions: { ...LAYOUT, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' },
    children,
    edges: edges.filter((e) => e.sources[0] !== e.targets[0]),
  };
}

/** Positions (relative to each parent) from a laid-out elk graph, as one undoable change list. */
export function positionChanges(laid: ElkNode): Change[] {
  const out: Change[] = [];
  const visit = (n: ElkNode): void => {
    for (const c of n.children ?? []) {
      out.push({ type: 'position', name: c.id, position: { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) } satisfies XY });
      visit(c);
    }
  };
  visit(laid);
  return out;
}

/** Lays the doc out with elk (layered, left to right); the result is a list of position changes. */
export async function autoLayout(doc: Doc): Promise<Change[]> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const laid = await elk.layout(toElkGraph(doc));
  return positionChanges(laid);
}
