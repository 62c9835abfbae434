import { InvalidCursorError } from '@atomflow/db';
import { MissingInputsError, OperationNotAllowedError, RevisionConflictError, RunNotFoundError } from '@atomflow/engine';
import { ValidationError } from '@atomflow/model';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { DuplicateEmailError } from './auth/auth-store.js';
import { errorData, toTRPCError } from './errors.js';

describe('toTRPCError', () => {
  it('maps our typed errors to the codes clients act on', () => {
    const cases: Array<[unknown, string]> = [
      [new ValidationError([{ path: 'root', code: 'schema', message: 'bad' }]), 'BAD_REQUEST'],
      [new MissingInputsError(['x']), 'BAD_REQUEST'],
      [new InvalidCursorError(), 'BAD_REQUEST'],
      [new OperationNotAllowedError('no'), 'PRECONDITION_FAILED'],
      [new RunNotFoundError('r'), 'NOT_FOUND'],
      [new RevisionConflictError('f', 2), 'CONFLICT'],
      [new DuplicateEmailError('a@b.c'), 'CONFLICT'],
    ];
    for (const [error, code] of cases) expect(toTRPCError(error)?.code).toBe(code);
  });

  it('leaves unknown errors alone (they become INTERNAL_SERVER_ERROR) and keeps TRPCErrors', () => {
    expect(toTRPCError(new Error('db down'))).toBeUndefined();
    const own = new TRPCError({ code: 'CONFLICT', message: 'x' });
    expect(toTRPCError(own)).toBe(own);
  });
});

describe('errorData', () => {
  it('reports zod issues as dotted field paths', () => {
    const parsed = z.strictObject({ a: z.object({ b: z.array(z.number()) }) }).safeParse({ a: { b: [1, 'x'] } });
    const error = new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
    expect(errorData(error).zodError).toEqual([{ path: 'a.b.1', message: expect.any(String) }]);
  });

  it('carries definition problems, missing inputs and our error name', () => {
    const problems = [{ path: 'root.children.0.type', code: 'unknown-atom-type' as const, message: 'unknown' }];
    const v = errorData(toTRPCError(new ValidationError(problems))!);
    expect(v).toEqual({ zodError: null, problems, missingInputs: null, errorType: 'ValidationError' });
    expect(errorData(toTRPCError(new MissingInputsError(['a', 'b']))!).missingInputs).toEqual(['a', 'b']);
    expect(errorData(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new RangeError('secret detail') })).errorType).toBeNull();
  });
});
