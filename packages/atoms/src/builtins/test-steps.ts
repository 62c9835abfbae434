import { RetryLater, type SubStepContext } from '@atomflow/engine';
import { z } from 'zod';

import { recordCall } from '../call-log.js';
import { defineAtom } from '../define-atom.js';
import { TEST_CATEGORY, logExecute, logRevert, openInputs } from './test-common.js';

// Integer-like keys are enumerated before all others by JavaScript objects, which would silently
// reorder the steps; reject them so the order written is the order run.
const INTEGER_LIKE = /^(0|[1-9]\d*)$/;
const stepsSchema = z.record(z.string().min(1), z.number().int().min(1)).superRefine((value, ctx) => {
  for (const name of Object.keys(value)) {
    if (INTEGER_LIKE.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'step names must not be integers (objects would reorder them)' });
  }
});

const config = z.object({
  steps: stepsSchema.describe('Sub-steps {name: n} in order: each succeeds on its n-th attempt'),
  delayMs: z.number().int().min(0).default(0).describe('Wake-up delay asked for by a sub-step that is not yet done'),
});

/**
 * Kopf's idempotence example: the body is entered again and again, each entry runs only the
 * sub-steps that have not yet succeeded, and the body leaves once all of them have.
 */
export const testSteps = defineAtom({
  type: 'test.steps',
  version: 1,
  category: TEST_CATEGORY,
  description:
    'Test atom: runs sub-steps {name: n} in order, each retrying later (delayMs) until its n-th attempt; returns {name: attempt} once all succeeded.',
  config,
  inputs: openInputs,
  outputs: z.record(z.string(), z.number()),
  inputNames: () => ({ required: [], optional: {} }),
  async execute(inputs, ctx) {
    const { atom } = ctx;
    const { steps, delayMs } = ctx.config;
    logExecute(atom, inputs);
    const fns: Record<string, (sub: SubStepContext) => number> = {};
    for (const [step, needed] of Object.entries(steps)) {
      fns[step] = (sub) => {
        recordCall({ atom, fn: 'step', step, attempt: sub.attempt });
        if (sub.attempt >= needed) return sub.attempt;
        throw new RetryLater(`${atom}: step ${step} attempt ${sub.attempt} of ${needed}`, { delayMs });
      };
    }
    const results = await ctx.execute(fns);
    recordCall({ atom, fn: 'leave' });
    return results;
  },
  revert(_inputs, ctx) {
    logRevert(ctx);
  },
});
