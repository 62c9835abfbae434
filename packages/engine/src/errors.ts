import { AtomflowError } from '@atomflow/model';

/**
 * Thrown by an atom (or a sub-step) to be called again later: the atom is parked WAITING with a
 * durable wake-up time and no worker is held while it waits (Kopf's TemporaryError).
 */
export class RetryLater extends AtomflowError {
  override readonly name = 'RetryLater';
  readonly delayMs: number;
  constructor(message: string, options: { delayMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.delayMs = Math.max(0, options.delayMs ?? 1000);
  }
}

/** The `waitReason` of an atom parked by `AwaitApproval` (no wake-up time: it waits for a person). */
export const APPROVAL_WAIT_REASON = 'approval';

/**
 * Thrown by an atom to wait for a person's decision: the atom is parked WAITING (waitReason
 * 'approval', no wake-up time) and no worker is held; the `approve` operation makes it SUCCESS
 * with the approved value, `reject` makes it fail with `ApprovalRejected`.
 */
export class AwaitApproval extends AtomflowError {
  override readonly name = 'AwaitApproval';
  constructor(message = 'waiting for approval') {
    super(message);
  }
}

/** The failure type of a rejected approval. */
export const APPROVAL_REJECTED = 'ApprovalRejected';

/** The failure of an atom whose approval was rejected (its retry controller / revert apply as to any failure). */
export class ApprovalRejected extends AtomflowError {
  override readonly name = 'ApprovalRejected';
  constructor(
    readonly atom: string,
    readonly reason: string | undefined,
    readonly by: string | undefined,
  ) {
    super(`approval of "${atom}" rejected${by ? ` by ${by}` : ''}${reason ? `: ${reason}` : ''}`);
  }
}

/** Thrown into atoms whose run was cancelled; recorded as their failure. */
export class CancelledError extends AtomflowError {
  override readonly name = 'CancelledError';
}

/** A run that does not exist (or is not visible to this store). */
export class RunNotFoundError extends AtomflowError {
  override readonly name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`run ${runId} not found`);
  }
}

/** A flow revision that does not exist. */
export class RevisionNotFoundError extends AtomflowError {
  override readonly name = 'RevisionNotFoundError';
  constructor(
    readonly flowId: string,
    readonly revision: number,
  ) {
    super(`flow ${flowId} has no revision ${revision}`);
  }
}

/** Saving a revision number again with a different body. */
export class RevisionConflictError extends AtomflowError {
  override readonly name = 'RevisionConflictError';
  constructor(
    readonly flowId: string,
    readonly revision: number,
  ) {
    super(`flow ${flowId} revision ${revision} already exists with a different definition (revisions are immutable)`);
  }
}

/** The run lacks inputs its atoms require. */
export class MissingInputsError extends AtomflowError {
  override readonly name = 'MissingInputsError';
  constructor(readonly missing: readonly string[]) {
    super(`missing run input${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
}

/** A manual operation that the run's or atom's state does not allow. */
export class OperationNotAllowedError extends AtomflowError {
  override readonly name = 'OperationNotAllowedError';
}

/** An atom whose inputs could not be bound when it was about to run. */
export class MissingAtomInputError extends AtomflowError {
  override readonly name = 'MissingAtomInputError';
}

/** A worker that no longer holds a run's lease tried to write to it; it must stop touching the run. */
export class LeaseLostError extends AtomflowError {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly runId: string,
    readonly owner: string,
  ) {
    super(`worker ${owner} no longer holds the lease of run ${runId}`);
  }
}

/**
 * A value user code produced (a result, a revert result, a sub-step result) that the store
 * cannot hold exactly: a BigInt, a function, a cycle, a NUL character… The atom fails with it.
 */
export class UnstorableValueError extends AtomflowError {
  override readonly name = 'UnstorableValueError';
}
