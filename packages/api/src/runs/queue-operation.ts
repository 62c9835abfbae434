import { isDecision, type Operation, type OperationPreview } from '@atomflow/engine';
import { TRPCError } from '@trpc/server';

import type { ApiServices } from '../services.js';
import { checkDecision, loadRunContext, previewFor } from './run-plan.js';

/**
 * Queues a manual operation for the run's owner (or the next worker to claim the run), as `who`:
 * refused (PRECONDITION_FAILED, with the reason) when the preview says it is not allowed now; an
 * approved value is checked against the atom's form first (ValidationError → 400 with field paths).
 */
export async function queueOperation(
  services: ApiServices,
  runId: string,
  op: Operation,
): Promise<{ command: Awaited<ReturnType<ApiServices['store']['enqueueCommand']>>; preview: OperationPreview }> {
  const rc = await loadRunContext(services, runId);
  const preview = previewFor(services, rc, op);
  if (!preview.allowed)
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `${op.type} is not allowed: ${preview.reason ?? 'not now'}` });
  if (isDecision(op)) checkDecision(services, rc, op);
  const command = await services.store.enqueueCommand(runId, { ...op });
  services.kick?.();
  return { command, preview };
}
