import {
  planOperation,
  type DecisionOperation,
  RevisionNotFoundError,
  RunNotFoundError,
  type LoadedRun,
  type Operation,
  type OperationPreview,
  type StoredRevision,
} from '@atomflow/engine';
import { isStoppedFlowState, type CompiledFlow, type FlowState } from '@atomflow/model';

import type { ApiServices } from '../services.js';

/** States in which an owner is (or was, if it died) executing the run. */
const EXECUTING: readonly FlowState[] = ['RUNNING', 'RESUMING', 'SUSPENDING'];

export interface RunContext {
  readonly loaded: LoadedRun;
  readonly revision: StoredRevision;
  /** Whether the run is being executed (its state says so): only suspend and cancel apply then. */
  readonly executing: boolean;
  /** Whether some worker (in any process) holds the run's lease right now. */
  readonly leased: boolean;
  readonly lease: { readonly owner: string; readonly expiresAt: string } | null;
}

export async function loadRunContext(services: ApiServices, runId: string): Promise<RunContext> {
  const { store } = services;
  const loaded = await store.loadRun(runId);
  if (!loaded) throw new RunNotFoundError(runId);
  const revision = await store.getRevision(loaded.flow.flowId, loaded.flow.revision);
  if (!revision) throw new RevisionNotFoundError(loaded.flow.flowId, loaded.flow.revision);
  const lease = (await store.leaseOf(runId)) ?? null;
  const now = (services.now ?? (() => new Date()))().getTime();
  const leased = lease !== null && Date.parse(lease.expiresAt) > now;
  // A lease alone does not make a stopped run "executing": the worker that just finished it may
  // still hold it for a moment. Operations are queued commands, applied by whoever holds the run
  // once it has stopped, so judging them by the run's state is both correct and race-free.
  return { loaded, revision, lease, leased, executing: EXECUTING.includes(loaded.flow.state) };
}

function compiledFor(services: ApiServices, rc: RunContext): CompiledFlow {
  return services.engine.compile(rc.revision.definition, Object.keys(rc.loaded.flow.inputs));
}

/**
 * What an operation would do, judged from the durable record (the engine's own preview only
 * knows the runs its process executes; the run may be executed by a worker anywhere).
 */
export function previewFor(services: ApiServices, rc: RunContext, op: Operation): OperationPreview {
  return planOperation(compiledFor(services, rc), rc.loaded, op, rc.executing).preview;
}

/**
 * Checks the value an approval would store (the atom's `approve`: its form), without recording
 * anything; throws the atom's ValidationError (`value.<field>` paths) when it is wrong.
 */
export function checkDecision(services: ApiServices, rc: RunContext, op: DecisionOperation): void {
  services.engine.decisionOf(compiledFor(services, rc), op);
}

/** The run states a migration applies to: stopped (or parked) runs that can then be continued. */
export const MIGRATABLE: readonly FlowState[] = ['SUSPENDED', 'WAITING', 'FAILURE', 'REVERTED'];

/**
 * Why a run cannot be migrated now, or undefined. A migration is a queued command like any other
 * operation: the worker holding the run applies it once the run has stopped, so a lease alone
 * (a worker finishing up, or parking a WAITING run) does not block it.
 */
export function migrationBlocker(rc: RunContext, toRevision: number): string | undefined {
  const state = rc.loaded.flow.state;
  if (toRevision === rc.loaded.flow.revision) return `the run already runs revision ${toRevision}`;
  if (!MIGRATABLE.includes(state))
    return isStoppedFlowState(state)
      ? `the run is ${state}: only a suspended, waiting or failed run can be migrated`
      : `the run is ${state}: suspend it (or let it stop) before migrating`;
  return undefined;
}
