import type { Failure } from './failure.js';
import type { AtomState, FlowState, Intention } from './states.js';

/** A project's book of runs. */
export interface LogBook {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export type AtomKind = 'task' | 'retry';

/** One entry of a retry controller's history: what it provided, and what failed under it. */
export interface RetryHistoryEntry {
  readonly result: unknown;
  /** atom name → failure seen during this attempt */
  readonly failures: Record<string, Failure>;
}

/** The record of one atom (by name) in one run. */
export interface AtomDetail {
  readonly name: string;
  readonly type: string;
  readonly version: number;
  readonly kind: AtomKind;
  state: AtomState;
  intention: Intention;
  result?: unknown;
  failure?: Failure | null;
  revertResult?: unknown;
  revertFailure?: Failure | null;
  /** Executions of this atom in this run (1-based once started), across retries and resumes. */
  attempts: number;
  /** Retry controllers only: one entry per attempt. */
  history?: RetryHistoryEntry[];
  /** WAITING atoms: when they wake (ISO time). */
  wakeAt?: string | null;
  /** Why a WAITING atom waits: a timer, a RetryLater, an approval. */
  waitReason?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** The inputs of the last execution (after rebind/inject/defaults), for the monitor. */
  inputs?: Record<string, unknown> | null;
}

export type SubStepState = 'SUCCESS' | 'FAILURE' | 'RETRY_LATER';

/** A Kopf-style named sub-step of an atom's execution. */
export interface SubStep {
  readonly atom: string;
  readonly name: string;
  state: SubStepState;
  attempts: number;
  result?: unknown;
  failure?: Failure | null;
  updatedAt: string;
}

/** One run of a flow revision. */
export interface FlowDetail {
  readonly id: string;
  readonly logbookId: string;
  readonly flowId: string;
  revision: number;
  /** The root flow's name, used for run-level trace lines. */
  readonly rootName: string;
  state: FlowState;
  inputs: Record<string, unknown>;
  failure?: Failure | null;
  createdAt: string;
  updatedAt: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** Free-form (who started it, stop-after markers, migrations…). */
  meta: Record<string, unknown>;
}

export type EventKind = 'flow' | 'atom' | 'substep' | 'operation' | 'migration';

/** An appended record of a change, in the same transaction as the change. */
export interface RunEvent {
  readonly runId: string;
  readonly seq: number;
  readonly kind: EventKind;
  readonly atom: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly data: Record<string, unknown> | null;
  readonly at: string;
}

export type NewRunEvent = Omit<RunEvent, 'runId' | 'seq' | 'at'>;
