import { isFlowNode, retryName, type AtomNode, type FlowNode, type Problem } from '@atomflow/model';
import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';

import type { Doc } from './changes';
import { measure, positionOf } from './geometry';

/** How an atom compares with the other revision in a diff view. */
export type DiffMark = 'added' | 'removed' | 'changed' | 'config';

export interface AtomNodeData extends Record<string, unknown> {
  readonly atom: AtomNode;
  readonly category: string | null;
  readonly problems: readonly Problem[];
  readonly diff?: DiffMark;
  /** Live state in a run view. */
  readonly state?: string;
  /** Run view extras: a note (attempt k/n, wake-up time), the root failure, an operation preview. */
  readonly mark?: AtomMark;
}

export interface AtomMark {
  readonly note?: string;
  /** the failure that set the revert going */
  readonly root?: boolean;
  /** the state an operation being previewed puts the atom in */
  readonly preview?: string;
}
export type AtomCanvasNode = Node<AtomNodeData, 'atom'>;

export interface FlowNodeData extends Record<string, unknown> {
  readonly flow: FlowNode;
  readonly collapsed: boolean;
  readonly problems: readonly Problem[];
  readonly atoms: number;
  readonly diff?: DiffMark;
  /** Run view: the state of the group's retry controller and its note (attempt k of n). */
  readonly retryState?: string;
  readonly retryNote?: string;
}
export type FlowCanvasNode = Node<FlowNodeData, 'flow'>;

export type CanvasNode = AtomCanvasNode | FlowCanvasNode;

export interface EdgeData extends Record<string, unknown> {
  /** The graph flow whose `edges` hold it; absent for the drawn order of linear flows. */
  readonly flow?: string;
  readonly from: string;
  readonly to: string;
}
export type CanvasEdge = Edge<EdgeData>;

export interface CanvasOptions {
  readonly problems?: readonly Problem[];
  readonly categories?: ReadonlyMap<string, string | null>;
  readonly selected?: ReadonlySet<string>;
  readonly diff?: ReadonlyMap<string, DiffMark>;
  readonly states?: Readonly<Record<string, string>>;
  readonly marks?: Readonly<Record<string, AtomMark>>;
  readonly readOnly?: boolean;
}

const EMPTY: readonly Problem[] = [];

/**
 * Groups sit one level below atoms, so a root atom overlapping a group is drawn over it (React
 * Flow stacks a child above its parent by itself). React Flow lifts a selected node by 1,000
 * (`elevateNodesOnSelect`); a selected group is given that much less, so it stays beneath too.
 */
export const GROUP_Z = -1;
const SELECTED_LIFT = 1000;

/** A handle is 10 px square, centred on the middle of its side inside a node's 1.5 px border (canvas-perf.css). */
const HANDLE = 10;
const BORDER = 1.5;

/**
 * Where a node's two handles are, declared instead of measured: with its size (`measured`) known
 * too, React Flow needs no DOM node to place a node or its edges, so it renders only the nodes on
 * screen — and none at all while FarCanvas draws the zoomed-out view — instead of mounting every
 * node once to measure it. A mounted node is measured all the same and replaces these.
 */
function nodeHandles(width: number, height: number): NodeHandle[] {
  const y = height / 2 - HANDLE / 2;
  return [
    { type: 'target', position: Position.Left, x: BORDER - HANDLE / 2, y, width: HANDLE, height: HANDLE },
    { type: 'source', position: Position.Right, x: width - BORDER - HANDLE / 2, y, width: HANDLE, height: HANDLE },
  ];
}

function countAtoms(flow: FlowNode): number {
  return flow.children.reduce((n, c) => n + (isFlowNode(c) ? countAtoms(c) : 1), 0);
}

function retryMarks(flow: FlowNode, opts: CanvasOptions): { retryState?: string; retryNote?: string } {
  const name = retryName(flow);
  if (!name) return {};
  const state = opts.states?.[name];
  const note = opts.marks?.[name]?.note;
  return { ...(state ? { retryState: state } : {}), ...(note ? { retryNote: note } : {}) };
}

/** The canvas of a doc: nested flows become group nodes (parents before children), graph edges and linear order become edges. */
export function toCanvas(doc: Doc, opts: CanvasOptions = {}): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const collapsed = new Set(doc.ui.collapsed);
  const sizes = measure(doc.root, doc.ui.positions, collapsed);
  const problemsOf = new Map<string, Problem[]>();
  for (const p of opts.problems ?? []) {
    if (p.node === undefined) continue;
    const list = problemsOf.get(p.node);
    if (list) list.push(p);
    else problemsOf.set(p.node, [p]);
  }
  const nodes: CanvasNode[] = [];
  const edges: CanvasEdge[] = [];
  // the visible node standing for each name (a collapsed group stands for what it hides)
  const visible = new Map<string, string>();

  const visit = (flow: FlowNode, parentId: string | undefined, hiddenBy: string | undefined): void => {
    flow.children.forEach((child, i) => {
      const size = sizes.get(child.name)!;
      const base = {
        id: child.name,
        position: positionOf(doc.ui.positions, child, i, parentId !== undefined),
        width: size.width,
        height: size.height,
        measured: { width: size.width, height: size.height },
        handles: nodeHandles(size.width, size.height),
        selected: opts.selected?.has(child.name) ?? false,
        hidden: hiddenBy !== undefined,
        draggable: !opts.readOnly,
        connectable: !opts.readOnly,
        ...(parentId !== undefined ? { parentId } : {}),
      };
      visible.set(child.name, hiddenBy ?? child.name);
      const diff = opts.diff?.get(child.name);
      if (isFlowNode(child)) {
        const isCollapsed = collapsed.has(child.name);
        nodes.push({
          ...base,
          zIndex: base.selected ? GROUP_Z - SELECTED_LIFT : GROUP_Z,
          type: 'flow',
          data: {
            flow: child,
            collapsed: isCollapsed,
            problems: problemsOf.get(child.name) ?? EMPTY,
            atoms: countAtoms(child),
            ...(diff ? { diff } : {}),
            ...retryMarks(child, opts),
          },
          className: 'flow-group',
        });
        visit(child, child.name, hiddenBy ?? (isCollapsed ? child.name : undefined));
      } else {
        nodes.push({
          ...base,
          type: 'atom',
          data: {
            atom: child,
            category: opts.categories?.get(child.type) ?? null,
            problems: problemsOf.get(child.name) ?? EMPTY,
            ...(diff ? { diff } : {}),
            ...(opts.states?.[child.name] ? { state: opts.states[child.name] } : {}),
            ...(opts.marks?.[child.name] ? { mark: opts.marks[child.name] } : {}),
          },
        });
      }
    });
  };
  visit(doc.root, undefined, undefined);

  const walkEdges = (flow: FlowNode): void => {
    if (flow.kind === 'graph') {
      for (const e of flow.edges) {
        const source = visible.get(e.from);
        const target = visible.get(e.to);
        if (!source || !target || source === target) continue;
        edges.push({
          id: `edge:${flow.name}:${e.from}->${e.to}`,
          source,
          target,
          data: { flow: flow.name, from: e.from, to: e.to },
          deletable: !opts.readOnly,
          selected: opts.selected?.has(`edge:${flow.name}:${e.from}->${e.to}`) ?? false,
        });
      }
    } else if (flow.kind === 'linear') {
      for (let i = 0; i + 1 < flow.children.length; i++) {
        const from = flow.children[i]!.name;
        const to = flow.children[i + 1]!.name;
        const source = visible.get(from)!;
        const target = visible.get(to)!;
        if (source === target) continue;
        edges.push({
          id: `order:${flow.name}:${from}->${to}`,
          source,
          target,
          data: { from, to },
          deletable: false,
          selectable: false,
          focusable: false,
          className: 'edge-order',
        });
      }
    }
    for (const c of flow.children) if (isFlowNode(c)) walkEdges(c);
  };
  walkEdges(doc.root);
  return { nodes, edges };
}
