import { CancelledError } from '@atomflow/engine';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { evaluateExpression } from './transform-sandbox.js';

export const TRANSFORM_LIMITS = {
  timeoutMs: { default: 1_000, max: 10_000 },
  memoryLimitBytes: { default: 16 * 1024 * 1024, min: 1024 * 1024, max: 128 * 1024 * 1024 },
  stackLimitBytes: { default: 256 * 1024, min: 32 * 1024, max: 1024 * 1024 },
} as const;

const inputName = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .refine((s) => s.trim() === s, 'must not start or end with whitespace');

const config = z.strictObject({
  expression: z
    .string()
    .min(1, 'expression must not be empty')
    .max(100_000, 'expression must be at most 100000 characters')
    .describe('A JavaScript expression; each required input is a variable (and every input is in `inputs`). Its value must be JSON.')
    // the designer shows a multi-line code field
    .meta({ widget: 'code' }),
  requires: z
    .array(inputName)
    .max(100)
    .refine((names) => new Set(names).size === names.length, 'must not list a name twice')
    .optional()
    .describe('The input names the expression reads'),
  timeoutMs: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be ≥ 1')
    .max(TRANSFORM_LIMITS.timeoutMs.max, `must be ≤ ${TRANSFORM_LIMITS.timeoutMs.max}`)
    .default(TRANSFORM_LIMITS.timeoutMs.default)
    .describe('Interrupted after this many milliseconds'),
  memoryLimitBytes: z
    .number()
    .int('must be a whole number')
    .min(TRANSFORM_LIMITS.memoryLimitBytes.min, `must be ≥ ${TRANSFORM_LIMITS.memoryLimitBytes.min}`)
    .max(TRANSFORM_LIMITS.memoryLimitBytes.max, `must be ≤ ${TRANSFORM_LIMITS.memoryLimitBytes.max}`)
    .default(TRANSFORM_LIMITS.memoryLimitBytes.default)
    .describe('Heap limit of the sandbox'),
  stackLimitBytes: z
    .number()
    .int('must be a whole number')
    .min(TRANSFORM_LIMITS.stackLimitBytes.min, `must be ≥ ${TRANSFORM_LIMITS.stackLimitBytes.min}`)
    .max(TRANSFORM_LIMITS.stackLimitBytes.max, `must be ≤ ${TRANSFORM_LIMITS.stackLimitBytes.max}`)
    .default(TRANSFORM_LIMITS.stackLimitBytes.default)
    .describe('Stack limit of the sandbox (deep recursion fails cleanly)'),
});

/**
 * Computes a JSON value from its inputs with a JavaScript expression, evaluated in QuickJS
 * compiled to WebAssembly (see transform-sandbox.ts): no access to the server, with a deadline,
 * a heap limit and a stack limit.
 */
export const transform = defineAtom({
  type: 'transform',
  version: 1,
  category: 'Data',
  description:
    'Evaluates a JavaScript expression over its inputs in a sandbox (QuickJS in WebAssembly: no server access, time, memory and stack limits) and returns its JSON value.',
  config,
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.unknown(),
  inputNames: (c) => ({ required: c.requires ?? [], optional: {} }),
  async execute(inputs, ctx) {
    const { expression, timeoutMs, memoryLimitBytes, stackLimitBytes } = ctx.config;
    try {
      return await evaluateExpression(expression, inputs, { timeoutMs, memoryLimitBytes, stackLimitBytes, signal: ctx.signal });
    } catch (err) {
      if (ctx.signal.aborted) throw new CancelledError('the transform was cancelled');
      throw err;
    }
  },
});
