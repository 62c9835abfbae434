import type { Fence, RunChange } from '@atomflow/engine';
import type { SubStep } from '@atomflow/model';

import { InvalidRunChangeError } from './errors.js';
import type { SqlValue } from './runner.js';
import { checkAtom, checkEvent, checkFlowState, checkSubStep } from './validate.js';

export interface CommitParams {
  /** The parameters of statements.COMMIT, in order. */
  readonly values: readonly SqlValue[];
  /** The events as they will be stored (JSON), to return them without reading them back. */
  readonly eventsJson: string;
  readonly eventCount: number;
}

/** Checks a RunChange and turns it into the parameters of the COMMIT statement. */
export function commitParams(runId: string, change: RunChange, fence?: Fence): CommitParams {
  for (const e of change.events) checkEvent(e);
  const eventsJson = JSON.stringify(change.events.map((e) => ({ kind: e.kind, atom: e.atom, from: e.from, to: e.to, data: e.data })));

  const atoms = lastByKey(change.atoms ?? [], (a) => a.name);
  for (const a of atoms) checkAtom(a);
  const subSteps = lastByKey(change.subSteps ?? [], (s: SubStep) => `${s.atom}\u0000${s.name}`);
  for (const s of subSteps) checkSubStep(s);

  const set = lastByKey(change.timers?.set ?? [], (t) => t.atom);
  for (const t of set) {
    if (t.runId !== runId) throw new InvalidRunChangeError(`timer of atom ${t.atom} names run ${t.runId} in a commit to run ${runId}`);
  }
  // Setting replaces: an atom both cleared and set keeps the new timer (and one statement must
  // not both delete and insert the same row).
  const setAtoms = new Set(set.map((t) => t.atom));
  const clear = [...new Set(change.timers?.clear ?? [])].filter((a) => !setAtoms.has(a));

  const flow = change.flow ?? {};
  if (flow.state !== undefined) checkFlowState(flow.state);
  // Nullable fields: a key present with null/undefined clears, as in the in-memory store.
  const values: SqlValue[] = [
    runId,
    change.events.length,
    flow.state ?? null,
    flow.revision ?? null,
    flow.meta === undefined ? null : JSON.stringify(flow.meta),
    'failure' in flow,
    flow.failure == null ? null : JSON.stringify(flow.failure),
    'startedAt' in flow,
    flow.startedAt ?? null,
    'finishedAt' in flow,
    flow.finishedAt ?? null,
    JSON.stringify(atoms),
    JSON.stringify(subSteps),
    JSON.stringify(clear),
    JSON.stringify(set.map((t) => ({ atom: t.atom, wakeAt: t.wakeAt }))),
    eventsJson,
    fence?.owner ?? null,
    JSON.stringify([...new Set(change.clearSubSteps ?? [])]),
  ];
  return { values, eventsJson, eventCount: change.events.length };
}

/** One row per key, the last one given winning: an upsert may not touch a row twice. */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  if (items.length < 2) return items;
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    byKey.delete(k); // keep the order of last occurrence
    byKey.set(k, item);
  }
  return byKey.size === items.length ? items : [...byKey.values()];
}
