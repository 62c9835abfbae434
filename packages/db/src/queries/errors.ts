import { AtomflowError } from '@atomflow/model';

/** A list cursor that this package did not make (tampered, truncated, from another list). */
export class InvalidCursorError extends AtomflowError {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('invalid cursor: pass back the nextCursor of the previous page');
  }
}
