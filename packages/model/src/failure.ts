import { z } from 'zod';

/** A serialisable captured error (TaskFlow's `Failure`): type, message, stack, cause chain. */
export interface Failure {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: Failure;
  /** Extra data the error carried (an HTTP status, a code…). */
  readonly details?: Record<string, unknown>;
}

export const FailureSchema: z.ZodType<Failure> = z.object({
  type: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  get cause() {
    return FailureSchema.optional();
  },
  details: z.record(z.string(), z.unknown()).optional(),
});

const MAX_CAUSE_DEPTH = 8;

/** Captures anything thrown into a `Failure`; never throws itself. */
export function toFailure(error: unknown, depth = 0): Failure {
  if (error instanceof Error) {
    const details = errorDetails(error);
    const cause = depth < MAX_CAUSE_DEPTH && error.cause !== undefined ? toFailure(error.cause, depth + 1) : undefined;
    return {
      type: error.name || error.constructor.name || 'Error',
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(cause ? { cause } : {}),
      ...(details ? { details } : {}),
    };
  }
  if (isFailure(error)) return error;
  let message: string;
  try {
    message = typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    message = String(error);
  }
  return { type: 'NonErrorThrown', message };
}

function isFailure(v: unknown): v is Failure {
  return v !== null && typeof v === 'object' && typeof (v as Failure).type === 'string' && typeof (v as Failure).message === 'string';
}

function errorDetails(error: Error): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error)) {
    if (k === 'cause' || k === 'stack' || k === 'message' || k === 'name') continue;
    if (v === undefined || typeof v === 'function') continue;
    try {
      JSON.stringify(v);
      out[k] = v;
    } catch {
      out[k] = String(v);
    }
  }
  return Object.keys(out).length ? out : undefined;
}
