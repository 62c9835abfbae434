import { listRevisions } from '@atomflow/db';
import { hasSubflows, isExpansionFlowId, sameDefinition, sourceFlowId, ValidationError, type FlowDefinition } from '@atomflow/model';

import { definitionForRun, expandedFromRevision } from '../flows/subflows.js';
import { revisionOrThrow } from '../flows/definition-input.js';
import type { ApiServices } from '../services.js';
import type { RunContext } from './run-plan.js';

/**
 * Where a run can migrate to. A run of a flow with subflows runs a revision of the companion
 * `<id>.expanded`, which only gets revisions when runs start: its targets are the revisions of the
 * SOURCE flow `<id>`, each expanded (with its subflows' latest revisions) when migrated to, into
 * the companion revision a run started now would run.
 */

export interface MigrateTargets {
  /** The flow whose revisions are offered: the run's own, or the source of its expansion. */
  readonly flowId: string;
  /** Whether the offered revisions are the source flow's (each is expanded with its subflows). */
  readonly subflows: boolean;
  /** The revision of `flowId` the run runs now (for a run with subflows: the one its expansion came from). */
  readonly from: number;
  /**
   * Revisions of `flowId` newer than `from`, newest first; for a run with subflows also `from`
   * itself when its subflows have changed since (expanded now, it is not what the run runs).
   */
  readonly revisions: readonly { readonly revision: number; readonly name: string | null; readonly createdAt: string }[];
}

/** The source revision a run's expansion came from (its companion revision's name records it; else the run's meta). */
function sourceRevisionOf(rc: RunContext): number {
  const named = expandedFromRevision(rc.revision.definition);
  if (named !== undefined) return named;
  const from = (rc.loaded.flow.meta as { expandedFrom?: { revision?: unknown } }).expandedFrom?.revision;
  return typeof from === 'number' ? from : 0;
}

export async function migrateTargets(services: ApiServices, rc: RunContext): Promise<MigrateTargets> {
  const own = rc.loaded.flow.flowId;
  const subflows = isExpansionFlowId(own);
  const flowId = subflows ? sourceFlowId(own) : own;
  const from = subflows ? sourceRevisionOf(rc) : rc.loaded.flow.revision;
  const list = await listRevisions(services.db, flowId);
  const again = subflows && (await reexpansionDiffers(services, rc, flowId, from));
  return {
    flowId,
    subflows,
    from,
    revisions: list
      .filter((r) => r.revision > from || (again && r.revision === from))
      .map(({ revision, name, createdAt }) => ({ revision, name, createdAt })),
  };
}

/** Whether source revision `from`, expanded now (its subflows' latest revisions), differs from what the run runs. */
async function reexpansionDiffers(services: ApiServices, rc: RunContext, flowId: string, from: number): Promise<boolean> {
  const rev = await services.store.getRevision(flowId, from);
  if (!rev || !hasSubflows(rev.definition)) return false;
  try {
    const { definition } = await definitionForRun(services.store, rev.definition);
    return !sameDefinition(definition, { ...rc.revision.definition, revision: definition.revision });
  } catch (e) {
    // a subflow that cannot be expanded any more: nothing to migrate to there
    if (e instanceof ValidationError) return false;
    throw e;
  }
}

export interface MigrateTarget {
  /** The definition the run would run: a revision of the run's own flow (saved, or to be saved: `save`). */
  readonly definition: FlowDefinition;
  /** Whether `definition` is a new companion revision the migration must save first. */
  readonly save: boolean;
  /** The source flow's revision it expands (`source` targets only). */
  readonly source: { readonly flowId: string; readonly revision: number } | null;
}

/**
 * The definition migrating to `revision` means: a revision of the run's own flow, or (`source`)
 * the expansion of a revision of the flow the run's companion expands — computed exactly as when a
 * run starts (`definitionForRun`: the companion's latest revision when unchanged, else the next).
 * Throws NOT_FOUND for a missing revision, ValidationError (with paths) for a bad request or a
 * revision whose subflows cannot be expanded.
 */
export async function migrateTarget(services: ApiServices, rc: RunContext, revision: number, source: boolean): Promise<MigrateTarget> {
  const { store } = services;
  const own = rc.loaded.flow.flowId;
  if (!source) return { definition: (await revisionOrThrow(store, own, revision)).definition, save: false, source: null };
  if (!isExpansionFlowId(own))
    throw new ValidationError([
      { path: 'source', code: 'schema', message: `the run's flow ${own} has no subflows: migrate to a revision of ${own} itself` },
    ]);
  const flowId = sourceFlowId(own);
  const rev = await revisionOrThrow(store, flowId, revision);
  if (!hasSubflows(rev.definition))
    throw new ValidationError([
      {
        path: 'revision',
        code: 'schema',
        message: `revision ${revision} of ${flowId} has no subflows: a run of it is not a run of ${own} (start a new run)`,
      },
    ]);
  // expansion problems (a missing subflow, a cycle…) are a ValidationError with their paths
  const { definition } = await definitionForRun(store, rev.definition);
  const saved = await store.getRevision(own, definition.revision);
  return { definition, save: saved === undefined, source: { flowId, revision } };
}
