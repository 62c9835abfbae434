import { isFlowNode, retryName, type FlowDefinition, type FlowNode, type Node } from '@atomflow/model';

/** A node of the definition tree with where it sits. */
export interface Located {
  readonly node: Node;
  /** The enclosing flow; undefined for the root. */
  readonly parent: FlowNode | undefined;
  readonly index: number;
  /** Definition path, e.g. `root.children.1.children.0`. */
  readonly path: string;
}

/** Every node, depth first (parents before children), the root first. */
export function walk(def: FlowDefinition): Located[] {
  const out: Located[] = [];
  const visit = (node: Node, parent: FlowNode | undefined, index: number, path: string): void => {
    out.push({ node, parent, index, path });
    if (isFlowNode(node)) node.children.forEach((c, i) => visit(c, node, i, `${path}.children.${i}`));
  };
  visit(def.root, undefined, 0, 'root');
  return out;
}

export function locate(def: FlowDefinition, name: string): Located | undefined {
  return walk(def).find((l) => l.node.name === name);
}

/** Names in use: atoms, flows and retry controllers (they share one namespace). */
export function usedNames(def: FlowDefinition): Set<string> {
  const names = new Set<string>();
  for (const { node } of walk(def)) {
    names.add(node.name);
    if (isFlowNode(node)) {
      const r = retryName(node);
      if (r) names.add(r);
    }
  }
  return names;
}

/** `base`, or `base-2`, `base-3`… whichever is free. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/-\d+$/, '') || 'atom';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Names of `node` and everything inside it. */
export function namesWithin(node: Node): string[] {
  const out: string[] = [node.name];
  if (isFlowNode(node)) for (const c of node.children) out.push(...namesWithin(c));
  return out;
}

/** The chain of flows from the root down to (and excluding) `name`. */
export function ancestors(def: FlowDefinition, name: string): FlowNode[] {
  const chain: FlowNode[] = [];
  const find = (flow: FlowNode): boolean => {
    for (const c of flow.children) {
      if (c.name === name) return true;
      if (isFlowNode(c)) {
        chain.push(c);
        if (find(c)) return true;
        chain.pop();
      }
    }
    return false;
  };
  if (def.root.name === name) return [];
  return find(def.root) ? [def.root, ...chain] : [];
}

/** The node a definition path (`root.children.2.config.url`) points into, if any. */
export function nodeAtPath(def: FlowDefinition, path: string): Node | undefined {
  const parts = path.split('.');
  if (parts[0] !== 'root') return undefined;
  let node: Node = def.root;
  for (let i = 1; i + 1 < parts.length; i += 2) {
    if (parts[i] !== 'children' || !isFlowNode(node)) break;
    const child: Node | undefined = node.children[Number(parts[i + 1])];
    if (!child) break;
    node = child;
  }
  return node;
}

/** Number of atoms (tasks, not flows) in a definition. */
export function atomCount(def: FlowDefinition): number {
  return walk(def).filter((l) => !isFlowNode(l.node)).length;
}
