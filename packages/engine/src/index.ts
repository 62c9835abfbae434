export { AtomRegistry, inputNamesOf, parseConfig } from './registry.js';
export type { AnyAtomDefinition, AtomContext, AtomDefinition, RevertContext, SubStepContext } from './atom-types.js';
export {
  CancelledError,
  MissingAtomInputError,
  MissingInputsError,
  OperationNotAllowedError,
  RetryLater,
  RevisionConflictError,
  RevisionNotFoundError,
  RunNotFoundError,
} from './errors.js';
export type { LoadedRun, NewRun, RunChange, RunFilter, Store, StoredRevision, Timer } from './store.js';
