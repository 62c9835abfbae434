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

/**
 * A statement the database refused (a constraint, a value PostgreSQL cannot store such as a NUL
 * character in JSON, a lost connection). The message is the database's, without drizzle's echo
 * of the whole statement and its parameters (a commit's can be large); `cause` keeps everything.
 */
export class StoreQueryError extends AtomflowError {
  override readonly name = 'StoreQueryError';
  /** PostgreSQL's SQLSTATE, when the database answered (e.g. 23514 check_violation). */
  readonly code: string | undefined;
  constructor(operation: string, cause: unknown) {
    const driverError = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
    const message = driverError instanceof Error ? driverError.message : String(driverError);
    super(`${operation} failed: ${message}`, { cause });
    const code = (driverError as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
