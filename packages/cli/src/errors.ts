import { AtomflowError } from '@atomflow/model';

/** Bad command-line input: printed without a stack trace, exit code 2. */
export class UsageError extends AtomflowError {
  override readonly name = 'UsageError';
}
