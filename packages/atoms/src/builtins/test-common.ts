import type { RevertContext } from '@atomflow/engine';
import { z } from 'zod';

import { recordCall } from '../call-log.js';

/**
 * Test atoms take whatever inputs the flow binds to them (their `requires`, rebind, inject), so
 * their input schema is an open record rather than an object with fixed keys.
 */
export const openInputs = z.record(z.string(), z.unknown());
export type OpenInputs = z.output<typeof openInputs>;

export const TEST_CATEGORY = 'Testing';

/** Logs an execute call with the inputs the atom's code received. */
export function logExecute(atom: string, args: OpenInputs): void {
  recordCall({ atom, fn: 'execute', args });
}

/**
 * Logs a revert call: the stored result being reverted, or, when reverting the atom whose own
 * execution failed (no result exists), that failure instead.
 */
export function logRevert(ctx: RevertContext<unknown>): void {
  if (ctx.failure) recordCall({ atom: ctx.atom, fn: 'revert', failure: { type: ctx.failure.type, message: ctx.failure.message } });
  else recordCall({ atom: ctx.atom, fn: 'revert', result: ctx.result });
}

/** Inputs with `defaults` filled in where the engine bound nothing (or undefined). */
export function withDefaults(inputs: OpenInputs, defaults: Readonly<Record<string, unknown>> | undefined): OpenInputs {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(inputs)) if (v !== undefined || !(k in out)) out[k] = v;
  return out;
}
