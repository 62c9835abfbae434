export { assertNever } from './assert-never.js';
export {
  ATOM_STATES,
  ATOM_STATE_LIST,
  ATOM_TRANSITIONS,
  FLOW_STATES,
  FLOW_STATE_LIST,
  FLOW_TRANSITIONS,
  INTENTIONS,
  STOPPED_FLOW_STATES,
  assertAtomTransition,
  assertFlowTransition,
  canTransitionAtom,
  canTransitionFlow,
  isStoppedFlowState,
  type AtomState,
  type FlowState,
  type Intention,
} from './states.js';
export { AtomflowError, IllegalTransitionError, ValidationError, type Problem, type ProblemCode } from './errors.js';
export {
  AtomNodeSchema,
  BackoffSchema,
  EdgeSchema,
  FLOW_KINDS,
  FlowDefinitionSchema,
  FlowIdSchema,
  FlowNodeSchema,
  FlowOptionsSchema,
  NodeSchema,
  RetrySchema,
  UiSchema,
  isFlowNode,
  providedNames,
  retryName,
  type AtomNode,
  type AtomNodeInput,
  type Edge,
  type FlowDefinition,
  type FlowDefinitionInput,
  type FlowKind,
  type FlowNode,
  type FlowNodeInput,
  type Node,
  type RetryDefinition,
  type RetryKind,
} from './definition.js';
export { formatPath, issuesToProblems, parseFlowDefinition, parseFlowDefinitionOrThrow, type ParseResult } from './parse.js';
export { FailureSchema, toFailure, type Failure } from './failure.js';
export type {
  AtomDetail,
  AtomKind,
  EventKind,
  FlowDetail,
  LogBook,
  NewRunEvent,
  RetryHistoryEntry,
  RunEvent,
  SubStep,
  SubStepState,
} from './logbook.js';
export type { AtomInputs, AtomRegistryView, AtomTypeView, ConfigIssue } from './registry-view.js';
export {
  analyzeFlow,
  compileFlow,
  subgraphOf,
  validateFlow,
  type AnalyzeOptions,
  type CompiledAtom,
  type CompiledFlow,
  type InputSource,
} from './compile.js';
export { diffRevisions, flattenAtoms, type DiffAtom, type RevisionDiff } from './diff.js';
