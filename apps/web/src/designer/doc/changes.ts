import { isFlowNode, type AtomNode, type Edge, type FlowDefinition, type FlowNode, type Node, type RetryDefinition } from '@atomflow/model';

import { placeMissing } from './geometry';
import { namesWithin } from './tree';

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** What the designer edits: a definition whose `ui` is always there. Positions are relative to the enclosing group. */
export type Doc = FlowDefinition & {
  ui: {
    positions: Record<string, XY>;
    collapsed: string[];
    /** Positions `toDoc` made up for nodes stored without one: not saved or exported unless moved since. */
    auto?: Readonly<Record<string, XY>>;
  };
};

export type AtomPatch = Partial<
  Pick<AtomNode, 'type' | 'version' | 'description' | 'config' | 'requires' | 'provides' | 'rebind' | 'inject'>
>;
export type FlowPatch = Partial<Pick<FlowNode, 'kind' | 'description'>> & { retry?: RetryDefinition | null };

/** Every edit of the designer is one of these; undo, redo and persistence share them. */
export type Change =
  | {
      readonly type: 'add';
      readonly parent: string;
      readonly node: Node;
      readonly positions: Readonly<Record<string, XY>>;
      readonly index?: number;
    }
  | { readonly type: 'remove'; readonly name: string }
  | { readonly type: 'position'; readonly name: string; readonly position: XY }
  | { readonly type: 'reparent'; readonly name: string; readonly parent: string; readonly position: XY }
  | { readonly type: 'rename'; readonly from: string; readonly to: string }
  | { readonly type: 'updateAtom'; readonly name: string; readonly patch: AtomPatch }
  | { readonly type: 'updateFlow'; readonly name: string; readonly patch: FlowPatch }
  | { readonly type: 'addEdge'; readonly flow: string; readonly edge: Edge }
  | { readonly type: 'removeEdge'; readonly flow: string; readonly edge: Edge }
  | { readonly type: 'collapse'; readonly name: string; readonly collapsed: boolean }
  | { readonly type: 'meta'; readonly patch: { readonly name?: string; readonly description?: string } }
  | { readonly type: 'replace'; readonly doc: Doc };

/** The editable doc of a definition; nodes without a stored position get one (see `placeMissing`). */
export function toDoc(def: FlowDefinition): Doc {
  const collapsed = [...(def.ui?.collapsed ?? [])];
  const stored = def.ui?.positions ?? {};
  const positions = placeMissing(def.root, stored, new Set(collapsed));
  const auto = Object.fromEntries(Object.entries(positions).filter(([name]) => !(name in stored)));
  return { ...def, ui: { positions, collapsed, ...(Object.keys(auto).length ? { auto } : {}) } };
}

/** Rebuilds the tree with `fn` applied to every flow (bottom-up); unchanged subtrees keep their identity. */
function mapFlows(node: FlowNode, fn: (f: FlowNode) => FlowNode): FlowNode {
  let changed = false;
  const children = node.children.map((c) => {
    if (!isFlowNode(c)) return c;
    const next = mapFlows(c, fn);
    if (next !== c) changed = true;
    return next;
  });
  return fn(changed ? { ...node, children } : node);
}

function mapNamed(root: FlowNode, name: string, fn: (n: Node) => Node): FlowNode {
  if (root.name === name) return fn(root) as FlowNode;
  return mapFlows(root, (f) => {
    const i = f.children.findIndex((c) => c.name === name);
    if (i < 0) return f;
    const children = [...f.children];
    children[i] = fn(children[i]!);
    return { ...f, children };
  });
}

function without<T>(record: Readonly<Record<string, T>>, names: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !names.has(k)));
}

function findNode(root: FlowNode, name: string): Node | undefined {
  if (root.name === name) return root;
  for (const c of root.children) {
    if (c.name === name) return c;
    if (isFlowNode(c)) {
      const found = findNode(c, name);
      if (found) return found;
    }
  }
  return undefined;
}

function detach(root: FlowNode, name: string): FlowNode {
  return mapFlows(root, (f) =>
    f.children.some((c) => c.name === name) ? { ...f, children: f.children.filter((c) => c.name !== name) } : f,
  );
}

function insert(root: FlowNode, parent: string, node: Node, index?: number): FlowNode {
  return mapNamed(root, parent, (p) => {
    if (!isFlowNode(p)) return p;
    const children = [...p.children];
    children.splice(index ?? children.length, 0, node);
    return { ...p, children };
  });
}

/** Children of linear flows run in their order: keep it left to right (then top to bottom) as drawn. */
function sortLinear(root: FlowNode, positions: Readonly<Record<string, XY>>, only: string): FlowNode {
  return mapNamed(root, only, (f) => {
    if (!isFlowNode(f) || f.kind !== 'linear') return f;
    const at = (n: Node): XY => positions[n.name] ?? { x: Number.MAX_SAFE_INTEGER, y: 0 };
    const sorted = [...f.children].sort((a, b) => at(a).x - at(b).x || at(a).y - at(b).y);
    return sorted.every((c, i) => c === f.children[i]) ? f : { ...f, children: sorted };
  });
}

function parentName(root: FlowNode, name: string): string | undefined {
  for (const c of root.children) {
    if (c.name === name) return root.name;
    if (isFlowNode(c)) {
      const p = parentName(c, name);
      if (p) return p;
    }
  }
  return undefined;
}

function applyOne(doc: Doc, change: Change): Doc {
  switch (change.type) {
    case 'add': {
      const root = insert(doc.root, change.parent, change.node, change.index);
      const positions = { ...doc.ui.positions, ...change.positions };
      return { ...doc, root: change.index === undefined ? sortLinear(root, positions, change.parent) : root, ui: { ...doc.ui, positions } };
    }
    case 'remove': {
      const node = findNode(doc.root, change.name);
      if (!node || node === doc.root) return doc;
      const gone = new Set(namesWithin(node));
      const root = mapFlows(detach(doc.root, change.name), (f) =>
        f.edges.some((e) => gone.has(e.from) || gone.has(e.to))
          ? { ...f, edges: f.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)) }
          : f,
      );
      return { ...doc, root, ui: { positions: without(doc.ui.positions, gone), collapsed: doc.ui.collapsed.filter((n) => !gone.has(n)) } };
    }
    case 'position': {
      const positions = { ...doc.ui.positions, [change.name]: change.position };
      const parent = parentName(doc.root, change.name);
      return { ...doc, root: parent ? sortLinear(doc.root, positions, parent) : doc.root, ui: { ...doc.ui, positions } };
    }
    case 'reparent': {
      const node = findNode(doc.root, change.name);
      const target = findNode(doc.root, change.parent);
      if (!node || !target || !isFlowNode(target) || namesWithin(node).includes(change.parent)) return doc;
      const moved = new Set(namesWithin(node));
      // edges of the old flow that involved the node no longer connect siblings
      const root = mapFlows(insert(detach(doc.root, change.name), change.parent, node), (f) =>
        f.name !== change.parent &&
        f.children.every((c) => c.name !== change.name) &&
        f.edges.some((e) => moved.has(e.from) || moved.has(e.to))
          ? { ...f, edges: f.edges.filter((e) => !moved.has(e.from) && !moved.has(e.to)) }
          : f,
      );
      const positions = { ...doc.ui.positions, [change.name]: change.position };
      return { ...doc, root: sortLinear(root, positions, change.parent), ui: { ...doc.ui, positions } };
    }
    case 'rename': {
      const { from, to } = change;
      if (from === to || !findNode(doc.root, from)) return doc;
      const renameEdge = (e: Edge): Edge => ({ from: e.from === from ? to : e.from, to: e.to === from ? to : e.to });
      let root = mapNamed(doc.root, from, (n) => ({ ...n, name: to }));
      root = mapFlows(root, (f) => (f.edges.some((e) => e.from === from || e.to === from) ? { ...f, edges: f.edges.map(renameEdge) } : f));
      const positions = Object.fromEntries(Object.entries(doc.ui.positions).map(([k, v]) => [k === from ? to : k, v]));
      return { ...doc, root, ui: { positions, collapsed: doc.ui.collapsed.map((n) => (n === from ? to : n)) } };
    }
    case 'updateAtom':
      return { ...doc, root: mapNamed(doc.root, change.name, (n) => (isFlowNode(n) ? n : { ...n, ...change.patch })) };
    case 'updateFlow': {
      const { retry, ...rest } = change.patch;
      return {
        ...doc,
        root: mapNamed(doc.root, change.name, (n) => {
          if (!isFlowNode(n)) return n;
          const next: FlowNode = { ...n, ...rest };
          if (retry === null) delete next.retry;
          else if (retry !== undefined) next.retry = retry;
          // edges belong to graph flows only
          if (next.kind !== 'graph' && next.edges.length > 0) next.edges = [];
          return next;
        }),
      };
    }
    case 'addEdge':
      return {
        ...doc,
        root: mapNamed(doc.root, change.flow, (n) =>
          isFlowNode(n) && !n.edges.some((e) => e.from === change.edge.from && e.to === change.edge.to)
            ? { ...n, edges: [...n.edges, change.edge] }
            : n,
        ),
      };
    case 'removeEdge':
      return {
        ...doc,
        root: mapNamed(doc.root, change.flow, (n) =>
          isFlowNode(n) ? { ...n, edges: n.edges.filter((e) => !(e.from === change.edge.from && e.to === change.edge.to)) } : n,
        ),
      };
    case 'collapse': {
      const rest = doc.ui.collapsed.filter((n) => n !== change.name);
      return { ...doc, ui: { ...doc.ui, collapsed: change.collapsed ? [...rest, change.name] : rest } };
    }
    case 'meta': {
      const next: Doc = { ...doc };
      if (change.patch.name !== undefined) {
        if (change.patch.name) next.name = change.patch.name;
        else delete next.name;
      }
      if (change.patch.description !== undefined) {
        if (change.patch.description) next.description = change.patch.description;
        else delete next.description;
      }
      return next;
    }
    case 'replace':
      return change.doc;
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

/** The one reducer of designer edits: applies `changes` in order, never mutating `doc`. */
export function applyChanges(doc: Doc, changes: readonly Change[]): Doc {
  return changes.reduce(applyOne, doc);
}

/** The definition to save or export (positions of nodes that no longer exist are dropped). */
export function toDefinition(doc: Doc): FlowDefinition {
  const names = new Set<string>();
  const visit = (n: Node): void => {
    names.add(n.name);
    if (isFlowNode(n)) n.children.forEach(visit);
  };
  visit(doc.root);
  const auto = doc.ui.auto ?? {};
  // a made-up position the user never moved stays made up: the flow round-trips as it was stored
  const untouched = (k: string, p: XY): boolean => auto[k]?.x === p.x && auto[k]?.y === p.y;
  const positions = Object.fromEntries(Object.entries(doc.ui.positions).filter(([k, p]) => names.has(k) && !untouched(k, p)));
  return { ...doc, ui: { positions, collapsed: doc.ui.collapsed.filter((n) => names.has(n)) } };
}
