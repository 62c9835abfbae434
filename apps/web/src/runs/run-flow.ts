import { sourceFlowId } from '@atomflow/model';

/** Which flow revision a run is of, as users know it. */
export interface RunFlow {
  readonly flowId: string;
  readonly revision: number;
  /** The run executes the flow with its subflows inlined (a revision of the flow's companion). */
  readonly withSubflows: boolean;
}

/**
 * A run of a flow with subflows executes a revision of the companion `<flow>.expanded`; its meta
 * says which revision of the flow itself it was started from. Lists and the run page name that.
 */
export function runFlow(run: {
  readonly flowId: string;
  readonly revision: number;
  readonly meta?: Readonly<Record<string, unknown>>;
}): RunFlow {
  const from = run.meta?.['expandedFrom'];
  if (from && typeof from === 'object') {
    const f = from as { flowId?: unknown; revision?: unknown };
    if (typeof f.flowId === 'string' && typeof f.revision === 'number')
      return { flowId: f.flowId, revision: f.revision, withSubflows: true };
  }
  const source = sourceFlowId(run.flowId);
  return { flowId: source, revision: run.revision, withSubflows: source !== run.flowId };
}
