export { openDatabase } from './open.js';
export type { DatabaseConfig, OpenedDatabase, OpenedPglite, OpenedPostgres, PgliteConfig, PostgresConfig } from './open.js';
export { DbStore, type DbStoreOptions } from './store.js';
export {
  DbAuthStore,
  DuplicateEmailError,
  type NewSession,
  type NewUser,
  type Role,
  type Session,
  type User,
  type UserPatch,
} from './auth-store.js';
export { drizzleRunner, type SqlRunner, type SqlValue } from './runner.js';
export type { AtomflowDb } from './db-types.js';
export { DatabaseLockedError, InvalidRunChangeError, RunExistsError, StoreQueryError, UnexpectedRowError } from './errors.js';
export { MIGRATIONS_FOLDER } from './migrations.js';
export {
  AtomDetails,
  Commands,
  Events,
  FlowRevisions,
  Flows,
  Logbooks,
  Runs,
  Sessions,
  SubSteps,
  Timers,
  Users,
  schema,
  type Schema,
} from './schema.js';
export {
  deleteFlow,
  FINISHED_RUN_STATES,
  getFlowSummary,
  listFlows,
  listRevisions,
  type DeleteFlowResult,
  type FlowListFilter,
  type FlowSummary,
  type Page,
  type RevisionInfo,
} from './queries/flows.js';
export {
  databaseNow,
  getRunSummary,
  listRunSummaries,
  runChangeMarks,
  runLastSeqs,
  type RunChangeMark,
  type RunListFilter,
  type RunSummary,
} from './queries/runs.js';
export { InvalidCursorError } from './queries/errors.js';
