import { AtomflowError, FlowIdSchema, SUBFLOW_TYPE } from '@atomflow/model';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';

/** A subflow atom reached the engine: the run was started without expanding its subflows. */
export class SubflowNotExpandedError extends AtomflowError {
  override readonly name = 'SubflowNotExpandedError';
}

const config = z.strictObject({
  flowId: FlowIdSchema.describe('The saved flow to run here (its atoms appear in this run as a nested group)')
    // the designer offers the saved flows
    .meta({ widget: 'flow' }),
  revision: z.number().int('must be a whole number').min(1, 'must be ≥ 1').optional().describe('Revision to run; the latest when empty'),
});

/**
 * Runs another saved flow as a nested group. It never executes itself: when a run starts on the
 * server, the referenced flow is inlined in its place (`expandSubflows` in @atomflow/model), so
 * each inner atom is a real atom of the run. Its type is registered so that definitions holding
 * one validate (config form, palette).
 */
export const subflow = defineAtom({
  type: SUBFLOW_TYPE,
  version: 1,
  category: 'Flow',
  description:
    'Runs another stored flow here as a nested group: its atoms appear in the run and can be retried or reverted; they read from and provide to this flow directly.',
  config,
  inputs: z.record(z.string(), z.unknown()),
  inputNames: () => ({ required: [], optional: {} }),
  execute(_inputs, ctx) {
    throw new SubflowNotExpandedError(
      `subflow "${ctx.atom}" (flow ${ctx.config.flowId}) was not expanded: start runs of flows with subflows through the server (runs.start) or the CLI, which inline them`,
    );
  },
});
