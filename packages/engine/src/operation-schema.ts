import { z } from 'zod';

import type { Operation } from './operations.js';

const by = { by: z.string().max(200).optional() };
const atom = z.string().min(1, 'must name an atom').max(200);

/** Operations as they arrive from outside (API, commands queue): validated before use. */
export const OperationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('retryAtom'), atom, ...by }),
  z.strictObject({ type: z.literal('revertAtom'), atom, ...by }),
  z.strictObject({ type: z.literal('retryFromFailure'), ...by }),
  z.strictObject({ type: z.literal('revertRun'), ...by }),
  z.strictObject({ type: z.literal('markSuccess'), atom, result: z.unknown(), ...by }),
  z.strictObject({ type: z.literal('skip'), atom, ...by }),
  z.strictObject({ type: z.literal('suspend'), ...by }),
  z.strictObject({ type: z.literal('resume'), ...by }),
  z.strictObject({ type: z.literal('cancel'), ...by }),
  z.strictObject({ type: z.literal('approve'), atom, value: z.unknown().optional(), ...by }),
  z.strictObject({ type: z.literal('reject'), atom, reason: z.string().max(2000).optional(), ...by }),
]) satisfies z.ZodType<Operation>;
