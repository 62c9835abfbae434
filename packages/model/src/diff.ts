import { isFlowNode, retryName, type FlowDefinition, type Node } from './definition.js';

export interface DiffAtom {
  readonly name: string;
  readonly type: string;
  readonly version: number;
}

export interface RevisionDiff {
  /** In `b` only: they run as new atoms. */
  readonly added: readonly DiffAtom[];
  /** In `a` only: their records are kept but they are ignored. */
  readonly removed: readonly DiffAtom[];
  /** Same name, other version (or type): treated as a new atom, its old result is dropped. */
  readonly versionChanged: ReadonlyArray<{ readonly name: string; readonly from: DiffAtom; readonly to: DiffAtom }>;
  /** Same name, type and version: the record (and result) carries over. */
  readonly unchanged: readonly DiffAtom[];
  /**
   * Unchanged atoms whose config, requires, provides, rebind or inject differ (informational). A
   * config (or injected value) whose keys only moved has changed: the order is kept and means
   * something (a `test.steps` atom runs its steps in it, an approval form shows its fields in it).
   */
  readonly configChanged: readonly string[];
}

interface Flat extends DiffAtom {
  readonly shape: string;
}

export function flattenAtoms(def: FlowDefinition): Flat[] {
  const out: Flat[] = [];
  const walk = (node: Node): void => {
    if (isFlowNode(node)) {
      const r = retryName(node);
      if (r && node.retry) out.push({ name: r, type: `retry.${node.retry.kind}`, version: 1, shape: stableStringify(node.retry) });
      node.children.forEach(walk);
      return;
    }
    const { name, type, version, config, requires, provides, rebind, inject } = node;
    // config and injected values as written (their key order counts, as they are the atom's data);
    // the names the atom reads by (requires, provides, rebind, inject's input names) in any order
    const injected = Object.keys(inject ?? {})
      .sort()
      .map((k) => [k, inject[k]]);
    const data = JSON.stringify({ config: config ?? null, injected });
    out.push({ name, type, version, shape: `${data}\u0000${stableStringify({ requires, provides, rebind })}` });
  };
  walk(def.root);
  return out;
}

/** JSON with object keys sorted: for what the schema or the engine reads by name, key order is not a change. */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** Compares two revisions atom by atom, by name (TaskFlow's resumption rules). */
export function diffRevisions(a: FlowDefinition, b: FlowDefinition): RevisionDiff {
  const before = new Map(flattenAtoms(a).map((x) => [x.name, x]));
  const after = flattenAtoms(b);
  const afterNames = new Set(after.map((x) => x.name));
  const strip = ({ name, type, version }: Flat): DiffAtom => ({ name, type, version });
  const added: DiffAtom[] = [];
  const versionChanged: Array<{ name: string; from: DiffAtom; to: DiffAtom }> = [];
  const unchanged: DiffAtom[] = [];
  const configChanged: string[] = [];
  for (const x of after) {
    const old = before.get(x.name);
    if (!old) added.push(strip(x));
    else if (old.version !== x.version || old.type !== x.type) versionChanged.push({ name: x.name, from: strip(old), to: strip(x) });
    else {
      unchanged.push(strip(x));
      if (old.shape !== x.shape) configChanged.push(x.name);
    }
  }
  const removed = [...before.values()].filter((x) => !afterNames.has(x.name)).map(strip);
  return { added, removed, versionChanged, unchanged, configChanged };
}
