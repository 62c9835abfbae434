import { FLOW_STATE_LIST, FlowIdSchema, type FlowState } from '@atomflow/model';
import { z } from 'zod';

/*
 * Input building blocks. PostgreSQL cannot store a NUL character (in text or jsonb) and its
 * integer columns stop at 2^31-1: inputs are refused here with a 400 instead of failing in the
 * database with a 500.
 */

const hasNul = (s: string): boolean => s.includes('\u0000');

/** Text of at most `max` characters, no NUL. */
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !hasNul(s), 'must not contain NUL characters');

/** An id of ours (run ids are UUIDs, but runs started by the CLI may be named): printable, short. */
export const idText = text(200).min(1, 'must not be empty');

export const flowId = FlowIdSchema.refine((s) => s.length > 0, 'must not be empty');

/** Revision numbers (an integer column). */
export const revision = z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(2_147_483_647);

export const runState = z.enum(FLOW_STATE_LIST as [FlowState, ...FlowState[]]);

const MAX_DEPTH = 64;

/** Why a JSON value cannot be stored, or undefined (NUL characters anywhere, too deep, not JSON). */
export function jsonProblem(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels`;
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'numbers must be finite';
  if (typeof value === 'string') return hasNul(value) ? 'text must not contain NUL characters' : undefined;
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = jsonProblem(v, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (hasNul(k)) return 'keys must not contain NUL characters';
      const p = jsonProblem(v, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  return `${typeof value} is not JSON`;
}

/** Any JSON value that the database can store. */
export const jsonValue = z.unknown().superRefine((v, ctx) => {
  const p = jsonProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

/** A JSON object (run inputs, meta) that the database can store. */
export const jsonObject = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const p = jsonProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

/** Page sizes. */
export const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

/** ISO 8601 times with an offset (`2024-05-01T12:00:00Z`). */
export const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2024-05-01T12:00:00Z' });
