import type { AtomRegistry, Store, StoredRevision } from '@atomflow/engine';
import {
  EXPANSION_SUFFIX,
  isExpansionFlowId,
  parseFlowDefinition,
  validateFlow,
  ValidationError,
  type FlowDefinition,
  type Problem,
} from '@atomflow/model';
import { TRPCError } from '@trpc/server';

import { jsonProblem } from '../inputs.js';

/** A definition from a request: its shape is checked here (every problem with its path), not by the input schema. */
export function parseDefinitionInput(input: unknown): FlowDefinition {
  const bad = jsonProblem(input);
  if (bad) throw new ValidationError([{ path: '(root)', code: 'schema', message: bad }]);
  const parsed = parseFlowDefinition(input);
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  if (isExpansionFlowId(parsed.value.id))
    throw new ValidationError([
      {
        path: 'id',
        code: 'schema',
        message: `ids ending in "${EXPANSION_SUFFIX}" are reserved for the expansions of flows with subflows: choose another id`,
      },
    ]);
  return parsed.value;
}

/** Semantic problems of a well-formed definition against the registry (empty when it can run). */
export function problemsOf(def: FlowDefinition, registry: AtomRegistry, inputs?: readonly string[]): Problem[] {
  return validateFlow(def, registry, inputs ? { inputs } : {});
}

export async function revisionOrThrow(store: Store, flowId: string, revision?: number): Promise<StoredRevision> {
  const rev = revision === undefined ? await store.latestRevision(flowId) : await store.getRevision(flowId, revision);
  if (!rev)
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: revision === undefined ? `no flow ${flowId}` : `flow ${flowId} has no revision ${revision}`,
    });
  return rev;
}
