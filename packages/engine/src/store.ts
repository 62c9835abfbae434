import type { Fence } from './work-store.js';
import type { AtomDetail, FlowDefinition, FlowDetail, FlowState, LogBook, NewRunEvent, RunEvent, SubStep } from '@atomflow/model';

/** A durable wake-up: WAITING atoms (delay, RetryLater, retry backoff) wake from these. */
export interface Timer {
  readonly runId: string;
  readonly atom: string;
  readonly wakeAt: string;
}

/** Changes of one run committed atomically, with their events. */
export interface RunChange {
  /** Full snapshots of changed atom records. */
  readonly atoms?: readonly AtomDetail[];
  /** Changed run fields. */
  readonly flow?: Partial<Pick<FlowDetail, 'state' | 'failure' | 'revision' | 'startedAt' | 'finishedAt' | 'meta'>>;
  readonly subSteps?: readonly SubStep[];
  /** Atoms whose sub-step records are deleted (applied before `subSteps`): a reverted or re-run atom starts afresh. */
  readonly clearSubSteps?: readonly string[];
  /** Timers to set (replacing any of the same atom) and atoms whose timers to clear. */
  readonly timers?: { readonly set?: readonly Timer[]; readonly clear?: readonly string[] };
  readonly events: readonly NewRunEvent[];
}

export interface NewRun {
  readonly id: string;
  readonly logbookId: string;
  readonly flowId: string;
  readonly revision: number;
  readonly rootName: string;
  readonly inputs: Record<string, unknown>;
  readonly meta: Record<string, unknown>;
  readonly atoms: readonly AtomDetail[];
  /**
   * Created already leased to this owner (a WorkStore only): a process that creates a run and
   * executes it itself (`atomflow run --database-url`) holds it from the first instant, so no
   * worker polling the same database can claim it in between.
   */
  readonly lease?: { readonly owner: string; readonly ttlMs: number };
}

export interface LoadedRun {
  readonly flow: FlowDetail;
  readonly atoms: readonly AtomDetail[];
  /** In the order they were first recorded (the order they ran); a sub-step recorded again keeps its place. */
  readonly subSteps: readonly SubStep[];
  readonly lastSeq: number;
}

export interface RunFilter {
  readonly states?: readonly FlowState[];
  readonly flowId?: string;
  readonly limit?: number;
}

export interface StoredRevision {
  readonly flowId: string;
  readonly revision: number;
  readonly definition: FlowDefinition;
  readonly createdAt: string;
}

/**
 * Where the engine records everything. Every method that changes a run is atomic: the change
 * and its events commit together, before the engine acts on them.
 */
export interface Store {
  ensureLogBook(id: string, name: string): Promise<LogBook>;
  /** Saves a revision; saving the same (flowId, revision) again with another body is refused. */
  saveRevision(def: FlowDefinition): Promise<StoredRevision>;
  getRevision(flowId: string, revision: number): Promise<StoredRevision | undefined>;
  latestRevision(flowId: string): Promise<StoredRevision | undefined>;
  /** Creates a run with its atom records; emits nothing (the engine's first commit does). */
  createRun(run: NewRun): Promise<FlowDetail>;
  loadRun(runId: string): Promise<LoadedRun | undefined>;
  listRuns(filter?: RunFilter): Promise<FlowDetail[]>;
  /**
   * Applies a change and appends its events atomically; returns the events with seq and time.
   * With a fence, the change is refused (LeaseLostError) unless the fence's owner holds the run.
   */
  commit(runId: string, change: RunChange, fence?: Fence): Promise<RunEvent[]>;
  /** Events of a run after `afterSeq`, in order. */
  events(runId: string, afterSeq?: number, limit?: number): Promise<RunEvent[]>;
  /** Timers due at or before `now`. */
  dueTimers(now: string, limit?: number): Promise<Timer[]>;
  close(): Promise<void>;
}
