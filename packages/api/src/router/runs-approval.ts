import { z } from 'zod';

import { idText, jsonValue, text } from '../inputs.js';
import { queueOperation } from '../runs/queue-operation.js';
import { operatorProcedure } from '../trpc.js';

const atom = idText;

/**
 * `runs.approve`: approves an atom waiting for approval. `value` is what the approver entered in
 * the atom's form; it is checked against the form (400 with `value.<field>` problem paths) and
 * becomes the atom's result. Queued like `operate` (preview: `runs.preview` with `{type: 'approve'}`).
 */
export const approve = operatorProcedure
  .input(z.strictObject({ runId: idText, atom, value: jsonValue.optional() }))
  .mutation(({ ctx, input }) =>
    queueOperation(ctx.services, input.runId, {
      type: 'approve',
      atom: input.atom,
      ...(input.value === undefined ? {} : { value: input.value }),
      by: ctx.auth.user.email,
    }),
  );

/** `runs.reject`: rejects an atom waiting for approval, with an optional reason; it fails with ApprovalRejected. */
export const reject = operatorProcedure
  .input(z.strictObject({ runId: idText, atom, reason: text(2000).optional() }))
  .mutation(({ ctx, input }) =>
    queueOperation(ctx.services, input.runId, {
      type: 'reject',
      atom: input.atom,
      ...(input.reason === undefined || input.reason.trim() === '' ? {} : { reason: input.reason.trim() }),
      by: ctx.auth.user.email,
    }),
  );
