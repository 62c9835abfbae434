export { AtomRegistry, inputNamesOf, parseConfig } from './registry.js';
export type { AnyAtomDefinition, AtomContext, AtomDefinition, RevertContext, SubStepContext } from './atom-types.js';
export {
  APPROVAL_REJECTED,
  APPROVAL_WAIT_REASON,
  ApprovalRejected,
  AwaitApproval,
  CancelledError,
  MissingAtomInputError,
  MissingInputsError,
  OperationNotAllowedError,
  RetryLater,
  RevisionConflictError,
  RevisionNotFoundError,
  RunNotFoundError,
  UnstorableValueError,
} from './errors.js';
export { storableFailure, unstorableReason } from './storable.js';
export type { LoadedRun, NewRun, RunChange, RunFilter, Store, StoredRevision, Timer } from './store.js';
export { InMemoryStore } from './memory-store.js';
export { Engine, initialDetails, type EngineOptions, type EventListener, type ResumeOptions, type StartRunOptions } from './engine.js';
export type { RunOutcome } from './run-executor.js';
export {
  awaitsApproval,
  isDecision,
  planOperation,
  type Decision,
  type DecisionOperation,
  type Operation,
  type OperationPreview,
  type OperationType,
  type TouchedAtom,
} from './operations.js';
export { retryDelayMs, retryExecute, retryOnFailure, type RetryDecision } from './retry-controller.js';
export { bindInputs, collectResults } from './bindings.js';
export { LeaseLostError } from './errors.js';
export { isWorkStore, type Command, type Fence, type WorkStore } from './work-store.js';
export { OperationSchema } from './operation-schema.js';
export { applyMigrateCommand, MigrateCommandSchema, type MigrateCommand, type MigrateOutcome } from './migrate-command.js';
export { backoffDelay, Worker, workerId, type WorkerOptions } from './worker.js';
