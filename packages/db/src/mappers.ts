import type { Command, StoredRevision, Timer } from '@atomflow/engine';
import type { AtomDetail, FlowDetail, LogBook, RunEvent, SubStep } from '@atomflow/model';

import { ATOM_KIND, ATOM_STATE, EVENT_KIND, FLOW_STATE, INTENTION, SUB_STEP_STATE, type TextEnum } from './enums.js';
import { UnexpectedRowError } from './errors.js';
import type { AtomDetails, Commands, Events, FlowRevisions, Logbooks, Runs, SubSteps, Timers } from './schema.js';
import { toIso, toIsoOrNull } from './time.js';

/* Rows (drizzle selects) → model objects. Text columns holding enums are checked, not cast. */

function member<T extends string>(e: TextEnum<T>, value: string): T {
  if (!e.has(value)) throw new UnexpectedRowError(`unknown ${e.what} ${JSON.stringify(value)} in the database`);
  return value;
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
    state: member(FLOW_STATE, r.state),
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
    kind: member(ATOM_KIND, r.kind),
    state: member(ATOM_STATE, r.state),
    intention: member(INTENTION, r.intention),
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
    state: member(SUB_STEP_STATE, r.state),
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
    kind: member(EVENT_KIND, r.kind),
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

export function toCommand(r: typeof Commands.$inferSelect): Command {
  return {
    id: r.id,
    runId: r.runId,
    op: r.op,
    createdAt: toIso(r.createdAt),
    appliedAt: toIsoOrNull(r.appliedAt),
    outcome: r.outcome ?? null,
  };
}
