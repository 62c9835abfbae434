import { isFlowNode, type AtomNode, type FlowDefinition, type FlowNode, type Node, type RetryDefinition } from './definition.js';
import type { Problem, ProblemCode } from './errors.js';

/**
 * Subflows: an atom of type `subflow` (`config: { flowId, revision? }`) stands for another saved
 * flow. Before a run starts, `expandSubflows` inlines the referenced flow's root in its place as a
 * nested group with the atom's name, so the engine only ever sees plain groups and atoms, and every
 * inner atom is visible and operable in the run. Inner atom, group and retry names are prefixed
 * with `<subflow atom name>.` to stay unique; data names (requires/provides/rebind) are not: inner
 * atoms read what the enclosing flow stores and provide to it, as if written inline.
 */

export const SUBFLOW_TYPE = 'subflow';

/**
 * A run of a flow with subflows executes its expansion, saved as a revision of a companion flow
 * `<flow id>.expanded` (revisions are immutable and a run names the revision it runs). Lists show
 * the companion's runs under the flow itself and never list the companion; users cannot create a
 * flow with such an id.
 */
export const EXPANSION_SUFFIX = '.expanded';
/** The companion flow holding `flowId`'s expansions. */
export const expansionFlowId = (flowId: string): string => `${flowId}${EXPANSION_SUFFIX}`;
export const isExpansionFlowId = (flowId: string): boolean => flowId.endsWith(EXPANSION_SUFFIX);
/** The flow a companion expands (the id itself for any other flow). */
export const sourceFlowId = (flowId: string): string => (isExpansionFlowId(flowId) ? flowId.slice(0, -EXPANSION_SUFFIX.length) : flowId);
/** Deepest nesting of subflows in subflows. */
export const MAX_SUBFLOW_DEPTH = 8;
/** Longest name (the model's limit): prefixed names beyond it are problems. */
const MAX_NAME = 200;

export interface SubflowRef {
  readonly flowId: string;
  /** Absent: the latest revision. */
  readonly revision?: number;
}

/** Finds a saved flow revision (the latest when `revision` is undefined); undefined when there is none. */
export type SubflowResolver = (
  flowId: string,
  revision: number | undefined,
) => Promise<FlowDefinition | undefined> | FlowDefinition | undefined;

/** One subflow that was inlined: where (the name of the group it became) and which revision. */
export interface ExpandedSubflow {
  readonly atom: string;
  readonly flowId: string;
  readonly revision: number;
}

export type ExpandResult =
  | { readonly ok: true; readonly definition: FlowDefinition; readonly subflows: readonly ExpandedSubflow[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface ExpandOptions {
  readonly maxDepth?: number;
}

export function isSubflowAtom(node: Node): node is AtomNode {
  return !isFlowNode(node) && node.type === SUBFLOW_TYPE;
}

/** Whether a definition references any subflow (a definition without one needs no expansion). */
export function hasSubflows(def: FlowDefinition): boolean {
  const visit = (node: Node): boolean => (isFlowNode(node) ? node.children.some(visit) : isSubflowAtom(node));
  return visit(def.root);
}

/** The subflow reference in an atom's config, or a message saying what is wrong with it. */
export function subflowRef(node: AtomNode): SubflowRef | string {
  const { flowId, revision } = node.config;
  if (typeof flowId !== 'string' || flowId.length === 0) return 'a subflow needs config.flowId (the id of a saved flow)';
  if (revision !== undefined && (typeof revision !== 'number' || !Number.isInteger(revision) || revision < 1))
    return 'config.revision must be a whole number ≥ 1 (or absent for the latest)';
  return revision === undefined ? { flowId } : { flowId, revision };
}

/**
 * Inlines every subflow of `def` (recursively), resolving references with `resolve`. Problems
 * (a missing flow or revision, a cycle, nesting deeper than `maxDepth`, a bad reference, a name
 * grown too long) carry the path of the subflow atom in `def` that leads to them.
 */
export async function expandSubflows(def: FlowDefinition, resolve: SubflowResolver, options: ExpandOptions = {}): Promise<ExpandResult> {
  const maxDepth = options.maxDepth ?? MAX_SUBFLOW_DEPTH;
  const problems: Problem[] = [];
  const used: ExpandedSubflow[] = [];
  const cache = new Map<string, Promise<FlowDefinition | undefined>>();
  const load = (ref: SubflowRef): Promise<FlowDefinition | undefined> => {
    const key = `${ref.flowId}@${ref.revision ?? 'latest'}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = Promise.resolve(resolve(ref.flowId, ref.revision))));
    return hit;
  };

  /** `chain`: the flow ids being expanded around this node, outermost first (cycle detection). */
  async function expandNode(node: Node, path: string, prefix: string, chain: readonly string[]): Promise<Node> {
    if (isFlowNode(node)) {
      const children: Node[] = [];
      for (const [i, child] of node.children.entries()) children.push(await expandNode(child, `${path}.children.${i}`, prefix, chain));
      return { ...node, children };
    }
    if (!isSubflowAtom(node)) return node;
    return expandAtom(node, path, prefix, chain);
  }

  async function expandAtom(node: AtomNode, path: string, prefix: string, chain: readonly string[]): Promise<Node> {
    const fail = (at: string, message: string, code: ProblemCode = 'invalid-subflow'): Node => {
      problems.push({ path: at, node: node.name, code, message });
      return node;
    };
    const ref = subflowRef(node);
    if (typeof ref === 'string') return fail(`${path}.config`, ref);
    for (const field of ['provides', 'requires', 'rebind', 'inject'] as const) {
      const v = node[field];
      if (v !== undefined && (Array.isArray(v) ? v.length > 0 : typeof v === 'string' || Object.keys(v).length > 0))
        return fail(
          `${path}.${field}`,
          `a subflow takes no ${field}: its inner atoms read from and provide to the enclosing flow directly`,
        );
    }
    if (chain.includes(ref.flowId))
      return fail(`${path}.config.flowId`, `subflow cycle: ${[...chain, ref.flowId].map((f) => `"${f}"`).join(' → ')}`, 'subflow-cycle');
    if (chain.length > maxDepth) return fail(`${path}.config.flowId`, `subflows nest deeper than ${maxDepth} levels`);
    const inner = await load(ref);
    if (!inner)
      return fail(
        `${path}.config.${ref.revision === undefined ? 'flowId' : 'revision'}`,
        ref.revision === undefined ? `no saved flow "${ref.flowId}"` : `flow "${ref.flowId}" has no revision ${ref.revision}`,
        'unknown-subflow',
      );
    const name = prefix + node.name;
    const here = used.length;
    used.push({ atom: name, flowId: inner.id, revision: inner.revision });
    const before = problems.length;
    const root = await expandNode(inner.root, path, '', [...chain, ref.flowId]);
    // Problems inside the inner flow point at this atom (the path the user can act on).
    for (let i = before; i < problems.length; i++) {
      const p = problems[i]!;
      problems[i] = { ...p, path: path, node: node.name, message: `in subflow "${ref.flowId}": ${p.message}` };
    }
    if (!isFlowNode(root)) return node;
    // Subflows nested inside were recorded under their names in the inner flow: prefix them too.
    for (let i = here + 1; i < used.length; i++) used[i] = { ...used[i]!, atom: `${name}.${used[i]!.atom}` };
    const group = renameGroup(root, node, `${name}.`, (n) => {
      if (n.length > MAX_NAME)
        problems.push({
          path,
          node: node.name,
          code: 'invalid-subflow',
          message: `inner name "${n.slice(0, 60)}…" is longer than ${MAX_NAME} characters once prefixed`,
        });
    });
    return group;
  }

  const root = await expandNode(def.root, 'root', '', [def.id]);
  if (problems.length) return { ok: false, problems };
  if (!isFlowNode(root)) throw new Error('unreachable: the root is a flow');
  return { ok: true, definition: { ...def, root }, subflows: used };
}

/** The inner root as a group named like the subflow atom, every name inside prefixed. */
function renameGroup(root: FlowNode, atom: AtomNode, prefix: string, check: (name: string) => void): FlowNode {
  const rename = (n: string): string => {
    check(prefix + n);
    return prefix + n;
  };
  const renameRetry = (retry: RetryDefinition | undefined): RetryDefinition | undefined =>
    retry?.name === undefined ? retry : { ...retry, name: rename(retry.name) };
  const visit = (node: Node): Node => {
    if (!isFlowNode(node)) return { ...node, name: rename(node.name) };
    return withRetry(
      {
        ...node,
        name: rename(node.name),
        children: node.children.map(visit),
        edges: node.edges.map((e) => ({ from: rename(e.from), to: rename(e.to) })),
      },
      renameRetry(node.retry),
    );
  };
  const group: FlowNode = {
    ...root,
    name: atom.name,
    children: root.children.map(visit),
    edges: root.edges.map((e) => ({ from: rename(e.from), to: rename(e.to) })),
    ...(atom.description !== undefined ? { description: atom.description } : {}),
  };
  // The inner root's retry controller keeps governing its children; unnamed, it is `<atom>-retry`.
  return withRetry(group, renameRetry(root.retry));
}

function withRetry(node: FlowNode, retry: RetryDefinition | undefined): FlowNode {
  const { retry: _old, ...rest } = node;
  return retry === undefined ? rest : { ...rest, retry };
}
