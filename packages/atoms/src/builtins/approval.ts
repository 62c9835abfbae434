import { AwaitApproval } from '@atomflow/engine';
import { ValidationError } from '@atomflow/model';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { ApprovalFormSchema, checkFormValue } from './approval-form.js';

const config = z.strictObject({
  title: z.string().max(200).optional().describe('What the approver is asked, e.g. "Approve the refund"'),
  instructions: z.string().max(5000).optional().describe('What to check before approving'),
  form: ApprovalFormSchema.optional().describe('JSON Schema (type object) of the value the approver enters; its value is the result'),
});

/**
 * Waits for a person: parks WAITING (waitReason 'approval', no wake-up time, no worker held)
 * until an operator approves it — its result is then the value entered in its form (checked
 * against the form), or `{ approved: true }` without a form — or rejects it: it then fails with
 * `ApprovalRejected` and its retry controller / revert apply as to any failure. Who decided and
 * when is in the run's events (the operation and the atom's transition).
 */
export const approval = defineAtom({
  type: 'approval',
  version: 1,
  category: 'Flow control',
  description:
    'Waits for a person to approve (filling in an optional form, whose value is the result) or reject; holds no worker while it waits.',
  config,
  inputs: z.object({}),
  execute(_inputs, ctx) {
    throw new AwaitApproval(ctx.config.title ? `waiting for approval: ${ctx.config.title}` : 'waiting for approval');
  },
  approve(value, cfg) {
    if (cfg.form) return checkFormValue(cfg.form, value);
    const empty =
      value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!empty)
      throw new ValidationError([{ path: 'value', code: 'schema', message: 'this approval has no form: approve it without a value' }]);
    return { approved: true };
  },
});
