import type { Operation } from '@atomflow/engine';
import { z } from 'zod';

import { toTRPCError } from '../errors.js';
import { idText } from '../inputs.js';
import { queueOperation } from '../runs/queue-operation.js';
import { operatorProcedure } from '../trpc.js';

/** Whole-run operations that make sense on many runs at once. */
const BULK_TYPES = ['retryFromFailure', 'cancel', 'suspend', 'resume', 'revertRun'] as const;

/** What happened to one run of a bulk operation. */
export type BulkResult =
  | { readonly runId: string; readonly ok: true; readonly commandId: number }
  | { readonly runId: string; readonly ok: false; readonly code: string; readonly error: string };

/**
 * `runs.operateMany`: one whole-run operation on up to 100 runs. Each run is judged on its own
 * (exists, its state allows the operation now — the same preview as `operate`) and queued for its
 * owner; a run that is refused does not stop the others, and says why.
 */
export const operateMany = operatorProcedure
  .input(
    z.strictObject({
      runIds: z
        .array(idText)
        .min(1, 'select at least one run')
        .max(100, 'at most 100 runs at once')
        .refine((ids) => new Set(ids).size === ids.length, 'each run only once'),
      op: z.strictObject({ type: z.enum(BULK_TYPES) }),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const op = { type: input.op.type, by: ctx.auth.user.email } as Operation;
    const results: BulkResult[] = [];
    for (const runId of input.runIds) {
      try {
        // the same path as `operate`: the run's own preview decides, the command is queued for its owner
        const { command } = await queueOperation(ctx.services, runId, op);
        results.push({ runId, ok: true, commandId: command.id });
      } catch (error) {
        const mapped = toTRPCError(error);
        if (mapped) results.push({ runId, ok: false, code: mapped.code, error: mapped.message });
        else {
          // not the caller's fault: logged; the runs already queued stay queued and are reported
          ctx.services.log?.(`operateMany ${op.type} on run ${runId}`, error);
          results.push({ runId, ok: false, code: 'INTERNAL_SERVER_ERROR', error: 'internal error (logged on the server)' });
        }
      }
    }
    return { results };
  });
