import type { AtomRegistry, Store } from '@atomflow/engine';
import {
  analyzeFlow,
  EXPANSION_SUFFIX,
  expansionFlowId,
  expandSubflows,
  FlowIdSchema,
  hasSubflows,
  sameDefinition,
  ValidationError,
  type ExpandedSubflow,
  type FlowDefinition,
  type Problem,
  type SubflowResolver,
} from '@atomflow/model';

/**
 * Subflows on the server: validation sees through them, and a run of a flow that has some runs
 * the expanded definition. Revisions are immutable and a run names the (flow, revision) it runs,
 * so the expansion is saved as a revision of a companion flow `<flow id>.expanded` (a new revision
 * only when the expansion changed: a subflow got a new latest revision, or the flow itself
 * changed); resumption and migration then load the real structure like for any other run.
 */

export function storeResolver(store: Store): SubflowResolver {
  return async (flowId, revision) => {
    // A reference that is not a flow id cannot name a saved flow (and must not reach the store).
    if (!FlowIdSchema.safeParse(flowId).success) return undefined;
    const rev = revision === undefined ? await store.latestRevision(flowId) : await store.getRevision(flowId, revision);
    return rev?.definition;
  };
}

/** Problems that only say "nobody provides x": wrong for a definition whose subflows provide it. */
const DATAFLOW: ReadonlySet<string> = new Set(['missing-requirement', 'unreachable-provider']);

/**
 * All problems of a definition, subflows included: with its subflows expanded when they all
 * resolve (data flowing in and out of them is checked), else the subflow problems plus the
 * definition's own problems that do not depend on what the subflows provide.
 */
export async function problemsWithSubflows(
  def: FlowDefinition,
  store: Store,
  registry: AtomRegistry,
  inputs?: readonly string[],
): Promise<Problem[]> {
  return (await checkWithSubflows(def, store, registry, inputs)).problems;
}

/** Problems (as `problemsWithSubflows`) and the names a run must be given as inputs, subflows included. */
export async function checkWithSubflows(
  def: FlowDefinition,
  store: Store,
  registry: AtomRegistry,
  inputs?: readonly string[],
): Promise<{ problems: Problem[]; inputs: readonly string[] }> {
  const options = inputs ? { inputs } : {};
  const own = analyzeFlow(def, registry, options);
  if (!hasSubflows(def)) return { problems: own.problems, inputs: own.compiled.inputs };
  const kept = own.problems.filter((p) => !DATAFLOW.has(p.code));
  const expanded = await expandSubflows(def, storeResolver(store));
  const analyzed = expanded.ok ? analyzeFlow(expanded.definition, registry, options) : undefined;
  const more = analyzed ? analyzed.problems : expanded.ok ? [] : expanded.problems;
  const seen = new Set(kept.map(key));
  return { problems: [...kept, ...more.filter((p) => !seen.has(key(p)))], inputs: (analyzed ?? own).compiled.inputs };
}

function key(p: Problem): string {
  return `${p.path}\u0000${p.code}\u0000${p.message}`;
}

/** The companion revision's name: it records which revision of the flow it expands. */
function expansionName(def: FlowDefinition): string {
  return `${def.name ?? def.id} (expanded: revision ${def.revision} with its subflows)`;
}

const EXPANDED_FROM = /\(expanded: revision (\d+) with its subflows\)$/;

/** The revision of the source flow an expansion (a companion revision) was made from; undefined for any other definition. */
export function expandedFromRevision(def: FlowDefinition): number | undefined {
  const m = def.name === undefined ? null : EXPANDED_FROM.exec(def.name);
  return m ? Number(m[1]) : undefined;
}

export interface RunDefinition {
  /** What the run executes: `def` itself, or its expansion saved under `<id>.expanded`. */
  readonly definition: FlowDefinition;
  /** The subflows inlined (empty when there were none). */
  readonly subflows: readonly ExpandedSubflow[];
}

/**
 * The definition a run of `def` executes. Throws ValidationError (paths in `def`) when a subflow
 * cannot be expanded. The caller saves it (the engine's createRun saves the revision it runs).
 */
export async function definitionForRun(store: Store, def: FlowDefinition): Promise<RunDefinition> {
  if (!hasSubflows(def)) return { definition: def, subflows: [] };
  const expanded = await expandSubflows(def, storeResolver(store));
  if (!expanded.ok) throw new ValidationError(expanded.problems);
  const id = expansionFlowId(def.id);
  if (!FlowIdSchema.safeParse(id).success)
    throw new ValidationError([
      { path: 'id', code: 'schema', message: `too long to hold subflows: at most ${200 - EXPANSION_SUFFIX.length} characters` },
    ]);
  const body: FlowDefinition = {
    ...expanded.definition,
    id,
    name: expansionName(def),
  };
  const latest = await store.latestRevision(id);
  // key order included: a subflow whose steps (or form fields) only moved makes a new expansion, run in the new order
  if (latest && sameDefinition(latest.definition, { ...body, revision: latest.revision }))
    return { definition: latest.definition, subflows: expanded.subflows };
  return { definition: { ...body, revision: (latest?.revision ?? 0) + 1 }, subflows: expanded.subflows };
}
