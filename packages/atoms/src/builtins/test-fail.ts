import { AtomflowError } from '@atomflow/model';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { TEST_CATEGORY, logExecute, logRevert, openInputs } from './test-common.js';

/** The deliberate failure of a `test.fail` atom (its message is what the conformance cases compare). */
export class TestFailError extends AtomflowError {
  override readonly name = 'TestFailError';
}

const config = z.object({
  failTimes: z.number().int().min(0).optional().describe('Fail the first N executions of this atom in this run; absent = always, 0 = never'),
  value: z.unknown().optional().describe('Returned when an execution does not fail (absent: its inputs)'),
  revertFails: z.boolean().default(false).describe('Make revert throw'),
});

/**
 * Fails its first `failTimes` executions, counted by the engine over the whole run (`ctx.attempt`:
 * retries and resumes included), with the exact message `X failed (attempt n)`.
 */
export const testFail = defineAtom({
  type: 'test.fail',
  version: 1,
  category: TEST_CATEGORY,
  description:
    'Test atom: fails its first failTimes executions in the run (always when absent), then returns config.value or its inputs; revertFails makes its revert throw.',
  config,
  inputs: openInputs,
  inputNames: () => ({ required: [], optional: {} }),
  execute(inputs, ctx) {
    logExecute(ctx.atom, inputs);
    const { failTimes, value } = ctx.config;
    if (failTimes === undefined || ctx.attempt <= failTimes) throw new TestFailError(`${ctx.atom} failed (attempt ${ctx.attempt})`);
    return value !== undefined ? value : inputs;
  },
  revert(_inputs, ctx) {
    logRevert(ctx);
    if (ctx.config.revertFails) throw new TestFailError(`${ctx.atom} revert failed`);
  },
});
