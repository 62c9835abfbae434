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
  try {
    return capture(error, depth);
  } catch {
    return { type: 'NonErrorThrown', message: safeString(error) };
  }
}

function capture(error: unknown, depth: number): Failure {
  if (error instanceof Error) {
    const details = errorDetails(error);
    const cause = depth < MAX_CAUSE_DEPTH && error.cause !== undefined ? toFailure(error.cause, depth + 1) : undefined;
    const stack = typeof error.stack === 'string' ? error.stack : undefined;
    return {
      type: errorType(error),
      message: typeof error.message === 'string' ? error.message : safeString(error.message),
      ...(stack ? { stack } : {}),
      ...(cause ? { cause } : {}),
      ...(details ? { details } : {}),
    };
  }
  if (isFailure(error)) {
    // A failure that was serialised (e.g. read back from the store): copy the known fields only.
    const { type, message, stack, cause, details } = error;
    const c = depth < MAX_CAUSE_DEPTH && cause !== undefined ? toFailure(cause, depth + 1) : undefined;
    const d = details !== null && typeof details === 'object' && !Array.isArray(details) ? plain(details) : undefined;
    return {
      type,
      message,
      ...(typeof stack === 'string' ? { stack } : {}),
      ...(c ? { cause: c } : {}),
      ...(d && Object.keys(d).length ? { details: d } : {}),
    };
  }
  return { type: 'NonErrorThrown', message: typeof error === 'string' ? error : safeString(error) };
}

/** `name` when a class set it, else the class name (`class HttpError extends Error {}` → HttpError). */
function errorType(error: Error): string {
  const name = typeof error.name === 'string' ? error.name : '';
  const ctor = typeof error.constructor === 'function' ? error.constructor.name : '';
  if (name && name !== 'Error') return name;
  return ctor || name || 'Error';
}

function isFailure(v: unknown): v is Failure {
  return v !== null && typeof v === 'object' && typeof (v as Failure).type === 'string' && typeof (v as Failure).message === 'string';
}

/** JSON when possible, else `String()`, else a placeholder: never throws. */
function safeString(v: unknown): string {
  try {
    const json = JSON.stringify(v);
    if (json !== undefined) return json;
  } catch {
    // circular, BigInt, a throwing toJSON…
  }
  try {
    return String(v);
  } catch {
    try {
      return Object.prototype.toString.call(v);
    } catch {
      return '[unprintable value]';
    }
  }
}

/** A JSON-safe copy of the enumerable own fields (values that cannot be serialised become strings). */
function plain(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || typeof v === 'function') continue;
    try {
      JSON.stringify(v);
      out[k] = v;
    } catch {
      out[k] = safeString(v);
    }
  }
  return out;
}

function errorDetails(error: Error): Record<string, unknown> | undefined {
  const out = plain(error);
  for (const k of ['cause', 'stack', 'message', 'name']) delete out[k];
  return Object.keys(out).length ? out : undefined;
}
