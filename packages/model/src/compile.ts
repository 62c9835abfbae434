import {
  isFlowNode,
  providedNames,
  retryName,
  type AtomNode,
  type FlowDefinition,
  type FlowNode,
  type Node,
  type RetryDefinition,
} from './definition.js';
import { ValidationError, type Problem, type ProblemCode } from './errors.js';
import type { AtomRegistryView } from './registry-view.js';

/** Where an input of an atom comes from, nearest first. */
export type InputSource =
  | { readonly from: 'inject'; readonly value: unknown }
  | {
      readonly from: 'stored';
      /** The stored name read (after `rebind`). */
      readonly key: string;
      /** Atoms that provide `key` and run before this atom, nearest first. */
      readonly providers: readonly number[];
      /** Whether a run input of that name may satisfy it. */
      readonly input: boolean;
      /** Optional input: the value when nothing provides it. */
      readonly fallback?: { readonly value: unknown };
    };

export interface CompiledAtom {
  readonly index: number;
  readonly name: string;
  readonly kind: 'task' | 'retry';
  readonly type: string;
  readonly version: number;
  readonly config: Readonly<Record<string, unknown>>;
  /** Definition path, e.g. `root.children.1.children.0` (a retry: `….retry`). */
  readonly path: string;
  /** Names of the enclosing flows, outermost first. */
  readonly flowPath: readonly string[];
  /** Result → stored names: one name stores the whole value, several split an array. */
  readonly provides: string | readonly string[] | undefined;
  readonly retry?: RetryDefinition;
  /** Index of the retry controller governing this atom, or -1. */
  readonly controller: number;
  readonly preds: number[];
  readonly succs: number[];
  /** input name → source */
  readonly inputs: Readonly<Record<string, InputSource>>;
}

export interface CompiledFlow {
  readonly definition: FlowDefinition;
  readonly rootName: string;
  readonly atoms: readonly CompiledAtom[];
  readonly byName: ReadonlyMap<string, CompiledAtom>;
  /** Names the run must be given as inputs (required, provided by no atom before the requirer). */
  readonly inputs: readonly string[];
  /** Every stored name some atom provides. */
  readonly provided: ReadonlySet<string>;
}

export interface AnalyzeOptions {
  /** Names that will be given as run inputs: requirements satisfied by nothing else are problems. */
  readonly inputs?: readonly string[];
}

/** A flow subtree, as the compiler sees it. */
interface Part {
  readonly entries: number[];
  readonly exits: number[];
  /** stored name → providing atoms in the subtree, in definition order */
  readonly provides: Map<string, number[]>;
  /** required stored names of the subtree not provided inside it */
  readonly external: Set<string>;
  /** every atom in the subtree */
  readonly atoms: number[];
}

interface Scope {
  readonly parent: Scope | undefined;
  /** lookup of providers visible at this level, nearest first */
  readonly visible: (key: string) => number[];
}

interface MutableAtom {
  index: number;
  name: string;
  kind: 'task' | 'retry';
  type: string;
  version: number;
  config: Record<string, unknown>;
  path: string;
  flowPath: string[];
  provides: string | string[] | undefined;
  retry?: RetryDefinition;
  controller: number;
  preds: number[];
  succs: number[];
  inputs: Record<string, InputSource>;
  /** stored names required (for inference), computed before binding */
  requiredKeys: string[];
  /** pending bindings, resolved once scopes are known */
  binding: Array<{ input: string; key: string; optional: boolean; fallback: unknown }>;
  scope?: Scope;
}

const RETRY_TYPE = 'retry';

/**
 * Compiles a definition into the execution graph (a DAG of atoms) and reports every semantic
 * problem. `registry` may be omitted to check structure only (types, versions and config are
 * then not checked and atoms take only their declared `requires`).
 */
export function analyzeFlow(
  def: FlowDefinition,
  registry?: AtomRegistryView,
  options: AnalyzeOptions = {},
): { compiled: CompiledFlow; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (path: string, code: ProblemCode, message: string, node?: string): void => {
    problems.push(node === undefined ? { path, code, message } : { path, code, message, node });
  };
  const atoms: MutableAtom[] = [];
  const names = new Map<string, string>(); // name → path of its first use
  const claim = (name: string, path: string, what: string): void => {
    const first = names.get(name);
    if (first !== undefined) {
      problem(`${path}.name`, 'duplicate-name', `${what} name "${name}" is already used at ${first}`, name);
    } else names.set(name, path);
  };
  const edgeSet = new Set<number>();
  const connect = (from: readonly number[], to: readonly number[]): void => {
    for (const f of from)
      for (const t of to) {
        const k = f * 0x100000000 + t;
        if (f === t || edgeSet.has(k)) continue;
        edgeSet.add(k);
        atoms[f]!.succs.push(t);
        atoms[t]!.preds.push(f);
      }
  };

  const addAtom = (
    a: Omit<MutableAtom, 'index' | 'preds' | 'succs' | 'inputs' | 'requiredKeys' | 'binding'>,
    node: { requires: string[]; rebind: Record<string, string>; inject: Record<string, unknown> } | undefined,
    typeInputs: { required: readonly string[]; optional: Readonly<Record<string, unknown>> },
  ): MutableAtom => {
    const atom: MutableAtom = Object.assign(a, { index: atoms.length, preds: [], succs: [], inputs: {}, requiredKeys: [], binding: [] });
    atoms.push(atom);
    const rebind = node?.rebind ?? {};
    const inject = node?.inject ?? {};
    const required = new Set<string>([...(node?.requires ?? []), ...typeInputs.required]);
    // A rebound input the atom does not declare is still bound, as required (TaskFlow does so for
    // atoms that take any keyword argument); an optional one keeps its default.
    for (const input of Object.keys(rebind)) if (!(input in typeInputs.optional)) required.add(input);
    for (const input of required) {
      if (input in inject) atom.inputs[input] = { from: 'inject', value: inject[input] };
      else {
        const key = rebind[input] ?? input;
        atom.requiredKeys.push(key);
        atom.binding.push({ input, key, optional: false, fallback: undefined });
      }
    }
    for (const [input, fallback] of Object.entries(typeInputs.optional)) {
      if (required.has(input)) continue;
      if (input in inject) atom.inputs[input] = { from: 'inject', value: inject[input] };
      else atom.binding.push({ input, key: rebind[input] ?? input, optional: true, fallback });
    }
    // Injected values that are not declared inputs are still passed (TaskFlow passes them too).
    for (const [input, value] of Object.entries(inject)) if (!(input in atom.inputs)) atom.inputs[input] = { from: 'inject', value };
    return atom;
  };

  const compileAtom = (node: AtomNode, path: string, flowPath: string[], controller: number): Part => {
    claim(node.name, path, 'atom');
    let typeInputs: { required: readonly string[]; optional: Readonly<Record<string, unknown>> } = { required: [], optional: {} };
    if (registry) {
      const view = registry.get(node.type, node.version);
      if (!view) {
        const versions = registry.versions(node.type);
        if (versions.length === 0) problem(`${path}.type`, 'unknown-atom-type', `unknown atom type "${node.type}"`, node.name);
        else
          problem(
            `${path}.version`,
            'unknown-atom-version',
            `atom type "${node.type}" has no version ${node.version} (known: ${versions.join(', ')})`,
            node.name,
          );
      } else {
        for (const issue of view.checkConfig(node.config)) {
          const sub = issue.path.map(String).join('.');
          problem(`${path}.config${sub ? `.${sub}` : ''}`, 'invalid-config', issue.message, node.name);
        }
        try {
          typeInputs = view.inputs(node.config);
        } catch {
          // a config the type rejected above; its inputs are unknown
        }
      }
    }
    const provides = node.provides;
    const pnames = providedNames(provides);
    if (new Set(pnames).size !== pnames.length) problem(`${path}.provides`, 'duplicate-provider', `provides lists a name twice`, node.name);
    const atom = addAtom(
      { name: node.name, kind: 'task', type: node.type, version: node.version, config: node.config, path, flowPath, provides, controller },
      node,
      typeInputs,
    );
    const providesMap = new Map<string, number[]>();
    for (const n of pnames) providesMap.set(n, [atom.index]);
    return {
      entries: [atom.index],
      exits: [atom.index],
      provides: providesMap,
      external: new Set(atom.requiredKeys.filter((k) => !pnames.includes(k))),
      atoms: [atom.index],
    };
  };

  const compileFlowNode = (flow: FlowNode, path: string, flowPath: string[], parentController: number, scopes: ScopeBuilder): Part => {
    claim(flow.name, path, 'flow');
    const innerPath = [...flowPath, flow.name];
    let controller = parentController;
    let retryAtom: MutableAtom | undefined;
    if (flow.retry) {
      const rname = retryName(flow)!;
      claim(rname, `${path}.retry`, 'retry controller');
      const required = flow.retry.kind === 'parameterizedForEach' ? [flow.retry.from] : [];
      retryAtom = addAtom(
        {
          name: rname,
          kind: 'retry',
          type: `${RETRY_TYPE}.${flow.retry.kind}`,
          version: 1,
          config: {},
          path: `${path}.retry`,
          flowPath: innerPath,
          provides: flow.retry.provides,
          retry: flow.retry,
          controller: parentController,
        },
        { requires: required, rebind: {}, inject: {} },
        { required: [], optional: {} },
      );
      controller = retryAtom.index;
      if (flow.retry.kind === 'times' && flow.retry.backoff && !flow.retry.delayMs)
        problem(`${path}.retry.backoff`, 'invalid-retry', 'backoff multiplies delayMs: set delayMs > 0 or remove backoff', rname);
    }
    if (flow.kind !== 'graph' && flow.edges.length > 0)
      problem(
        `${path}.edges`,
        'unknown-edge-endpoint',
        `edges are only allowed in graph flows ("${flow.name}" is ${flow.kind})`,
        flow.name,
      );

    const children = flow.children;
    const parts: Part[] = [];
    // Scopes: each child sees what its flow makes visible to it; resolved after all children exist.
    const scopeOfChild = scopes.flow(
      flow,
      () => parts,
      () => graphAncestors,
      retryAtom?.index,
    );
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const cpath = `${path}.children.${i}`;
      const scopeFor = scopeOfChild(i);
      parts.push(
        isFlowNode(child)
          ? compileFlowNode(child, cpath, innerPath, controller, scopes.nested(scopeFor))
          : compileAtomIn(child, cpath, innerPath, controller, scopeFor),
      );
    }

    // Graph flows: child-level DAG from requires/provides and explicit edges.
    let graphAncestors: IndexSet[] = [];
    let entries: number[] = [];
    let exits: number[] = [];
    switch (flow.kind) {
      case 'linear': {
        // An empty child (a flow without atoms) passes the order through to the next one.
        let started = false;
        for (const p of parts) {
          if (p.atoms.length === 0) continue;
          if (started) connect(exits, p.entries);
          else entries = p.entries;
          started = true;
          exits = p.exits;
        }
        break;
      }
      case 'unordered':
        checkSiblingProviders(flow, path, parts);
        entries = parts.flatMap((p) => p.entries);
        exits = parts.flatMap((p) => p.exits);
        break;
      case 'graph': {
        checkSiblingProviders(flow, path, parts);
        const childEdges: Array<Set<number>> = parts.map(() => new Set<number>());
        const providerOf = new Map<string, number>();
        parts.forEach((p, i) => {
          for (const k of p.provides.keys()) if (!providerOf.has(k)) providerOf.set(k, i);
        });
        parts.forEach((p, i) => {
          for (const k of p.external) {
            const j = providerOf.get(k);
            if (j !== undefined && j !== i) childEdges[j]!.add(i);
          }
        });
        const childIndex = new Map<string, number>();
        children.forEach((c, i) => {
          childIndex.set(c.name, i);
          for (const a of parts[i]!.atoms) childIndex.set(atoms[a]!.name, i);
        });
        flow.edges.forEach((e, ei) => {
          const f = childIndex.get(e.from);
          const t = childIndex.get(e.to);
          if (f === undefined)
            problem(
              `${path}.edges.${ei}.from`,
              'unknown-edge-endpoint',
              `edge from unknown atom "${e.from}" (not in graph flow "${flow.name}")`,
              flow.name,
            );
          if (t === undefined)
            problem(
              `${path}.edges.${ei}.to`,
              'unknown-edge-endpoint',
              `edge to unknown atom "${e.to}" (not in graph flow "${flow.name}")`,
              flow.name,
            );
          if (f !== undefined && t !== undefined) {
            if (e.from === e.to)
              problem(`${path}.edges.${ei}`, 'cycle', `edge ${e.from} → ${e.to} makes "${e.from}" wait for itself`, e.to);
            else if (f === t)
              problem(
                `${path}.edges.${ei}`,
                'unknown-edge-endpoint',
                `edge ${e.from} → ${e.to} stays inside "${children[f]!.name}": edges of graph flow "${flow.name}" connect its children`,
                flow.name,
              );
            else childEdges[f]!.add(t);
          }
        });
        const cycle = findCycle(childEdges);
        if (cycle) {
          const label = cycle.map((i) => children[i]!.name);
          problem(`${path}`, 'cycle', `cycle in graph flow "${flow.name}": ${[...label, label[0]].join(' → ')}`, label[0]);
          // No order exists: let every child see every sibling so that the cycle is the only problem.
          graphAncestors = parts.map((_, i) => ({ has: (j: number) => j !== i }));
          const hasPred = parts.map(() => false);
          childEdges.forEach((succs, i) => {
            for (const j of succs) {
              hasPred[j] = true;
              connect(parts[i]!.exits, parts[j]!.entries);
            }
          });
          parts.forEach((p, i) => {
            if (!hasPred[i]) entries.push(...p.entries);
            if (childEdges[i]!.size === 0) exits.push(...p.exits);
          });
          break;
        }
        const order = topologicalOrder(childEdges);
        graphAncestors = ancestorsOf(childEdges, order);
        // Atoms that finish child i (an empty child passes on what finishes its predecessors).
        const finish: number[][] = parts.map(() => []);
        const predsOf: number[][] = parts.map(() => []);
        childEdges.forEach((succs, i) => {
          for (const j of succs) predsOf[j]!.push(i);
        });
        for (const i of order) {
          const before = [...new Set(predsOf[i]!.flatMap((j) => finish[j]!))];
          const p = parts[i]!;
          if (p.atoms.length === 0) {
            finish[i] = before;
            continue;
          }
          if (before.length === 0) entries.push(...p.entries);
          else connect(before, p.entries);
          finish[i] = p.exits;
        }
        exits = [...new Set(order.filter((i) => childEdges[i]!.size === 0).flatMap((i) => finish[i]!))];
        break;
      }
      default: {
        const never: never = flow.kind;
        throw new Error(`unknown flow kind ${String(never)}`);
      }
    }
    if (retryAtom) {
      connect([retryAtom.index], entries);
      entries = [retryAtom.index];
      if (exits.length === 0) exits = [retryAtom.index];
    }
    const provides = new Map<string, number[]>();
    const external = new Set<string>();
    const all: number[] = [];
    if (retryAtom) {
      all.push(retryAtom.index);
      for (const n of providedNames(retryAtom.provides)) provides.set(n, [retryAtom.index]);
    }
    for (const p of parts) {
      all.push(...p.atoms);
      for (const [k, v] of p.provides) {
        const list = provides.get(k);
        if (list) list.push(...v);
        else provides.set(k, [...v]);
      }
    }
    for (const p of parts) for (const k of p.external) if (!provides.has(k)) external.add(k);
    if (retryAtom) for (const k of retryAtom.requiredKeys) if (!provides.has(k)) external.add(k);
    return { entries, exits, provides, external, atoms: all };
  };

  const scopeOf = new Map<number, Lookup>();
  const compileAtomIn = (node: AtomNode, path: string, flowPath: string[], controller: number, scope: Lookup): Part => {
    const part = compileAtom(node, path, flowPath, controller);
    scopeOf.set(part.atoms[0]!, scope);
    return part;
  };

  const checkSiblingProviders = (flow: FlowNode, path: string, parts: Part[]): void => {
    const seen = new Map<string, number>();
    parts.forEach((p, i) => {
      for (const k of p.provides.keys()) {
        const j = seen.get(k);
        if (j !== undefined)
          problem(
            `${path}.children.${i}`,
            'duplicate-provider',
            `"${k}" is provided by both "${flow.children[j]!.name}" and "${flow.children[i]!.name}" in ${flow.kind} flow "${flow.name}" (which one a later atom would get is ambiguous)`,
            flow.children[i]!.name,
          );
        else seen.set(k, i);
      }
    });
  };

  const root = def.root;
  const rootScope = new ScopeBuilder(undefined, atoms);
  const rootPart = compileFlowNode(root, 'root', [], -1, rootScope);
  // Retry controllers resolve their own inputs in the scope of their flow's parent.
  for (const [idx, scope] of rootScope.retryScopes) scopeOf.set(idx, scope);

  // Bind inputs now that every scope is known. The run inputs known in advance: those the run is
  // given (`options.inputs`), else those the definition declares, else any.
  const known = options.inputs ? new Set(options.inputs) : def.inputs ? new Set(def.inputs) : undefined;
  const runInputs = new Set<string>();
  const provided = new Set<string>(rootPart.provides.keys());
  for (const atom of atoms) {
    const scope = scopeOf.get(atom.index) ?? (() => []);
    for (const b of atom.binding) {
      const providers = scope(b.key);
      if (b.optional) {
        atom.inputs[b.input] = { from: 'stored', key: b.key, providers, input: true, fallback: { value: b.fallback } };
        continue;
      }
      atom.inputs[b.input] = { from: 'stored', key: b.key, providers, input: providers.length === 0 };
      if (providers.length > 0) continue;
      // An atom never feeds itself: what it provides and requires comes from before it (TaskFlow).
      const others = (rootPart.provides.get(b.key) ?? []).filter((i) => i !== atom.index);
      if (others.length > 0 && !(known?.has(b.key) ?? false)) {
        const shown = others.slice(0, 5).map((i) => `"${atoms[i]!.name}"`);
        const by = others.length > 5 ? `${shown.join(', ')} and ${others.length - 5} more` : shown.join(', ');
        const one = others.length === 1;
        problem(
          atom.path,
          'unreachable-provider',
          `"${atom.name}" requires "${b.key}", but ${by} which provide${one ? 's' : ''} it do${one ? 'es' : ''} not run before "${atom.name}"`,
          atom.name,
        );
        continue;
      }
      runInputs.add(b.key);
      if (known && !known.has(b.key))
        problem(
          atom.path,
          'missing-requirement',
          `"${atom.name}" requires "${b.key}", which no atom provides and is not a run input`,
          atom.name,
        );
    }
  }

  const byName = new Map<string, CompiledAtom>();
  for (const a of atoms) if (!byName.has(a.name)) byName.set(a.name, a);
  const compiled: CompiledFlow = {
    definition: def,
    rootName: root.name,
    atoms,
    byName,
    inputs: [...runInputs],
    provided,
  };
  return { compiled, problems };
}

type Lookup = (key: string) => number[];

/** Builds the provider lookups (TaskFlow's scope walker) for children of each flow. */
class ScopeBuilder {
  readonly retryScopes: Array<[number, Lookup]>;
  constructor(
    private readonly parentScope: Lookup | undefined,
    private readonly atoms: MutableAtom[],
    retryScopes?: Array<[number, Lookup]>,
  ) {
    this.retryScopes = retryScopes ?? [];
  }

  nested(scope: Lookup): ScopeBuilder {
    return new ScopeBuilder(scope, this.atoms, this.retryScopes);
  }

  /**
   * Lookups for the children of `flow` (call once per flow), by child index: earlier siblings
   * (linear), ancestor siblings (graph), none (unordered); then the flow's retry controller; then
   * whatever the flow itself sees. The flow's retry controller resolves its own inputs in the
   * flow's scope. Lookups run once every child is compiled.
   */
  flow(flow: FlowNode, parts: () => Part[], graphAncestors: () => IndexSet[], retryIndex: number | undefined): (i: number) => Lookup {
    const parent = this.parentScope;
    const atoms = this.atoms;
    if (retryIndex !== undefined) this.retryScopes.push([retryIndex, parent ?? (() => [])]);
    let index: Map<string, number[]> | undefined; // key → indexes of the children providing it, ascending
    const siblingsProviding = (key: string): number[] => {
      if (!index) {
        index = new Map();
        parts().forEach((p, j) => {
          for (const k of p.provides.keys()) {
            const list = index!.get(k);
            if (list) list.push(j);
            else index!.set(k, [j]);
          }
        });
      }
      return index.get(key) ?? [];
    };
    return (i: number): Lookup =>
      (key: string): number[] => {
        const ps = parts();
        const out: number[] = [];
        const pushNearestIn = (p: Part): void => {
          const list = p.provides.get(key);
          if (list) for (let k = list.length - 1; k >= 0; k--) out.push(list[k]!);
        };
        switch (flow.kind) {
          case 'linear': {
            const sibs = siblingsProviding(key);
            // binary search for the last sibling before i
            let lo = 0;
            let hi = sibs.length;
            while (lo < hi) {
              const mid = (lo + hi) >> 1;
              if (sibs[mid]! < i) lo = mid + 1;
              else hi = mid;
            }
            for (let j = lo - 1; j >= 0; j--) pushNearestIn(ps[sibs[j]!]!);
            break;
          }
          case 'graph': {
            const anc = graphAncestors()[i];
            if (anc) for (const j of siblingsProviding(key)) if (anc.has(j)) pushNearestIn(ps[j]!);
            break;
          }
          case 'unordered':
            break;
          default: {
            const never: never = flow.kind;
            throw new Error(`unknown flow kind ${String(never)}`);
          }
        }
        if (retryIndex !== undefined && providedNames(atoms[retryIndex]!.provides).includes(key)) out.push(retryIndex);
        if (parent) out.push(...parent(key));
        return out;
      };
  }
}

/** Returns one cycle (as child indexes) of a small adjacency-set graph, or undefined. */
function findCycle(succs: ReadonlyArray<ReadonlySet<number>>): number[] | undefined {
  const color = new Uint8Array(succs.length); // 0 white, 1 grey, 2 black
  const parent = new Int32Array(succs.length).fill(-1);
  for (let s = 0; s < succs.length; s++) {
    if (color[s] !== 0) continue;
    const stack: Array<[number, Iterator<number>]> = [[s, succs[s]!.values()]];
    color[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top[1].next();
      if (next.done) {
        color[top[0]] = 2;
        stack.pop();
        continue;
      }
      const v = next.value;
      if (color[v] === 0) {
        color[v] = 1;
        parent[v] = top[0];
        stack.push([v, succs[v]!.values()]);
      } else if (color[v] === 1) {
        const cycle = [v];
        for (let u = top[0]; u !== v && u !== -1; u = parent[u]!) cycle.push(u);
        return cycle.reverse();
      }
    }
  }
  return undefined;
}

/** Kahn's topological order of an acyclic adjacency-set graph (ties in index order). */
function topologicalOrder(succs: ReadonlyArray<ReadonlySet<number>>): number[] {
  const n = succs.length;
  const indeg = new Array<number>(n).fill(0);
  for (const s of succs) for (const v of s) indeg[v]!++;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let h = 0; h < order.length; h++) for (const v of succs[order[h]!]!) if (--indeg[v]! === 0) order.push(v);
  return order;
}

/** A set of small integers (child indexes). */
interface IndexSet {
  has(i: number): boolean;
}

/** Transitive predecessors of every node of an acyclic adjacency-set graph (bitsets), given its topological order. */
function ancestorsOf(succs: ReadonlyArray<ReadonlySet<number>>, _order: readonly number[]): IndexSet[] {
  // Lazy: a provider is nearly always a direct predecessor (requires/provides made the edge), so
  // answer that from the predecessor sets and walk backwards only when asked about anything else
  // (a full ancestor matrix costs O(n²) for large graph flows).
  const n = succs.length;
  const preds: Array<Set<number>> = Array.from({ length: n }, () => new Set<number>());
  succs.forEach((s, u) => {
    for (const v of s) preds[v]!.add(u);
  });
  const full: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(n);
  const closure = (v: number): Uint8Array => {
    let seen = full[v];
    if (seen) return seen;
    seen = new Uint8Array(n);
    const stack = [...preds[v]!];
    while (stack.length) {
      const u = stack.pop()!;
      if (seen[u]) continue;
      seen[u] = 1;
      for (const p of preds[u]!) if (!seen[p]) stack.push(p);
    }
    full[v] = seen;
    return seen;
  };
  return Array.from({ length: n }, (_, v) => ({
    has: (i: number) => i >= 0 && i < n && (preds[v]!.has(i) || closure(v)[i] === 1),
  }));
}

/** Compiles a definition, throwing a `ValidationError` listing every problem. */
export function compileFlow(def: FlowDefinition, registry?: AtomRegistryView, options?: AnalyzeOptions): CompiledFlow {
  const { compiled, problems } = analyzeFlow(def, registry, options);
  if (problems.length) throw new ValidationError(problems);
  return compiled;
}

/** All problems of a definition (semantic; parse it with `parseFlowDefinition` first). */
export function validateFlow(def: FlowDefinition, registry?: AtomRegistryView, options?: AnalyzeOptions): Problem[] {
  return analyzeFlow(def, registry, options).problems;
}

/** Every atom reachable forward from `index` (TaskFlow's subgraph of a retry controller). */
export function subgraphOf(flow: CompiledFlow, index: number): number[] {
  const seen = new Uint8Array(flow.atoms.length);
  const out: number[] = [];
  const stack = [...flow.atoms[index]!.succs];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen[v]) continue;
    seen[v] = 1;
    out.push(v);
    for (const s of flow.atoms[v]!.succs) if (!seen[s]) stack.push(s);
  }
  return out.sort((a, b) => a - b);
}

export type { Node };
