import { runFlow } from './run-flow';

/** "orders r2", plus "with subflows" when the run executes the flow's expansion. */
export function RunFlowLabel({ run }: { run: Parameters<typeof runFlow>[0] }) {
  const f = runFlow(run);
  return (
    <>
      {f.flowId} <span className="muted">r{f.revision}</span>
      {f.withSubflows ? (
        <span className="muted small" title={`runs ${run.flowId} r${run.revision}: the flow with its subflows inlined`}>
          {' '}
          · with subflows
        </span>
      ) : null}
    </>
  );
}
