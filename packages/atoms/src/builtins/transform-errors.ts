import { AtomflowError } from '@atomflow/model';

/** Base of the `transform` atom's errors; `name` says which kind. */
export class TransformError extends AtomflowError {
  override readonly name: string = 'TransformError';
}

/** The expression does not parse; `line`/`column` are 1-based positions in the expression. */
export class TransformSyntaxError extends TransformError {
  override readonly name = 'TransformSyntaxError';
  constructor(
    readonly detail: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(line === undefined ? `syntax error: ${detail}` : `syntax error at line ${line}, column ${column ?? '?'}: ${detail}`);
  }
}

/** The expression threw; `errorName` is what it threw (`TypeError`, `Error`, … or the thrown value's type). */
export class TransformThrewError extends TransformError {
  override readonly name = 'TransformThrewError';
  constructor(
    readonly errorName: string,
    readonly detail: string,
  ) {
    super(`the expression threw ${errorName}: ${detail}`);
  }
}

/** The expression ran longer than `timeoutMs` and was interrupted. */
export class TransformTimeoutError extends TransformError {
  override readonly name = 'TransformTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the expression ran longer than ${timeoutMs} ms and was interrupted`);
  }
}

/** The expression needed more than `memoryLimitBytes`. */
export class TransformMemoryError extends TransformError {
  override readonly name = 'TransformMemoryError';
  constructor(readonly memoryLimitBytes: number) {
    super(`the expression ran out of memory (limit ${memoryLimitBytes} bytes)`);
  }
}

/** The expression recursed deeper than the stack limit allows. */
export class TransformStackError extends TransformError {
  override readonly name = 'TransformStackError';
  constructor(readonly stackLimitBytes: number) {
    super(`the expression overflowed its stack (limit ${stackLimitBytes} bytes)`);
  }
}

/** The expression's value is not JSON (undefined, a function, a Promise, NaN, a cycle, …). */
export class TransformResultError extends TransformError {
  override readonly name = 'TransformResultError';
  constructor(readonly detail: string) {
    super(`the result is not JSON: ${detail}`);
  }
}

/** The inputs could not be passed in as JSON. */
export class TransformInputError extends TransformError {
  override readonly name = 'TransformInputError';
  constructor(readonly detail: string) {
    super(`the inputs are not JSON: ${detail}`);
  }
}
