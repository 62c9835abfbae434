import {
  ATOM_STATE_LIST,
  FLOW_STATE_LIST,
  INTENTIONS,
  type AtomDetail,
  type AtomKind,
  type AtomState,
  type EventKind,
  type FlowDetail,
  type FlowState,
  type Intention,
  type LogBook,
  type RunEvent,
  type SubStep,
  type SubStepState,
} from '@atomflow/model';
import type { StoredRevision, Timer } from '@atomflow/engine';

import { UnexpectedRowError } from './errors.js';
import type { AtomDetails, Events, FlowRevisions, Logbooks, Runs, SubSteps, Timers } from './schema.js';
import { toIso, toIsoOrNull } from './time.js';

/* Rows (drizzle selects) → model objects. Text columns holding enums are checked, not cast. */

const FLOW_STATES = new Set<string>(FLOW_STATE_LIST);
const ATOM_STATES = new Set<string>(ATOM_STATE_LIST);
const INTENTION_SET = new Set<string>(Object.values(INTENTIONS));
const ATOM_KINDS = new Set<string>(['task', 'retry'] satisfies AtomKind[]);
const SUB_STEP_STATES = new Set<string>(['SUCCESS', 'FAILURE', 'RETRY_LATER'] satisfies SubStepState[]);
const EVENT_KINDS = new Set<string>(['flow', 'atom', 'substep', 'operation', 'migration'] satisfies EventKind[]);

function member<T extends string>(set: ReadonlySet<string>, value: string, what: string): T {
  if (!set.has(value)) throw new UnexpectedRowError(`unknown ${what} ${JSON.stringify(value)} in the database`);
  return value as T;
}

export function toLogBook(r: typeof Logbooks.$inferSelect): LogBook {
  return { id: r.id, name: r.name, createdAt: toIso(r.createdAt) };
}

export function toStoredRevision(r: typeof FlowRevisions.$inferSelect): StoredRevision {
  return { flowId: r.flowId, revision: r.revision, definition: r.definition, createdAt: toIso(r.createdAt) };
}

export function toFlowDetail(r: typeof Runs.$inferSelect): FlowDetail {
  return {
    id: r.id,
    logbookId: r.logbookId,
    flowId: r.flowId,
    revision: r.revision,
    rootName: r.rootName,
    state: member<FlowState>(FLOW_STATES, r.state, 'run state'),
    inputs: r.inputs,
    failure: r.failure ?? null,
    createdAt: toIso(r.createdAt),
    updatedAt: toIso(r.updatedAt),
    startedAt: toIsoOrNull(r.startedAt),
    finishedAt: toIsoOrNull(r.finishedAt),
    meta: r.meta,
  };
}

/** SQL NULL in result-like columns means "absent": the key is left out, not set to null. */
export function toAtomDetail(r: typeof AtomDetails.$inferSelect): AtomDetail {
  return {
    name: r.name,
    type: r.type,
    version: r.version,
    kind: member<AtomKind>(ATOM_KINDS, r.kind, 'atom kind'),
    state: member<AtomState>(ATOM_STATES, r.state, 'atom state'),
    intention: member<Intention>(INTENTION_SET, r.intention, 'intention'),
    ...(r.result !== null ? { result: r.result } : {}),
    failure: r.failure ?? null,
    ...(r.revertResult !== null ? { revertResult: r.revertResult } : {}),
    revertFailure: r.revertFailure ?? null,
    attempts: r.attempts,
    ...(r.history !== null ? { history: r.history } : {}),
    wakeAt: toIsoOrNull(r.wakeAt),
    waitReason: r.waitReason ?? null,
    startedAt: toIsoOrNull(r.startedAt),
    finishedAt: toIsoOrNull(r.finishedAt),
    inputs: r.inputs ?? null,
  };
}

export function toSubStep(r: typeof SubSteps.$inferSelect): SubStep {
  return {
    atom: r.atom,
    name: r.name,
    state: member<SubStepState>(SUB_STEP_STATES, r.state, 'sub-step state'),
    attempts: r.attempts,
    ...(r.result !== null ? { result: r.result } : {}),
    failure: r.failure ?? null,
    updatedAt: toIso(r.updatedAt),
  };
}

export function toRunEvent(r: typeof Events.$inferSelect): RunEvent {
  return {
    runId: r.runId,
    seq: r.seq,
    kind: member<EventKind>(EVENT_KINDS, r.kind, 'event kind'),
    atom: r.atom,
    from: r.fromState,
    to: r.toState,
    data: r.data,
    at: toIso(r.at),
  };
}

export function toTimer(r: typeof Timers.$inferSelect): Timer {
  return { runId: r.runId, atom: r.atom, wakeAt: toIso(r.wakeAt) };
}
