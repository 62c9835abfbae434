import { AtomflowError } from '@atomflow/model';

/** A RunChange the store refuses before touching the database (a caller bug, not a DB error). */
export class InvalidRunChangeError extends AtomflowError {
  override readonly name = 'InvalidRunChangeError';
}

/** A row holds a value the model does not know (written by a newer version, or by hand). */
export class UnexpectedRowError extends AtomflowError {
  override readonly name = 'UnexpectedRowError';
}

/** A run id passed to createRun is taken. */
export class RunExistsError extends AtomflowError {
  override readonly name = 'RunExistsError';
  constructor(readonly runId: string) {
    super(`run ${runId} already exists`);
  }
}

/** The PGlite data directory is open in another live process (PGlite has no locking of its own). */
export class DatabaseLockedError extends AtomflowError {
  override readonly name = 'DatabaseLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`database ${dataDir} is in use by process ${pid}; stop it or use PostgreSQL (DATABASE_URL) to share the work`);
  }
}
