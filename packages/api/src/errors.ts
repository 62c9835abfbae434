import { InvalidCursorError } from '@atomflow/db';
import {
  MissingInputsError,
  OperationNotAllowedError,
  RevisionConflictError,
  RevisionNotFoundError,
  RunNotFoundError,
} from '@atomflow/engine';
import { ValidationError, type Problem } from '@atomflow/model';
import { TRPCError } from '@trpc/server';

import { isDuplicateEmailError } from './auth/auth-store.js';

/** A field of the input that is wrong, as the errorFormatter reports it (`zodError`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The one place engine, model and store errors become API errors (codes clients act on).
 * Returns undefined for errors that are not the caller's fault: they stay INTERNAL_SERVER_ERROR.
 */
export function toTRPCError(cause: unknown): TRPCError | undefined {
  if (cause instanceof TRPCError) return cause;
  if (cause instanceof ValidationError || cause instanceof MissingInputsError || cause instanceof InvalidCursorError)
    return new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  if (cause instanceof OperationNotAllowedError) return new TRPCError({ code: 'PRECONDITION_FAILED', message: cause.message, cause });
  if (cause instanceof RunNotFoundError || cause instanceof RevisionNotFoundError)
    return new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  if (cause instanceof RevisionConflictError || isDuplicateEmailError(cause))
    return new TRPCError({ code: 'CONFLICT', message: (cause as Error).message, cause });
  return undefined;
}

/** Extra data of an error shape: which field, which problems, which of our errors. */
export interface ErrorData {
  /** Input fields that failed validation (zod issues), with dotted paths. */
  readonly zodError: FieldIssue[] | null;
  /** Problems of a flow definition, each with its path (and atom, when there is one). */
  readonly problems: Problem[] | null;
  /** Run inputs the flow requires and the request did not give. */
  readonly missingInputs: string[] | null;
  /** The stable name of our error class (OperationNotAllowedError, RunNotFoundError…). */
  readonly errorType: string | null;
}

function isIssueList(v: unknown): v is Array<{ path?: readonly PropertyKey[]; message: string }> {
  return (
    Array.isArray(v) && v.every((i) => i !== null && typeof i === 'object' && typeof (i as { message?: unknown }).message === 'string')
  );
}

export function errorData(error: TRPCError): ErrorData {
  const cause: unknown = error.cause;
  const issues = cause !== null && typeof cause === 'object' && 'issues' in cause ? cause.issues : undefined;
  const zodError =
    error.code === 'BAD_REQUEST' && isIssueList(issues)
      ? issues.map((i) => ({
          path: (i.path ?? [])
            .map((p) => (typeof p === 'object' && p !== null && 'key' in p ? String((p as { key: unknown }).key) : String(p)))
            .join('.'),
          message: i.message,
        }))
      : null;
  return {
    zodError,
    problems: cause instanceof ValidationError ? [...cause.problems] : null,
    missingInputs: cause instanceof MissingInputsError ? [...cause.missing] : null,
    errorType: cause instanceof Error && cause.name !== 'Error' && error.code !== 'INTERNAL_SERVER_ERROR' ? cause.name : null,
  };
}
