import { AtomflowError } from '@atomflow/model';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { TEST_CATEGORY, logExecute, logRevert, openInputs, withDefaults } from './test-common.js';

/** A `test.echo` config that cannot produce a result (e.g. summing a string). */
export class EchoError extends AtomflowError {
  override readonly name = 'EchoError';
}

const config = z
  .object({
    value: z.unknown().optional().describe('Returned as the result (unless sum or pick is set)'),
    sum: z.boolean().optional().describe('Return the numeric sum of all resolved input values'),
    pick: z.string().min(1).optional().describe('Return the value of this one input'),
    defaults: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Optional inputs: bound like required ones when the flow can, else these values'),
  })
  .refine((c) => !(c.sum && c.pick !== undefined), { message: 'sum and pick are exclusive', path: ['pick'] });

/**
 * Returns `config.value`, or its inputs; `sum`/`pick` win over `value`. Used by the conformance
 * cases to check data flow (rebind, inject, provides, optional inputs).
 */
export const testEcho = defineAtom({
  type: 'test.echo',
  version: 1,
  category: TEST_CATEGORY,
  description:
    'Test atom: returns config.value, or its inputs. sum: the sum of its inputs; pick: one input; defaults: optional inputs with their default values.',
  config,
  inputs: openInputs,
  inputNames: (c) => ({ required: [], optional: c.defaults ?? {} }),
  execute(inputs, ctx) {
    const args = withDefaults(inputs, ctx.config.defaults);
    logExecute(ctx.atom, args);
    const { sum, pick, value } = ctx.config;
    if (sum) return sumOf(ctx.atom, args);
    if (pick !== undefined) {
      if (!(pick in args)) throw new EchoError(`${ctx.atom}: no input named ${JSON.stringify(pick)} to pick`);
      return args[pick];
    }
    return value !== undefined ? value : args;
  },
  revert(_inputs, ctx) {
    logRevert(ctx);
  },
});

function sumOf(atom: string, args: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [k, v] of Object.entries(args)) {
    if (typeof v !== 'number') throw new EchoError(`${atom}: cannot sum input ${k}: ${JSON.stringify(v)} is not a number`);
    total += v;
  }
  return total;
}
